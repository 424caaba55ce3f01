// Notices TapDesk sends later, on its own: to the issuer when a pass is issued, about to expire,
// expired or revoked, and to the person (or their manager) whose account got one. They are
// proactive messages that outlive the request, so they never carry the pass, only words and,
// for the issuer, buttons that name the stored request.
import { usageText } from './confirm.js';
import { neutraliseOrDash } from './escape.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

/** 'you' when the notice goes to the person themselves; otherwise someone else reads it. */
export type NoticeReader = 'you' | (string & {});

type Tone = 'Default' | 'Good' | 'Warning' | 'Attention';

interface NoticeView {
  title: string;
  color: Tone;
  message: string;
  facts?: Array<{ title: string; value: string }>;
  note?: string;
  buttons?: { requestId: string; revoke: boolean; reissue: boolean };
}

// Every notice goes through here so that no notice can add a field the template does not expect.
function renderNotice(v: NoticeView): AdaptiveCardJson {
  const facts = v.facts ?? [];
  return expandTemplate('notice', {
    title: v.title,
    color: v.color,
    message: v.message,
    hasFacts: facts.length > 0,
    facts,
    hasNote: Boolean(v.note),
    note: v.note ?? '',
    requestId: v.buttons?.requestId ?? '',
    showRevoke: v.buttons?.revoke ?? false,
    showReissue: v.buttons?.reissue ?? false,
  });
}

const HELPDESK = 'Not expected? Contact the helpdesk.';

/** Renders the issuer's notice that a pass was issued, with Revoke now and Issue a new one. */
export function renderIssuedNoticeCard(d: {
  requestId: string;
  targetName: string;
  targetUpn: string;
  expiresText: string;
  usableOnce: boolean;
}): AdaptiveCardJson {
  const name = neutraliseOrDash(d.targetName);
  const expires = neutraliseOrDash(d.expiresText);
  return renderNotice({
    title: `Pass for ${name} expires at ${expires}`,
    color: 'Good',
    message: `You issued a Temporary Access Pass for ${name} (${neutraliseOrDash(d.targetUpn)}).`,
    facts: [
      { title: 'Valid until', value: expires },
      { title: 'Use', value: usageText(d.usableOnce) },
    ],
    note: 'If it is no longer needed, revoke it now rather than wait for it to expire.',
    buttons: { requestId: d.requestId, revoke: true, reissue: true },
  });
}

// "your account" for the person, "Alice Wong's account" for their manager.
function accountOf(forWhom: string): string {
  return forWhom === 'you' ? 'your account' : `${neutraliseOrDash(forWhom)}'s account`;
}

/** Renders the notice to the person (or their manager) that a pass was issued for their account. */
export function renderAccountNoticeCard(d: {
  forWhom: NoticeReader;
  issuerName: string;
  atText: string;
  verificationTitle: string;
}): AdaptiveCardJson {
  return renderNotice({
    title: 'Temporary Access Pass issued',
    color: 'Warning',
    message:
      `A Temporary Access Pass was issued for ${accountOf(d.forWhom)} by ${neutraliseOrDash(d.issuerName)} ` +
      `at ${neutraliseOrDash(d.atText)} (verification: ${neutraliseOrDash(d.verificationTitle)}). ${HELPDESK}`,
  });
}

/** Names a reports notice lists before "and N more": enough to recognise a wave, short enough to read. */
const REPORTS_LISTED = 10;

/** Renders the notice to a manager that a bulk gave passes to several of their reports. */
export function renderReportsNoticeCard(d: {
  reportNames: string[];
  issuerName: string;
  atText: string;
}): AdaptiveCardJson {
  const listed = d.reportNames.slice(0, REPORTS_LISTED).map((name) => neutraliseOrDash(name));
  const more = d.reportNames.length - listed.length;
  return renderNotice({
    title: 'Temporary Access Passes issued for your reports',
    color: 'Warning',
    message:
      `${d.reportNames.length} of your reports got a Temporary Access Pass from ${neutraliseOrDash(d.issuerName)} ` +
      `at ${neutraliseOrDash(d.atText)} (bulk issuance): ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}. ${HELPDESK}`,
  });
}

