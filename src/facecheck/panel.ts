import type { FaceCheckPanel } from '../cards/confirm.js';
import { formatWhen } from '../tap/format.js';
import type { TapRequest } from '../tap/request.js';
import { FACE_CHECK_MAX_AGE_MINUTES, type FaceCheckSettings } from './settings.js';

/** Why a check failed, in words; codes TapDesk does not know are shown as they are. */
const FAILURES: Record<string, string> = {
  claimValidationError: 'the face did not match the photo closely enough, or the credential was not theirs',
  belowThreshold: 'the face did not match the photo closely enough',
  otherPerson: 'the credential presented belongs to someone else',
  issuerNotAccepted: 'the credential was issued by an organisation TapDesk does not accept',
  noVerifiedEmployee: 'no employee credential was presented',
  noFaceCheck: 'the presentation carried no Face Check result',
  credentialRevoked: 'their employee credential has been revoked',
  userCanceled: 'they cancelled it in Authenticator',
};

/**
 * The Face Check part of a confirmation card, from what the request keeps: nothing when Face Check is
 * not configured; otherwise the offer, the QR code and link while it waits (the QR code only in the
 * answer to the click that made it), and the result, "passed (score 87) at 10:02" or "failed".
 */
export function faceCheckPanel(
  request: TapRequest,
  settings: FaceCheckSettings | undefined,
  now: Date,
  qrCode?: string,
): FaceCheckPanel | undefined {
  if (!settings) return undefined;
  const name = request.target?.displayName ?? 'the person';
  const at = (iso: string) => formatWhen(new Date(iso), request.timeZone, now);
  const record = request.faceCheck;
  if (!record)
    return {
      statusText:
        `Ask ${name} to prove it is them: a Verified ID Face Check in Microsoft Authenticator compares their face with their employee photo.` +
        (settings.required ? ' A passing Face Check is required before Confirm.' : ''),
      tone: 'Default',
      canStart: true,
      buttonTitle: 'Verify with Face Check',
    };
  if (record.status === 'waiting' || record.status === 'retrieved')
    return {
      statusText:
        record.status === 'waiting'
          ? `Waiting for ${name}: they scan this QR code (or open the link) with Microsoft Authenticator before ${at(record.expiresAt)}.`
          : `${name} opened the request in Microsoft Authenticator; waiting for the Face Check result.`,
      tone: 'Accent',
      ...(record.status === 'waiting' && qrCode ? { qrCode } : {}),
      ...(record.status === 'waiting' ? { link: record.url } : {}),
      canStart: true,
      buttonTitle: 'Start a new Face Check',
    };
  const decided = at(record.decidedAt ?? record.startedAt);
  if (record.status === 'passed') {
    const fresh = now.getTime() - Date.parse(record.decidedAt ?? '') < FACE_CHECK_MAX_AGE_MINUTES * 60_000;
    const score = Math.round(record.score ?? 0);
    return fresh
      ? {
          statusText: `Face Check passed (score ${score}) at ${decided}.`,
          tone: 'Good',
          canStart: false,
          buttonTitle: '',
          passedScore: record.score,
        }
      : {
          statusText: `Face Check passed (score ${score}) at ${decided}, more than ${FACE_CHECK_MAX_AGE_MINUTES} minutes ago: start a new one.`,
          tone: 'Attention',
          canStart: true,
          buttonTitle: 'Start a new Face Check',
        };
  }
  const why = FAILURES[record.failure ?? ''] ?? record.failure ?? 'no reason given';
  return {
    statusText: `Face Check failed at ${decided}: ${why}.`,
    tone: 'Attention',
    canStart: true,
    buttonTitle: 'Try Face Check again',
  };
}
