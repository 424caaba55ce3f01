import type { NewAuditEvent } from '../audit/log.js';
import { ConflictError, writtenBy, type StoredRow } from '../store/port.js';
import { UnitOfWork } from '../store/unit.js';
import type { CoreDeps } from './core-deps.js';
import type { TapRequest } from './request.js';

/** What a click's second commit records: the request's outcome first, then everything that rides along. */
export interface OutcomeWrites {
  row: StoredRow<TapRequest>;
  next: TapRequest;
  events: NewAuditEvent[];
  /** Adds what rides along with the outcome to the unit: the notices it owes, the list of passes. */
  alongside: (unit: UnitOfWork) => Promise<void>;
  /** Another request this outcome ends too (a replaced or revoked pass's issue request); best effort. */
  other?: { row: StoredRow<TapRequest>; next: TapRequest };
}

/**
 * Commits an outcome with its audit events and notices as one unit. The outcome leads the unit, so
 * on Azure Tables its transaction is sent first and alone: when a later one fails, the outcome is
 * recorded and what is missing is tried once more. When `other` changed meanwhile it is left alone
 * and the rest committed without it. Returns the error when the outcome itself was not written
 * (nothing of the unit was); the caller decides what then.
 */
export async function commitOutcome(deps: CoreDeps, o: OutcomeWrites): Promise<{ error?: unknown }> {
  let other = o.other;
  for (;;) {
    const unit = new UnitOfWork();
    const slot = deps.requests.updateIn(unit, o.row, o.next);
    for (const event of o.events) deps.audit.appendIn(unit, event);
    await o.alongside(unit);
    const otherSlot = other ? deps.requests.updateIn(unit, other.row, other.next) : undefined;
    try {
      await unit.commit(deps.store);
      return {};
    } catch (error) {
      const written = writtenBy(error);
      if (written.includes(slot)) {
        deps.onBackgroundError('outcome.rest', error);
        await commitMissing(deps, unit, written, otherSlot);
        return {};
      }
      if (error instanceof ConflictError && otherSlot !== undefined && error.index === otherSlot) {
        other = undefined;
        continue;
      }
      return { error };
    }
  }
}

/** What a partly committed unit did not write, as a unit of its own; best effort (a stale write is left out). */
async function commitMissing(
  deps: CoreDeps,
  unit: UnitOfWork,
  written: readonly number[],
  leaveOut: number | undefined,
): Promise<void> {
  const rest = new UnitOfWork();
  unit.writes.forEach((w, i) => {
    if (!written.includes(i) && i !== leaveOut) rest.add(w);
  });
  if (rest.writes.length === 0) return;
  await rest.commit(deps.store).catch((error: unknown) => deps.onBackgroundError('outcome.rest', error));
}
