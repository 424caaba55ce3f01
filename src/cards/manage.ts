// Cards for a pass that already exists: what the person has now (with Revoke when the caller
// may revoke it), the confirmation before revoking, and the shared record once it is revoked.
import { usageText } from './confirm.js';
import { neutraliseOrDash, neutraliseText } from './escape.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

export interface PassListCardData {
  targetName: string;
  targetUpn: string;
  pass: null | {
    createdText: string;
    startText: string;
    expiresText: string;
    lifetimeText: string;
    usableOnce: boolean;
    usable: boolean;
    reasonText: string;
  };
  /** The stored revoke request the button acts on; null when the caller may not revoke. */
  revokeRequestId: string | null;
}

export interface RevokeConfirmCardData {
  requestId: string;
  targetName: string;
  targetUpn: string;
  createdText: string;
  expiresText: string;
  usableText: string;
  requesterName: string;
  requestExpiresText: string;
  /** Said above the facts instead of the usual question, e.g. why this is a different pass. */
  heading?: string;
}

export interface RevokedCardData {
  revokerName: string;
  targetName: string;
  targetUpn: string;
  atText: string;
}

// Graph reports why a pass can or cannot be used as a code; admins should not have to decode it.
const REASON_WORDS: Readonly<Record<string, string>> = {
  EnabledByPolicy: 'allowed by the tenant policy',
  DisabledByPolicy: 'the tenant policy does not allow passes',
  Expired: 'expired',
  NotYetValid: 'not valid yet',
  OneTimeUsed: 'already used once',
};

/** Whether a pass works now, in words: Graph's usability reason decoded. */
export function statusText(usable: boolean, reasonText: string): string {
  const reason = Object.hasOwn(REASON_WORDS, reasonText) ? REASON_WORDS[reasonText] : reasonText;
  const words = neutraliseText(reason ?? '', 120);
  const status = usable ? 'Usable' : 'Not usable';
  return words ? `${status} (${words})` : status;
}

/** Renders one person's current pass (never the pass itself), with Revoke only when allowed. */
export function renderPassListCard(d: PassListCardData): AdaptiveCardJson {
  const name = neutraliseOrDash(d.targetName);
  const { pass } = d;
  const facts = pass
    ? [
        { title: 'Created', value: neutraliseOrDash(pass.createdText) },
        { title: 'Valid from', value: neutraliseOrDash(pass.startText) },
        { title: 'Valid until', value: neutraliseOrDash(pass.expiresText) },
        { title: 'Lifetime', value: neutraliseOrDash(pass.lifetimeText) },
        { title: 'Use', value: usageText(pass.usableOnce) },
        { title: 'Status', value: statusText(pass.usable, pass.reasonText) },
      ]
    : [];
  // Without a pass there is nothing to revoke, whatever request the caller prepared.
  const revokeRequestId = pass ? d.revokeRequestId : null;
  return expandTemplate('pass-list', {
    heading: `Temporary Access Pass for ${name}`,
    targetUpn: neutraliseOrDash(d.targetUpn),
    hasPass: pass !== null,
    facts,
    noPassText: `${name} has no Temporary Access Pass.`,
    canRevoke: Boolean(revokeRequestId),
    revokeRequestId: revokeRequestId ?? '',
  });
}

export interface PassesCardData {
  /** Only the caller's own issues ('list TAPs mine'), or everyone's. */
  mine: boolean;
  /** Checked passes left out because the caller's role may not read them. */
  hidden: number;
  rows: {
    targetName: string;
    targetUpn: string;
    issuerName: string;
    issuedText: string;
    expiresText: string;
    usableOnce: boolean;
    /** What Graph says now, already worded (e.g. "Usable", "Gone from Entra: revoked or replaced"). */
    statusText: string;
    /** The stored revoke request behind this row's button; null when there is nothing (or no right) to revoke. */
    revokeRequestId: string | null;
  }[];
  /** Outstanding passes beyond those shown. */
  more: number;
}

/** Renders `list TAPs`: each outstanding pass TapDesk issued, newest first, each with its own Revoke. */
export function renderPassesCard(d: PassesCardData): AdaptiveCardJson {
  const whose = d.mine ? 'you issued' : 'TapDesk issued';
  const count = d.rows.length + d.more;
  return expandTemplate('passes', {
    heading: d.mine ? 'Your outstanding Temporary Access Passes' : 'Outstanding Temporary Access Passes',
    summary:
      count === 0
        ? `No pass ${whose} is outstanding.`
        : `${count} pass${count === 1 ? '' : 'es'} ${whose} ${count === 1 ? 'is' : 'are'} still outstanding, newest first; each was checked in Entra just now.`,
    rows: d.rows.map((row) => ({
      title: `${neutraliseOrDash(row.targetName)} (${neutraliseOrDash(row.targetUpn)})`,
      facts: [
        { title: 'Issued by', value: neutraliseOrDash(row.issuerName) },
        { title: 'Issued', value: neutraliseOrDash(row.issuedText) },
        { title: 'Valid until', value: neutraliseOrDash(row.expiresText) },
        { title: 'Use', value: usageText(row.usableOnce) },
        { title: 'Now', value: neutraliseOrDash(row.statusText) },
      ],
      canRevoke: Boolean(row.revokeRequestId),
      revokeRequestId: row.revokeRequestId ?? '',
    })),
    hasHidden: d.hidden > 0,
    hiddenText: `${d.hidden} more ${d.hidden === 1 ? 'is' : 'are'} left out: your role cannot read ${d.hidden === 1 ? 'that person’s pass' : 'those people’s passes'} in Entra.`,
    hasMore: d.more > 0,
    moreText: `…and ${d.more} more not shown. To see one person's pass, type 'list TAP for' and their name${d.mine ? '' : "; 'list TAPs mine' shows only yours"}.`,
    footer:
      'Passes issued outside TapDesk are not listed. Revoke deletes the pass in Entra with your own role.',
  });
}

/** Renders the card that asks the admin to confirm revoking a person's pass. */
export function renderRevokeConfirmCard(d: RevokeConfirmCardData): AdaptiveCardJson {
  const name = neutraliseOrDash(d.targetName);
  return expandTemplate('revoke-confirm', {
    requestId: d.requestId,
    heading: d.heading ? neutraliseOrDash(d.heading) : `Revoke the pass for ${name}?`,
    facts: [
      { title: 'Name', value: name },
      { title: 'Sign-in name', value: neutraliseOrDash(d.targetUpn) },
      { title: 'Created', value: neutraliseOrDash(d.createdText) },
      { title: 'Valid until', value: neutraliseOrDash(d.expiresText) },
      { title: 'Status', value: neutraliseOrDash(d.usableText) },
    ],
    effect: `${name} will no longer be able to sign in with this pass. This cannot be undone.`,
    requesterName: neutraliseOrDash(d.requesterName),
    requestExpiresText: neutraliseOrDash(d.requestExpiresText),
  });
}

/** Renders the final, button-free record that a pass was revoked. */
export function renderRevokedCard(d: RevokedCardData): AdaptiveCardJson {
  const name = neutraliseOrDash(d.targetName);
  return expandTemplate('revoked', {
    summary: `Revoked by ${neutraliseOrDash(d.revokerName)} at ${neutraliseOrDash(d.atText)}.`,
    facts: [{ title: 'For', value: `${name} (${neutraliseOrDash(d.targetUpn)})` }],
  });
}
