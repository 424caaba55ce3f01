import { ConflictError, type StoredRow } from '../store/port.js';
import { UnitOfWork } from '../store/unit.js';
import { requestEvent } from '../tap/audit-events.js';
import type { CoreDeps } from '../tap/core-deps.js';
import type { TapRequest } from '../tap/request.js';
import type { FaceCheckRecord } from './record.js';
import { secretMatches } from './secret.js';
import type { FaceCheckSettings } from './settings.js';

/** How a callback was answered: the HTTP status, and the request when it changed (the card to redraw). */
export type CallbackOutcome =
  { status: 200; changed: TapRequest | undefined } | { status: 400 | 401 | 409; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = ['request_retrieved', 'presentation_verified', 'presentation_error'] as const;
type CallbackStatus = (typeof STATUSES)[number];
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

interface Callback {
  state: string;
  requestId: string;
  requestStatus: CallbackStatus;
  body: Record<string, unknown>;
}

function parseCallback(body: unknown): Callback | undefined {
  if (!isObject(body)) return undefined;
  const { state, requestId, requestStatus } = body;
  if (typeof state !== 'string' || !UUID.test(state) || typeof requestId !== 'string') return undefined;
  if (!STATUSES.includes(requestStatus as CallbackStatus)) return undefined;
  return { state, requestId, requestStatus: requestStatus as CallbackStatus, body };
}

/** A code safe to keep and show: the service's own error codes are short identifiers. */
const safeCode = (code: unknown) =>
  typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : 'presentationError';

/**
 * What a verified presentation proves, checked again here rather than trusted because it arrived: a
 * VerifiedEmployee credential of an accepted issuer, for the person the check was made for, with a
 * Face Check score at or above the threshold. The score, or why it does not count.
 */
export function judgePresentation(
  body: Record<string, unknown>,
  record: FaceCheckRecord,
  settings: Pick<FaceCheckSettings, 'acceptedIssuers'>,
): { passed: true; score: number } | { passed: false; failure: string } {
  const data = Array.isArray(body.verifiedCredentialsData) ? body.verifiedCredentialsData : [];
  const credential = data.find(
    (c): c is Record<string, unknown> =>
      isObject(c) && Array.isArray(c.type) && c.type.includes('VerifiedEmployee'),
  );
  if (!credential) return { passed: false, failure: 'noVerifiedEmployee' };
  const issuer = typeof credential.issuer === 'string' ? credential.issuer.toLowerCase() : '';
  if (
    settings.acceptedIssuers.length > 0 &&
    !settings.acceptedIssuers.some((i) => i.toLowerCase() === issuer)
  )
    return { passed: false, failure: 'issuerNotAccepted' };
  // The request asked for unrevoked credentials; one reported otherwise does not count.
  const revocation = isObject(credential.credentialState)
    ? credential.credentialState.revocationStatus
    : 'VALID';
  if (revocation !== 'VALID') return { passed: false, failure: 'credentialRevoked' };
  const mail = isObject(credential.claims) ? credential.claims.mail : undefined;
  if (typeof mail !== 'string' || !record.expectedMail.includes(mail.toLowerCase()))
    return { passed: false, failure: 'otherPerson' };
  const score = isObject(credential.faceCheck) ? credential.faceCheck.matchConfidenceScore : undefined;
  if (typeof score !== 'number' || !Number.isFinite(score)) return { passed: false, failure: 'noFaceCheck' };
  if (score < record.threshold) return { passed: false, failure: 'belowThreshold' };
  return { passed: true, score };
}

/** The record after this callback, or a refusal when the check is already decided. */
function nextRecord(
  record: FaceCheckRecord,
  callback: Callback,
  settings: FaceCheckSettings,
  now: Date,
): FaceCheckRecord | 'unchanged' | 'decided' {
  if (record.status === 'passed' || record.status === 'failed') return 'decided';
  if (callback.requestStatus === 'request_retrieved')
    return record.status === 'retrieved' ? 'unchanged' : { ...record, status: 'retrieved' };
  const decidedAt = now.toISOString();
  if (callback.requestStatus === 'presentation_error') {
    const error = isObject(callback.body.error) ? callback.body.error.code : undefined;
    return { ...record, status: 'failed', failure: safeCode(error), decidedAt };
  }
  const judged = judgePresentation(callback.body, record, settings);
  return judged.passed
    ? { ...record, status: 'passed', score: judged.score, decidedAt }
    : { ...record, status: 'failed', failure: judged.failure, decidedAt };
}

/**
 * A Request Service callback: authenticated by the check's secret (`api-key`, compared in constant
 * time with the stored hash), bound to the check it names (request id and presentation id), applied
 * once. A forged callback (no or wrong key, another presentation) is refused with 401; one that arrives
 * after the check was decided, or for a request no longer pending, with 409, and nothing changes.
 */
export async function recordCallback(
  core: CoreDeps,
  settings: FaceCheckSettings,
  input: { apiKey: string | undefined; body: unknown },
): Promise<CallbackOutcome> {
  const callback = parseCallback(input.body);
  if (!callback) return { status: 400, reason: 'malformed' };
  for (let attempt = 1; ; attempt += 1) {
    const row = await core.requests.get(callback.state);
    const record = row?.value.faceCheck;
    // Unknown request, no check, wrong key, or a superseded check: all look alike to the caller.
    if (!row || !record || !secretMatches(input.apiKey, record.secretSha256))
      return { status: 401, reason: 'unauthenticated' };
    if (record.verifiedIdRequestId !== callback.requestId)
      return { status: 401, reason: 'other_presentation' };
    if (row.value.state !== 'pending') return { status: 409, reason: 'request_not_pending' };
    const next = nextRecord(record, callback, settings, core.clock.now());
    if (next === 'decided') return { status: 409, reason: 'already_decided' };
    if (next === 'unchanged') return { status: 200, changed: undefined };
    try {
      return { status: 200, changed: await commitRecord(core, row, next) };
    } catch (error) {
      // A click changed the request between the read and the write: read it again.
      if (!(error instanceof ConflictError) || error.index !== 0 || attempt >= 3) throw error;
    }
  }
}

async function commitRecord(
  core: CoreDeps,
  row: StoredRow<TapRequest>,
  record: FaceCheckRecord,
): Promise<TapRequest> {
  const next: TapRequest = { ...row.value, faceCheck: record };
  const unit = new UnitOfWork();
  core.requests.updateIn(unit, row, next);
  if (record.status === 'passed' || record.status === 'failed')
    core.audit.appendIn(
      unit,
      requestEvent(`facecheck.${record.status}`, next, record.by, {
        faceCheckRequestId: record.verifiedIdRequestId,
        ...(record.score !== undefined ? { faceCheckScore: record.score } : {}),
        ...(record.failure ? { code: record.failure } : {}),
      }),
    );
  await unit.commit(core.store);
  return next;
}
