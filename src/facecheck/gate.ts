import { FACE_CHECK_CHOICE } from '../cards/actions.js';
import { problem, type Problem } from '../errors/catalog.js';
import type { TapRequest } from '../tap/request.js';
import { FACE_CHECK_MAX_AGE_MINUTES, FACE_CHECK_VERIFICATION, type FaceCheckSettings } from './settings.js';

/** What Confirm records: the verification, and a passing Face Check's score and presentation id. */
export type GateResult =
  | { ok: true; verification: string; faceCheck?: { score: number; requestId: string } }
  | { ok: false; problem: Problem };

/** The request's Face Check when it passed for its person and is recent enough to issue on. */
function passingCheck(request: TapRequest, now: Date) {
  const record = request.faceCheck;
  if (!record || record.status !== 'passed' || record.score === undefined || !record.decidedAt)
    return undefined;
  if (record.targetId !== request.target?.id) return undefined;
  return {
    record,
    fresh: now.getTime() - Date.parse(record.decidedAt) < FACE_CHECK_MAX_AGE_MINUTES * 60_000,
  };
}

/**
 * Confirm's Face Check rule. A recent passing check for this request and its person is what the pass
 * is recorded as verified by. Without one, Confirm is refused when Face Check is required or the card's
 * Face Check choice was sent (a claim, never taken on trust); otherwise the admin's own choice stands.
 */
export function faceCheckGate(
  request: TapRequest,
  verification: string,
  settings: FaceCheckSettings | undefined,
  now: Date,
): GateResult {
  const ctx = { targetName: request.target?.displayName, who: request.target?.userPrincipalName };
  const found = passingCheck(request, now);
  if (found?.fresh)
    return {
      ok: true,
      verification: FACE_CHECK_VERIFICATION,
      faceCheck: { score: found.record.score!, requestId: found.record.verifiedIdRequestId },
    };
  const needed = verification === FACE_CHECK_CHOICE || settings?.required === true;
  if (!needed) return { ok: true, verification };
  if (found)
    return { ok: false, problem: problem('FACE_CHECK_EXPIRED', { ...ctx, max: FACE_CHECK_MAX_AGE_MINUTES }) };
  return { ok: false, problem: problem(settings ? 'FACE_CHECK_REQUIRED' : 'FACE_CHECK_NOT_CONFIGURED', ctx) };
}
