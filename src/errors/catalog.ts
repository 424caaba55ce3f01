/**
 * The closed catalog of everything that can go wrong in front of an admin. Each entry has a stable
 * code (audit rows and support tickets quote it), a chat-safe message and the next step to take.
 * Graph and Entra errors are mapped into it in one place (graph/errors.ts); nothing else invents text.
 */
import { MAX_CHAT_FIELD, neutraliseChat } from '../text/plain.js';
import { commandFor, them, type CatalogEntry, type ProblemContext } from './catalog-entry.js';

export type { ProblemContext };
import { APPROVAL_AND_BULK_ENTRIES } from './catalog-approvals.js';
import { ONBOARDING_ENTRIES } from './catalog-onboarding.js';
import { PIM_ENTRIES } from './catalog-pim.js';
import { REQUEST_API_ENTRIES } from './catalog-requests.js';
import { FACE_CHECK_ENTRIES } from './catalog-face-check.js';
import { DELIVERY_ENTRIES } from './catalog-delivery.js';

const CATALOG = {
  ...APPROVAL_AND_BULK_ENTRIES,
  ...ONBOARDING_ENTRIES,
  ...PIM_ENTRIES,
  ...REQUEST_API_ENTRIES,
  ...FACE_CHECK_ENTRIES,
  ...DELIVERY_ENTRIES,
  TAP_ROLE_MISSING: {
    title: 'You need an authentication admin role',
    message: () =>
      'Entra only lets Authentication Administrators, Privileged Authentication Administrators and Global Administrators create Temporary Access Passes, and your account has none of these roles active.',
    nextStep: () =>
      'If you are eligible for Authentication Administrator in Privileged Identity Management, activate it and try again; otherwise ask a colleague who holds it.',
  },
  TAP_TARGET_PRIVILEGED: {
    title: 'A pass for an admin needs a second pair of eyes',
    message: (c) =>
      `${them(c)} holds a directory role${c.detail ? ` (${c.detail})` : ''}, so a pass for them is never issued directly: a Privileged Authentication Administrator (or Global Administrator) other than you must approve it.`,
    nextStep: (c) =>
      `Ask for approval: ${commandFor('request TAP for', c.who)} \`reason:\` _why_. The approvers see it in their channel.`,
  },
  TAP_SELF: {
    title: 'You cannot issue a pass for yourself',
    message: () => 'Entra never lets anyone create a Temporary Access Pass for their own account.',
    nextStep: () => 'Ask another admin to verify you and issue it.',
  },
  TAP_GUEST: {
    title: 'Guests cannot get a Temporary Access Pass',
    message: (c) =>
      `${them(c)} is an external guest, and Entra does not allow passes for external guest users.`,
    nextStep: () => "They sign in with their home organisation's account; help them recover it there.",
  },
  TAP_POLICY_EXCLUDED: {
    title: "The tenant's TAP policy does not allow this pass",
    message: (c) =>
      `The Temporary Access Pass policy is turned off, or ${them(c)} is outside its target groups, or it only allows one-time passes.`,
    nextStep: () =>
      'Ask an Authentication Policy Administrator to check Entra > Authentication methods > Temporary Access Pass (enabled, include/exclude groups, one-time setting). `tap policy` shows it if you may read it.',
  },
  TAP_LIFETIME_RANGE: {
    title: 'Lifetime outside the tenant policy',
    message: (c) =>
      c.min !== undefined && c.max !== undefined
        ? `The tenant allows passes valid between ${c.min} and ${c.max} minutes.`
        : 'The requested lifetime is outside what the tenant policy allows.',
    nextStep: (c) =>
      c.min !== undefined
        ? `Ask again with a lifetime in that range, for example \`issue TAP for ${c.who ?? 'alice@contoso.com'} for ${Math.max(c.min, 60)}m\`.`
        : 'Ask again with a different lifetime, for example `for 1h`.',
  },
  TAP_USER_NOT_FOUND: {
    title: 'No such user',
    message: (c) => `I could not find anyone matching '${c.who ?? ''}' in the directory.`,
    nextStep: () =>
      'Check the spelling, or use the full sign-in address, for example `issue TAP for alice@contoso.com`.',
  },
  TAP_THROTTLED: {
    title: 'Microsoft Graph is throttling requests',
    message: (c) =>
      `Graph asked us to slow down${c.retryAfterSeconds ? ` for about ${Math.ceil(c.retryAfterSeconds)} seconds` : ''}. Nothing was issued.`,
    nextStep: () => 'Wait a minute and ask again.',
  },
  TAP_GRAPH_UNAVAILABLE: {
    title: 'Microsoft Graph is not answering',
    message: () => 'Graph did not answer in time or reported an outage. Nothing was issued.',
    nextStep: () =>
      'Try again in a few minutes; if it persists, check the Microsoft 365 service health page.',
  },
  TAP_OUTCOME_UNKNOWN: {
    title: 'Outcome unknown',
    message: (c) =>
      `Graph did not confirm whether the pass for ${them(c)} was created. I will not retry automatically, because a second create would silently replace a pass someone may already hold.`,
    nextStep: (c) => `Check with \`list TAP for ${c.who ?? 'the user'}\` before you issue again.`,
  },
  TAP_SCOPE_MISSING: {
    title: 'TapDesk lacks a permission',
    message: () =>
      'Entra refused the call because the TapDesk app has not been granted the delegated Graph permission it needs.',
    nextStep: () =>
      'An admin must grant admin consent for User.Read.All, UserAuthMethod-TAP.ReadWrite.All and Policy.Read.AuthenticationMethod to the TapDesk app.',
  },
  SIGNIN_REQUIRED: {
    title: 'Sign-in needed',
    message: () => 'I could not get a token to act on your behalf; your Teams sign-in may have expired.',
    nextStep: () => 'Click the button again; if Teams asks you to sign in or consent, accept.',
  },
  CONSENT_REQUIRED: {
    title: 'Admin consent needed',
    message: () => 'Entra says TapDesk has not been consented for the Graph permissions it uses.',
    nextStep: () =>
      'An admin who may consent to delegated permissions (Global Administrator, Privileged Role Administrator, Cloud Application Administrator or Application Administrator) must grant admin consent to the TapDesk app in Entra (Enterprise applications > TapDesk > Permissions).',
  },
  REQUEST_NOT_YOURS: {
    title: 'This is not your request',
    message: (c) =>
      `Only ${c.requesterName ?? 'the admin who asked'} can confirm or cancel this request. Nothing was changed.`,
    nextStep: () => `To issue a pass yourself, type ${commandFor('issue TAP for', undefined)}.`,
  },
  REQUEST_EXPIRED: {
    title: 'This request has expired',
    message: () =>
      'Confirmation requests are valid for a few minutes so that stale cards cannot issue passes.',
    nextStep: (c) => `Ask again: ${commandFor('issue TAP for', c.who)}.`,
  },
  REQUEST_ALREADY_USED: {
    title: 'Already handled',
    // `decision` says what the other click did (a Cancel that won a race must not read as "handled").
    message: (c) =>
      `This request was already ${c.decision ?? 'handled'}${c.deciderName ? ` by ${c.deciderName}` : ''}${c.usedAt ? ` at ${c.usedAt}` : ''}; nothing more was done.`,
    nextStep: (c) =>
      c.decision === 'cancelled'
        ? `Nothing was issued. To issue a pass after all, ask again: ${commandFor('issue TAP for', c.who)}.`
        : `Use ${commandFor('list TAP for', c.who)} to see the current pass.`,
  },
  REQUEST_NOT_FOUND: {
    title: 'Unknown request',
    message: () => 'I have no record of this request. It may be from an old card or it was tampered with.',
    nextStep: () => `Ask again with ${commandFor('issue TAP for', undefined)}.`,
  },
  CLICK_NOT_ALLOWED: {
    title: 'That button does not apply here',
    message: () =>
      'This button does not belong to this kind of request, so it was refused and nothing was changed.',
    nextStep: () => 'Use the buttons on the card TapDesk sent for it, or ask again with a command.',
  },
  APPROVAL_TOO_MANY_OPEN: {
    title: 'You have many requests waiting already',
    message: (c) =>
      `You have ${c.max ?? 'several'} requests waiting for approval, the most one person may have open at once, so approvers are not flooded.`,
    nextStep: () => 'Wait for approvers to decide (or cancel one on its card), then ask again.',
  },
  APPROVAL_FACTS_CHANGED: {
    title: 'Something changed since this was requested',
    message: (c) =>
      `${c.detail ?? 'The facts on the card changed.'} Nothing was issued; the card now shows what is true for ${c.targetName ?? 'this person'}.`,
    nextStep: () => 'Check the updated card and approve again if it is still right.',
  },
  REQUEST_SUPERSEDED: {
    title: 'This card is out of date',
    message: (c) =>
      `Something changed for ${c.targetName ?? 'this person'} after this card was shown, so a newer card replaced it. Nothing was issued from this one.`,
    nextStep: () => 'Check the newer card and confirm there if it is still right.',
  },
  BAD_CARD_PAYLOAD: {
    title: 'I could not read that click',
    message: () => 'The card sent data I do not accept, so nothing was done.',
    nextStep: () => `Use the buttons on a fresh card: type ${commandFor('issue TAP for', undefined)}.`,
  },
  VERIFICATION_MISSING: {
    title: 'How did you verify this person?',
    message: () => 'Choose how you verified their identity before confirming; it goes into the audit trail.',
    nextStep: () => 'Pick a verification method on the card and click Confirm again.',
  },
  START_IN_PAST: {
    title: 'That start time has passed',
    message: () => 'The start time you gave is already in the past (times are in your Teams time zone).',
    nextStep: (c) =>
      `Leave the start out to begin now, or give a future time, for example \`issue TAP for ${c.who ?? 'alice@contoso.com'} start tomorrow 9:00\`.`,
  },
  START_TOO_FAR: {
    title: 'That start time is too far ahead',
    message: () => 'A pass can start at most 30 days from now.',
    nextStep: (c) =>
      `Pick a closer date, for example \`issue TAP for ${c.who ?? 'alice@contoso.com'} start in 2h\`.`,
  },
  LIMIT_ISSUER_HOUR: {
    title: 'Hourly limit reached',
    message: (c) =>
      `You have issued ${c.max ?? 'the maximum number of'} passes this hour, TapDesk's limit per admin. Nothing was issued.`,
    nextStep: (c) =>
      `It resets at ${c.resetsAtText ?? 'the top of the hour'}. If this is an onboarding wave, ask for bulk issuance instead.`,
  },
  LIMIT_TARGET_DAY: {
    title: 'Daily limit for this person reached',
    message: (c) =>
      `${them(c)} already got ${c.max ?? 'the maximum number of'} passes today, TapDesk's limit per person. Repeated passes for one account are a pattern attackers use.`,
    nextStep: (c) =>
      `It resets at ${c.resetsAtText ?? 'midnight UTC'}. Check \`audit for ${c.who ?? 'the user'}\` and talk to the person before going further.`,
  },
  LIMIT_TENANT_HOUR: {
    title: 'Direct issuance is paused',
    message: (c) =>
      `More than ${c.max ?? 'the allowed number of'} passes were issued across the tenant this hour. That looks like an incident, so TapDesk has paused direct issuance.`,
    nextStep: (c) =>
      `Review \`audit last 100\`; issuance resumes at ${c.resetsAtText ?? 'the top of the hour'}.`,
  },
  POLICY_NOT_READABLE: {
    title: "You can't read the TAP policy",
    message: () =>
      'Entra only shows the authentication methods policy to Global Readers, Global Administrators, Authentication Policy Administrators and security roles; your account has none of them active.',
    nextStep: () =>
      'You can still issue passes: Entra checks the policy when you confirm and TapDesk shows its answer. Ask a Global Reader for the settings if you need them.',
  },
  AUDIT_NOT_ALLOWED: {
    title: 'The audit trail is for admins',
    message: () =>
      'Only people holding Authentication Administrator, Privileged Authentication Administrator, Global Administrator or Global Reader (active) can read the TAP audit trail.',
    nextStep: () => 'If you hold one of these roles through PIM, activate it and ask again.',
  },
  INTUNE_ROLE_MISSING: {
    title: 'You need an Intune role',
    message: () =>
      'Intune only shows Windows Autopilot devices to Intune Administrators and Global Administrators (or to an Intune role that may read enrollment program devices), and your account has none of these active.',
    nextStep: () =>
      'If you are eligible for Intune Administrator in Privileged Identity Management, activate it and try again; otherwise ask a colleague who holds it.',
  },
  DEVICES_NOT_CONSENTED: {
    title: 'TapDesk may not read Autopilot devices yet',
    message: () =>
      'Entra or Intune says TapDesk has not been granted the delegated Graph permission DeviceManagementServiceConfig.Read.All. Passes are not affected.',
    nextStep: () =>
      'An admin who may consent to delegated permissions (Global Administrator, Privileged Role Administrator, Cloud Application Administrator or Application Administrator) must grant admin consent to the TapDesk app in Entra again after it was updated (Enterprise applications > TapDesk > Permissions).',
  },
  DEVICES_UNAVAILABLE: {
    title: 'Intune is not answering',
    message: (c) =>
      c.retryAfterSeconds
        ? `Intune asked us to slow down for about ${Math.ceil(c.retryAfterSeconds)} seconds.`
        : 'Intune did not answer in time, asked us to slow down, or reported an outage.',
    nextStep: () => 'Wait a minute and ask again.',
  },
  DEVICES_USER_NOT_FOUND: {
    title: 'No such user',
    message: (c) => `I could not find anyone matching '${c.who ?? ''}' in the directory.`,
    nextStep: () =>
      'Check the spelling, or use the full sign-in address, for example `devices for alice@contoso.com`.',
  },
  UNEXPECTED: {
    title: 'Something went wrong',
    message: () => 'An unexpected error stopped this request. Nothing was issued.',
    nextStep: () => 'Try again; if it happens again, give the helpdesk the time of this message.',
  },
} satisfies Record<string, CatalogEntry>;

