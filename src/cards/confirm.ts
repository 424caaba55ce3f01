// The confirmation card an admin sees before a pass is issued.
import { FACE_CHECK_CHOICE, VERIFICATION_METHODS } from './actions.js';
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
  /** The Face Check part of the card; undefined when Face Check is not configured. */
  faceCheck?: FaceCheckPanel;
}

/** What the card says about the Face Check: where it stands, the QR code and link while it waits. */
export interface FaceCheckPanel {
  statusText: string;
  tone: 'Default' | 'Good' | 'Attention' | 'Accent';
  /** A data: URI from the Request Service, shown only in the answer to the click that started the check. */
  qrCode?: string;
  link?: string;
  /** Whether the button to start (or start again) is offered, and its words. */
  canStart: boolean;
  buttonTitle: string;
  /** Set once the person passed: the card then offers (and preselects) Face Check as the verification. */
  passedScore?: number;
}

/**
 * The link Authenticator opens, shown only in the shape the Request Service gives it
 * (`openid-vc://?request_uri=https://host/path`), whose characters Markdown leaves alone; the person must
 * be able to copy it exactly, so it is checked instead of neutralised.
 */
const safeLink = (link: string | undefined) =>
  link && /^openid-vc:\/\/\?request_uri=https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/[A-Za-z0-9./-]+$/.test(link)
    ? link
    : '';

/** Only what the Request Service gives: a PNG data URI, or an https link to one. */
const safeImage = (uri: string | undefined) =>
  uri && (/^data:image\/png;base64,[A-Za-z0-9+/=]+$/.test(uri) || /^https:\/\/\S+$/.test(uri)) ? uri : '';

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
  const card = expandTemplate('confirm', {
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
    ...faceCheckView(d.faceCheck),
  });
  return withoutEmptyVerification(card);
}

/**
 * The verification choices and the Face Check part of a card that issues a pass (confirmation and
 * onboarding cards share them): a passed check is offered, and preselected, as the verification.
 */
export function faceCheckView(faceCheck: FaceCheckPanel | undefined): Record<string, unknown> {
  return {
    verificationChoices: [
      ...(faceCheck?.passedScore !== undefined
        ? [
            {
              title: `Verified ID Face Check (passed, score ${Math.round(faceCheck.passedScore)})`,
              value: FACE_CHECK_CHOICE,
            },
          ]
        : []),
      ...VERIFICATION_METHODS.map(({ title, value }) => ({ title, value })),
    ],
    verificationValue: faceCheck?.passedScore !== undefined ? FACE_CHECK_CHOICE : '',
    hasFaceCheck: faceCheck !== undefined,
    faceCheckStatus: neutraliseText(faceCheck?.statusText ?? '', MAX_NOTE_CHARS),
    faceCheckColor: faceCheck?.tone ?? 'Default',
    hasFaceCheckQr: safeImage(faceCheck?.qrCode) !== '',
    faceCheckQr: safeImage(faceCheck?.qrCode),
    hasFaceCheckLink: safeLink(faceCheck?.link) !== '',
    faceCheckLink: safeLink(faceCheck?.link),
    canStartFaceCheck: faceCheck?.canStart === true,
    faceCheckButton: faceCheck?.buttonTitle ?? '',
  };
}

/** Nothing is preselected until a Face Check passed; an empty value is not a valid Adaptive Card value. */
export function withoutEmptyVerification(card: AdaptiveCardJson): AdaptiveCardJson {
  const body = card['body'] as Record<string, unknown>[];
  for (const element of body)
    if (element['id'] === 'verification' && element['value'] === '') delete element['value'];
  return card;
}
