import type { CreatedTap } from '../graph/port.js';

/** How long an approved pass waits for its requester's one reveal (the ceiling). */
export const REVEAL_WINDOW_MS = 15 * 60_000;

type Held = { pass: CreatedTap; requesterOid: string; dropAt: number; timer: NodeJS.Timeout };

export type RevealOutcome = { kind: 'revealed'; pass: CreatedTap } | { kind: 'not-yours' } | { kind: 'gone' };

/**
 * Passes approved for delivery to their requester (DELIVER_TO=requester). Held in this process's
 * memory only, for one reveal and at most 15 minutes, then dropped: never in storage, a message or
 * a log. A restart loses them by design; the requester is told to ask again.
 */
export class PassVault {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowMs = REVEAL_WINDOW_MS,
  ) {}

  /** Holds a pass for one reveal by `requesterOid`, keyed by the approval request id. */
  hold(requestId: string, requesterOid: string, pass: CreatedTap): void {
    this.drop(requestId);
    // The timer only frees memory; reveal() checks the deadline itself, so a late timer is harmless.
    const timer = setTimeout(() => this.drop(requestId), this.windowMs);
    timer.unref();
    this.held.set(requestId, { pass, requesterOid, dropAt: this.now() + this.windowMs, timer });
  }

  /** Hands the pass out once, to its requester only; anyone else's click leaves it in place. */
  reveal(requestId: string, clickerOid: string): RevealOutcome {
    const entry = this.held.get(requestId);
    if (!entry || this.now() >= entry.dropAt) {
      this.drop(requestId);
      return { kind: 'gone' };
    }
    if (entry.requesterOid !== clickerOid) return { kind: 'not-yours' };
    this.drop(requestId);
    return { kind: 'revealed', pass: entry.pass };
  }

  /** True while a pass is waiting for this request (for cards, never for the pass itself). */
  isHolding(requestId: string): boolean {
    const entry = this.held.get(requestId);
    return !!entry && this.now() < entry.dropAt;
  }

  private drop(requestId: string): void {
    const entry = this.held.get(requestId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.held.delete(requestId);
  }
}
