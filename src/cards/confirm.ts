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
  usableOnce: boolean;
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
      { title: 'Use', value: usageText(d.usableOnce) },
      { title: 'Starts', value: neutraliseOrDash(d.startText) },
      { title: 'Expires', value: neutraliseOrDash(d.expiresText) },
    ],
    notes: d.notes.map((note) => neutraliseText(note, MAX_NOTE_CHARS)),
    warnings: d.warnings.map((warning) => neutraliseText(warning, MAX_NOTE_CHARS)),
    verificationChoices: VERIFICATION_METHODS.map(({ title, value }) => ({ title, value })),
  });
}
