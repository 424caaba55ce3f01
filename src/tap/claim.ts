import type { NewAuditEvent } from '../audit/log.js';
import { ConflictError, writtenBy, type StoredRow } from '../store/port.js';
import { UnitOfWork } from '../store/unit.js';
import type { CoreDeps } from './core-deps.js';
import type { LimitHit } from './limits.js';
import type { TapRequest } from './request.js';

export type ClaimResult =
  | { kind: 'claimed'; row: StoredRow<TapRequest>; takenAt: Date }
  /** Another click, approver or instance changed the request first; `latest` is what it is now. */
  | { kind: 'lost'; latest?: StoredRow<TapRequest> }
  /**
   * A limit window is full: nothing was counted. `row` is the request to end or hand back: the one
   * read, or (Azure Tables, a counter lost to a racing charge after the claim landed) the claim.
   */
  | { kind: 'limited'; hit: LimitHit; row: StoredRow<TapRequest> };

/** A claim whose counters kept losing to other charges this often is given up as an error. */
const MAX_ATTEMPTS = 20;

/**
 * The first of a click's two commits, before Graph is called: the request claimed (an etag-checked
 * write over the row the guard read, so a replay, a double click or a second instance can never
 * claim it too), the audit event that says so, and one pass counted in every limit window. One unit
 * of work: on SQLite one transaction; on Azure Tables the claim's transaction goes first and alone.
 *
 * When the commit fails for another reason than a conflict, the request becomes `giveUp` (when
 * nothing else changed it) and the error is thrown: no pass without its audit trail.
 */
export async function claimAndCharge(
  deps: CoreDeps,
  read: StoredRow<TapRequest>,
  claim: { value: TapRequest; issuerOid: string; event: NewAuditEvent; giveUp: TapRequest },
): Promise<ClaimResult> {
  const targetId = claim.value.target!.id;
  for (let attempt = 1; ; attempt += 1) {
    const unit = new UnitOfWork();
    const slot = deps.requests.updateIn(unit, read, claim.value);
    const takenAt = deps.clock.now();
    const charge = await deps.limiter.chargeIn(unit, claim.issuerOid, targetId, takenAt);
    if (!('slots' in charge)) return { kind: 'limited', hit: charge, row: read };
    deps.audit.appendIn(unit, claim.event);
    try {
      const etags = await unit.commit(deps.store);
      return { kind: 'claimed', row: { value: claim.value, etag: etags[slot]! }, takenAt };
    } catch (error) {
      const landed = writtenBy(error).includes(slot);
      if (!(error instanceof ConflictError)) {
        await giveUpClaim(deps, read, claim, landed);
        throw error;
      }
      if (error.index === slot) return { kind: 'lost', latest: await deps.requests.get(read.value.id) };
      if (landed) {
        // Azure Tables: the claim is ours, a counter lost to a racing charge; count those one by one.
        const row = await deps.requests.get(read.value.id);
        if (!row) throw new Error(`request ${read.value.id} vanished after its claim`, { cause: error });
        const hit = await deps.limiter.settle(charge, error.written);
        return hit ? { kind: 'limited', hit, row } : { kind: 'claimed', row, takenAt };
      }
      // Nothing landed (one transaction) and a counter moved meanwhile: read again, try again.
      const latest = await deps.requests.get(read.value.id);
      if (latest?.etag !== read.etag) return { kind: 'lost', latest };
      if (attempt >= MAX_ATTEMPTS)
        throw new Error(`the claim of ${read.value.id} kept losing its limit counters`, { cause: error });
    }
  }
}

/**
 * After an unexpected failure: the request becomes `giveUp`, over the row read when nothing landed,
 * over the claim when it did (Azure Tables). Best effort; a request left `issuing` is never retried.
 * What the charge counted is not given back when it may not have landed: an allowance may end lower
 * than it should, never higher.
 */
async function giveUpClaim(
  deps: CoreDeps,
  read: StoredRow<TapRequest>,
  claim: { value: TapRequest; giveUp: TapRequest },
  landed: boolean,
): Promise<void> {
  try {
    const current = landed ? await deps.requests.get(read.value.id) : read;
    if (current && (!landed || current.value.usedAt === claim.value.usedAt))
      await deps.requests.update(current, claim.giveUp);
  } catch (error) {
    deps.onBackgroundError('request.give_up_claim', error);
  }
}
