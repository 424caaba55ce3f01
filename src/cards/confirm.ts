// The confirmation card an admin sees before a pass is issued.
import { VERIFICATION_METHODS } from './actions.js';
import { neutraliseOrDash, neutraliseText } from './escape.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

export interface ConfirmCardData {
  requestId: string;
  requesterName: string;
  requestExpiresText: string;
  target: {
    displayName: string;
    userPrincipalName: string;
    department: string | null;
    jobTitle: string | null;
    managerName: string | null;
    accountEnabled: boolean;
  };
  existingPass: null | { createdText: string; stateText: string };
  lifetimeText: string;
  /** Undefined when neither the admin nor a readable policy decided it: Entra's policy then does. */
  usableOnce: boolean | undefined;
  /** What the tenant policy allows (policyTermsText), or null when it could not be read. */
  policyText: string | null;
  startText: string;
  expiresText: string;
  notes: string[];
  warnings: string[];
}

const MAX_NOTE_CHARS = 500;

/** Describes one-time versus multi-use in the words used on every card. */
export function usageText(usableOnce: boolean): string {
  return usableOnce ? 'One-time (works for a single sign-in)' : 'Multi-use until it expires';
}

/** The Use line of a plan, which may leave one-time or multi-use to a policy no one could read. */
export function plannedUsageText(usableOnce: boolean | undefined): string {
  return usableOnce === undefined
    ? 'As the tenant policy sets it (one-time or multi-use)'
    : usageText(usableOnce);
}

/** The policy's limits in one line, the same on every card. */
export function policyTermsText(
  terms: { minimumLifetimeInMinutes: number; maximumLifetimeInMinutes: number; isUsableOnce: boolean },
  duration: (minutes: number) => string,
): string {
  const range = `${duration(terms.minimumLifetimeInMinutes)} to ${duration(terms.maximumLifetimeInMinutes)}`;
  return `Passes of ${range}; ${terms.isUsableOnce ? 'one-time only' : 'one-time or multi-use'}`;
}

/** Renders the card that asks the admin to verify the person and confirm issuing a pass. */
export function renderConfirmCard(d: ConfirmCardData): AdaptiveCardJson {
  const { target, existingPass } = d;
  const existingPassText = existingPass
    ? `Yes — created ${neutraliseText(existingPass.createdText)} (${neutraliseText(existingPass.stateText)})`
    : 'None';
  return expandTemplate('confirm', {
    requestId: d.requestId,
    requesterName: neutraliseOrDash(d.requesterName),
    requestExpiresText: neutraliseOrDash(d.requestExpiresText),
    targetFacts: [
      { title: 'Name', value: neutraliseOrDash(target.displayName) },
      { title: 'Sign-in name', value: neutraliseOrDash(target.userPrincipalName) },
      { title: 'Department', value: neutraliseOrDash(target.department) },
      { title: 'Job title', value: neutraliseOrDash(target.jobTitle) },
      { title: 'Manager', value: neutraliseOrDash(target.managerName) },
      { title: 'Account', value: target.accountEnabled ? 'Enabled' : 'Disabled' },
      { title: 'Existing pass', value: existingPassText },
    ],
    hasExistingPass: existingPass !== null,
    existingPassWarning: existingPass
      ? `This person already has a Temporary Access Pass (created ${neutraliseText(existingPass.createdText)}). ` +
        'It will be REPLACED by the new one.'
      : '',
    passFacts: [
      { title: 'Lifetime', value: neutraliseOrDash(d.lifetimeText) },
      { title: 'Use', value: plannedUsageText(d.usableOnce) },
      { title: 'Starts', value: neutraliseOrDash(d.startText) },
      { title: 'Expires', value: neutraliseOrDash(d.expiresText) },
      ...(d.policyText ? [{ title: 'Tenant policy', value: neutraliseText(d.policyText) }] : []),
    ],
    notes: d.notes.map((note) => neutraliseText(note, MAX_NOTE_CHARS)),
    warnings: d.warnings.map((warning) => neutraliseText(warning, MAX_NOTE_CHARS)),
    verificationChoices: VERIFICATION_METHODS.map(({ title, value }) => ({ title, value })),
  });
}
