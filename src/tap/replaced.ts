import type { TapMethod } from '../graph/port.js';
import { auditAfterTheFact, requestEvent } from './audit-events.js';
import type { Clicker } from './clicks.js';
import type { CoreDeps } from './core-deps.js';
import type { TapRequest } from './request.js';

/** The audit event of a pass's issuance by TapDesk (who issued it, from which request), by method id. */
export async function issuingEvent(deps: CoreDeps, targetId: string, methodId: string) {
  const events = await deps.audit.forTarget(targetId, 100);
  return events.find((e) => e.type === 'tap.issued' && e.methodId === methodId);
}

/**
 * A new pass replaced the person's previous one (Entra keeps one per person): the trail says so, and
 * the request that issued the old one, if TapDesk did, stops sending reminders and offering Revoke.
 */
export async function recordReplaced(
  deps: CoreDeps,
  issued: TapRequest,
  old: TapMethod,
  clicker: Clicker,
): Promise<void> {
  const target = issued.target!;
  await auditAfterTheFact(
    deps,
    requestEvent('tap.replaced', issued, clicker, {
      methodId: old.id,
      reason: `The pass created ${old.createdDateTime} was replaced by this request's pass.`,
    }),
  );
  try {
    const earlier = await issuingEvent(deps, target.id, old.id);
    const row = earlier ? await deps.requests.get(earlier.requestId) : undefined;
    if (row?.value.state !== 'issued' || row.value.outcome?.methodId !== old.id) return;
    await deps.requests.update(row, {
      ...row.value,
      state: 'replaced',
      outcome: { ...row.value.outcome, at: deps.clock.now().toISOString() },
    });
  } catch (error) {
    deps.onBackgroundError('request.mark_replaced', error);
  }
}
