import type { PassRow } from './results.js';

interface Held {
  ownerOid: string;
  rows: PassRow[];
  timer: NodeJS.Timeout;
}

/**
 * A finished bulk's passes between "done" and the clicker accepting the file: memory only, for one
 * delivery and at most `ttlMs`. A restart, a decline, a failed upload or the timeout drops them, and
 * nothing can bring them back (Graph never shows a pass twice), which the summary card then says.
 */
export class HeldPasses {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly ttlMs: number,
    private readonly onTimeout: (bulkId: string) => void,
  ) {}

  hold(bulkId: string, ownerOid: string, rows: PassRow[]): void {
    this.drop(bulkId);
    const timer = setTimeout(() => {
      if (this.held.delete(bulkId)) this.onTimeout(bulkId);
    }, this.ttlMs);
    timer.unref();
    this.held.set(bulkId, { ownerOid, rows, timer });
  }

  /** Hands the passes over once, only to their owner; null when they are gone or not theirs. */
  take(bulkId: string, ownerOid: string): PassRow[] | null {
    const held = this.held.get(bulkId);
    if (!held || held.ownerOid !== ownerOid) return null;
    clearTimeout(held.timer);
    this.held.delete(bulkId);
    return held.rows;
  }

  /** How many passes wait for this owner, without handing them over. */
  count(bulkId: string, ownerOid: string): number | null {
    const held = this.held.get(bulkId);
    return held && held.ownerOid === ownerOid ? held.rows.length : null;
  }

  drop(bulkId: string): void {
    const held = this.held.get(bulkId);
    if (!held) return;
    clearTimeout(held.timer);
    held.rows.length = 0;
    this.held.delete(bulkId);
  }
}
