import { problem, type Problem } from '../errors/catalog.js';
import type { CreatedTap, TapGraph } from '../graph/port.js';
import { auditAfterTheFact, requestEvent } from '../tap/audit-events.js';
import { ignoreConflict, type Clicker } from '../tap/clicks.js';
import type { CoreDeps } from '../tap/core-deps.js';
import type { DeliveryInfo, TapRequest } from '../tap/request.js';

export type DeliveryChannelName = 'manager' | 'sms';

/** What a delivery came to, for the approver's answer. */
export type DeliveryOutcome =
  | { kind: 'delivered'; request: TapRequest; destination: string }
  | { kind: 'failed'; request: TapRequest; problem: Problem };

const REVOKE_TIMEOUT_MS = 10_000;

/** Records a delivery that reached its channel: on the request (for the cards) and in the audit trail. */
export async function recordDelivered(
  deps: CoreDeps,
  request: TapRequest,
  clicker: Clicker,
  channel: DeliveryChannelName,
  destination: string,
  info: DeliveryInfo,
): Promise<DeliveryOutcome> {
  const delivery: DeliveryInfo = { ...request.approval?.delivery, ...info, outcome: 'delivered' };
  const written = await patchDelivery(deps, request, delivery);
  await auditAfterTheFact(
    deps,
    requestEvent('pass.delivered', written, clicker, {
      delivery: { channel, destination, outcome: 'delivered' },
    }),
  );
  return { kind: 'delivered', request: written, destination };
}

/**
 * A delivery that failed (or may have failed) leaves no pass behind: it is revoked at once with the
 * approver's own token, and the request ends failed. Nothing is sent again: the approver is told,
 * and a new request makes a new pass. When Entra does not confirm the revoke, the approver is told
 * to revoke it by hand and the request stays issued, so its Revoke button and notices still work.
 */
export async function failDelivery(
  deps: CoreDeps,
  graph: TapGraph,
  request: TapRequest,
  pass: CreatedTap,
  clicker: Clicker,
  failure: { channel: DeliveryChannelName; destination: string; why: string },
): Promise<DeliveryOutcome> {
  const target = request.target!;
  const revoked = await graph
    .deleteTap(target.id, pass.id, AbortSignal.timeout(REVOKE_TIMEOUT_MS))
    .then(() => true)
    .catch(() => false);
  const ctx = { targetName: target.displayName, who: target.userPrincipalName, detail: failure.why };
  const found = problem(revoked ? 'DELIVERY_FAILED' : 'DELIVERY_FAILED_NOT_REVOKED', ctx);
  const at = deps.clock.now().toISOString();
  const delivery: DeliveryInfo = { ...request.approval?.delivery, outcome: 'failed' };
  const ended = await updateRequest(deps, request, (r) => ({
    ...r,
    ...(revoked
      ? {
          state: 'failed' as const,
          outcome: { ...r.outcome, problemCode: found.code, revokedBy: clicker, revokedAt: at, at },
        }
      : {}),
    approval: { ...r.approval!, delivery },
  }));
  await auditAfterTheFact(
    deps,
    requestEvent('pass.delivery_failed', ended, clicker, {
      code: found.code,
      methodId: pass.id,
      delivery: { channel: failure.channel, destination: failure.destination, outcome: failure.why },
    }),
  );
  if (revoked)
    await auditAfterTheFact(deps, requestEvent('tap.revoked', ended, clicker, { methodId: pass.id }));
  return { kind: 'failed', request: ended, problem: found };
}

function patchDelivery(deps: CoreDeps, request: TapRequest, delivery: DeliveryInfo): Promise<TapRequest> {
  return updateRequest(deps, request, (r) => ({ ...r, approval: { ...r.approval!, delivery } }));
}

/** A conditional write on the latest row, a few times: a notice or a card update may write meanwhile. */
async function updateRequest(
  deps: CoreDeps,
  request: TapRequest,
  change: (r: TapRequest) => TapRequest,
): Promise<TapRequest> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const row = await deps.requests.get(request.id);
    if (!row) return change(request);
    const written = await deps.requests.update(row, change(row.value)).catch(ignoreConflict);
    if (written) return written.value;
  }
  return change(request);
}
