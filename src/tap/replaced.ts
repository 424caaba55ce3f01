import type { NewAuditEvent } from '../audit/log.js';
import type { TapMethod } from '../graph/port.js';
import type { StoredRow } from '../store/port.js';
import { requestEvent } from './audit-events.js';
import type { Clicker } from './clicks.js';
import type { CoreDeps } from './core-deps.js';
import type { TapRequest } from './request.js';

/** The audit event of a pass's issuance by TapDesk (who issued it, from which request), by method id. */
export async function issuingEvent(deps: CoreDeps, targetId: string, methodId: string) {
  const events = await deps.audit.forTarget(targetId, 100);
  return events.find((e) => e.type === 'tap.issued' && e.methodId === methodId);
}

/** What a replaced pass changes, read before the outcome's commit so it can ride along with it. */
export interface ReplacedWrites {
  event: NewAuditEvent;
  /** The request that issued the old pass, if TapDesk did and it still says so, and what it becomes. */
  earlier?: { row: StoredRow<TapRequest>; next: TapRequest };
}

/**
 * Reads what `recordReplaced` would write: its audit event, and the earlier request to mark
 * replaced. Best effort: when the read fails, only the event is written.
 */
export async function replacedWrites(
  deps: CoreDeps,
  issued: TapRequest,
  old: TapMethod,
  clicker: Clicker,
): Promise<ReplacedWrites> {
  const event = requestEvent('tap.replaced', issued, clicker, {
    methodId: old.id,
    reason: `The pass created ${old.createdDateTime} was replaced by this request's pass.`,
  });
  try {
    const earlier = await issuingEvent(deps, issued.target!.id, old.id);
    const row = earlier ? await deps.requests.get(earlier.requestId) : undefined;
    if (row?.value.state !== 'issued' || row.value.outcome?.methodId !== old.id) return { event };
    const next: TapRequest = {
      ...row.value,
      state: 'replaced',
      outcome: { ...row.value.outcome, at: deps.clock.now().toISOString() },
    };
    return { event, earlier: { row, next } };
  } catch (error) {
    deps.onBackgroundError('request.mark_replaced', error);
    return { event };
  }
}