function minutesText(minutesLeft: number): string {
  const minutes = Number.isFinite(minutesLeft) ? Math.max(0, Math.round(minutesLeft)) : 0;
  if (minutes === 0) return 'in less than a minute';
  return minutes === 1 ? 'in 1 minute' : `in ${minutes} minutes`;
}

/** Renders the issuer's warning that a pass is about to expire. */
export function renderExpiringNoticeCard(d: {
  requestId: string;
  targetName: string;
  expiresText: string;
  minutesLeft: number;
}): AdaptiveCardJson {
  const name = neutraliseOrDash(d.targetName);
  return renderNotice({
    title: `Pass for ${name} expires soon`,
    color: 'Warning',
    message:
      `The Temporary Access Pass for ${name} expires at ${neutraliseOrDash(d.expiresText)}, ` +
      `${minutesText(d.minutesLeft)}. If they still need one, issue a new one; if not, revoke it now.`,
    buttons: { requestId: d.requestId, revoke: true, reissue: true },
  });
}

/** Renders the issuer's notice that a pass has expired, with Issue a new one. */
export function renderExpiredNoticeCard(d: {
  requestId: string;
  targetName: string;
  expiredText: string;
  statusText: string;
}): AdaptiveCardJson {
  const name = neutraliseOrDash(d.targetName);
  return renderNotice({
    title: `Pass for ${name} expired`,
    color: 'Default',
    message: `The Temporary Access Pass for ${name} expired at ${neutraliseOrDash(d.expiredText)}.`,
    facts: [{ title: 'Status', value: neutraliseOrDash(d.statusText) }],
    buttons: { requestId: d.requestId, revoke: false, reissue: true },
  });
}

/** Renders the notice that a pass was revoked, to its issuer or ('you') to the person it was for. */
export function renderRevokedNoticeCard(d: {
  forWhom: NoticeReader;
  revokerName: string;
  targetName: string;
  atText: string;
}): AdaptiveCardJson {
  const by = `by ${neutraliseOrDash(d.revokerName)} at ${neutraliseOrDash(d.atText)}`;
  const toPerson = d.forWhom === 'you';
  return renderNotice({
    title: 'Temporary Access Pass revoked',
    color: 'Warning',
    message: toPerson
      ? `Your Temporary Access Pass was revoked ${by}. It can no longer be used to sign in. ${HELPDESK}`
      : `The Temporary Access Pass for ${neutraliseOrDash(d.targetName)} was revoked ${by}.`,
  });
}

/** Renders the notice that an onboarded person's device finished Windows setup (issuer and manager). */
export function renderEnrolledNoticeCard(d: {
  requestId: string;
  forIssuer: boolean;
  /** The issuer's notice offers Revoke only when it can name a stored single request. */
  revocable?: boolean;
  targetName: string;
  serialNumber: string;
  atText: string;
  passExpiresText: string;
}): AdaptiveCardJson {
  const name = neutraliseOrDash(d.targetName);
  return renderNotice({
    title: `${name} is set up`,
    color: 'Good',
    message:
      `The Windows Autopilot device ${neutraliseOrDash(d.serialNumber)} reported enrolled for ${name} at ` +
      `${neutraliseOrDash(d.atText)}.`,
    facts: [{ title: 'Day-one pass valid until', value: neutraliseOrDash(d.passExpiresText) }],
    note: d.forIssuer
      ? `If the pass is no longer needed, revoke it now${d.revocable ? '' : ` (\`revoke TAP for\` ${neutraliseOrDash(d.targetName)})`} rather than wait for it to expire.`
      : 'Nothing to do: this is for your information.',
    // Only the issuer may revoke (the click rules check it again on the stored request).
    ...(d.forIssuer && d.revocable
      ? { buttons: { requestId: d.requestId, revoke: true, reissue: false } }
      : {}),
  });
}