export type ProblemCode = keyof typeof CATALOG;

/** A catalog entry rendered for chat. */
export interface Problem {
  code: ProblemCode;
  title: string;
  message: string;
  nextStep: string;
}

// Lists of people and worded details are longer than one name, but still bounded.
const LONG_FIELDS: ReadonlySet<string> = new Set(['matches', 'detail']);

/**
 * Every string in a context is neutralised here, where it is interpolated, so no caller can forget:
 * names and addresses come from the directory or were typed, details quote CSV cells and Graph.
 * Catalog text goes out as plain chat text and on cards; cards neutralise again, which is harmless.
 */
function neutralised(context: ProblemContext): ProblemContext {
  const safe: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(context))
    safe[key] =
      typeof value === 'string'
        ? neutraliseChat(value, LONG_FIELDS.has(key) ? 4 * MAX_CHAT_FIELD : MAX_CHAT_FIELD)
        : value;
  return safe as ProblemContext;
}

/** Renders a catalog entry with its context into chat-safe text. */
export function problem(code: ProblemCode, context: ProblemContext = {}): Problem {
  const entry: CatalogEntry = CATALOG[code];
  const safe = neutralised(context);
  return { code, title: entry.title, message: entry.message(safe), nextStep: entry.nextStep(safe) };
}

/** A problem as one plain-text message (a notice, or a reply beside a card). */
export function problemLine(p: Problem): string {
  return `${p.title}. ${p.message} ${p.nextStep}`;
}

/** An error that carries a catalog problem up to the chat layer. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.code}: ${problem.title}`);
    this.name = 'ProblemError';
  }
}
