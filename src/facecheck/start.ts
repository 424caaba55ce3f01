import { VERBS } from '../cards/actions.js';
import { problem, type Problem } from '../errors/catalog.js';
import { ConflictError } from '../store/port.js';
import { UnitOfWork } from '../store/unit.js';
import { requestEvent } from '../tap/audit-events.js';
import { guardClick, type Clicker } from '../tap/clicks.js';
import type { CoreDeps } from '../tap/core-deps.js';
import type { TapRequest } from '../tap/request.js';
import { PresentationServiceError, type PresentationService } from './port.js';
import type { FaceCheckRecord } from './record.js';
import { newCallbackSecret, secretHash } from './secret.js';
import type { FaceCheckSettings } from './settings.js';

/** The Face Check part of the core: the request store and clock, the settings and the Request Service. */
export interface FaceCheckDeps {
  core: CoreDeps;
  /** Both undefined when Face Check is not configured: a click then gets that answer, after its checks. */
  settings: FaceCheckSettings | undefined;
  service: PresentationService | undefined;
}

export type StartOutcome =
  | { kind: 'started'; request: TapRequest; qrCode: string | undefined }
  | { kind: 'problem'; problem: Problem; request?: TapRequest };

const CREATE_TIMEOUT_MS = 8_000;

/** The addresses the credential's mail claim may carry: the person's own mail and sign-in name, once each. */
export function ownAddresses(request: TapRequest): string[] {
  const all = [request.cardFacts?.mail, request.target?.userPrincipalName].filter((a): a is string => !!a);
  return [...new Set(all.map((a) => a.toLowerCase()))];
}

/**
 * "Verify with Face Check" on a confirmation card: the click is checked against the stored request like
 * every click (the requester, an issue request, still pending and not expired), then a presentation
 * request is made with a fresh callback secret, and the request keeps the check with the secret's hash
 * only. A new click replaces an earlier check, whose callbacks are refused from then on.
 */
export async function startFaceCheck(
  deps: FaceCheckDeps,
  click: { requestId: string; clicker: Clicker; cardActivityId: string | undefined },
): Promise<StartOutcome> {
  const { core } = deps;
  const guarded = await guardClick(core, VERBS.faceCheck, click.requestId, click.clicker);
  if (!guarded.ok) return { kind: 'problem', problem: guarded.problem, request: guarded.request };
  const { settings, service } = deps;
  if (!settings || !service) return { kind: 'problem', problem: problem('FACE_CHECK_NOT_CONFIGURED') };
  const target = guarded.row.value.target;
  if (!target) return { kind: 'problem', problem: problem('BAD_CARD_PAYLOAD') };
  // The card the callbacks update: the one recorded for the request, else the one clicked in a 1:1 chat.
  const cardActivityId = guarded.row.value.cardActivityId ?? click.cardActivityId;
  const secret = newCallbackSecret();
  let created;
  try {
    created = await service.create(
      {
        state: click.requestId,
        apiKey: secret,
        mailValues: ownAddresses(guarded.row.value),
        threshold: settings.threshold,
      },
      AbortSignal.timeout(CREATE_TIMEOUT_MS),
    );
  } catch (error) {
    if (!(error instanceof PresentationServiceError)) throw error;
    core.onBackgroundError('facecheck.create', error);
    return { kind: 'problem', problem: problem('FACE_CHECK_UNAVAILABLE') };
  }
  const record: FaceCheckRecord = {
    verifiedIdRequestId: created.requestId,
    secretSha256: secretHash(secret),
    status: 'waiting',
    by: { oid: click.clicker.oid, name: click.clicker.name },
    targetId: target.id,
    expectedMail: ownAddresses(guarded.row.value),
    threshold: settings.threshold,
    startedAt: core.clock.now().toISOString(),
    expiresAt: new Date(created.expiry * 1000).toISOString(),
    url: created.url,
    ...(cardActivityId ? { cardActivityId } : {}),
  };
  const next: TapRequest = { ...guarded.row.value, faceCheck: record };
  const unit = new UnitOfWork();
  core.requests.updateIn(unit, guarded.row, next);
  core.audit.appendIn(
    unit,
    requestEvent('facecheck.started', next, click.clicker, { faceCheckRequestId: created.requestId }),
  );
  try {
    await unit.commit(core.store);
  } catch (error) {
    if (!(error instanceof ConflictError) || error.index !== 0) throw error;
    // Another click changed the request meanwhile (Confirm, Cancel): this check is not kept.
    const latest = await core.requests.get(click.requestId);
    return { kind: 'problem', problem: problem('REQUEST_ALREADY_USED'), request: latest?.value };
  }
  return { kind: 'started', request: next, qrCode: created.qrCode };
}
