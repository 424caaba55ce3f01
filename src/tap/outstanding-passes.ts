import { TABLES, type RowStore } from '../store/port.js';
import type { UnitOfWork } from '../store/unit.js';
import type { TapRequest } from './request.js';

// One partition of the requests table: every pass TapDesk issued that may still be outstanding.
const PARTITION = 'outstanding';
/** Far beyond the passes live at once in any tenant TapDesk serves; a listing stops reading here. */
const MAX_ROWS = 5_000;

/** One pass TapDesk issued: enough to find its request and to drop the row once the pass expired. */
export interface OutstandingEntry {
  requestId: string;
  issuedAt: string;
  expiresAt: string;
}

function entryOf(request: TapRequest): OutstandingEntry | undefined {
  const { outcome } = request;
  if (!outcome?.expiresAt) return undefined;
  return { requestId: request.id, issuedAt: outcome.at, expiresAt: outcome.expiresAt };
}

/**
 * The index behind `list TAPs`: requests live one per partition, so "every pass outstanding" needs a
 * row per issued pass. A row is written when a request becomes issued and deleted once the pass has
 * expired; whether it was revoked or replaced meanwhile is read from the request itself, which stays
 * the one truth.
 */
export class OutstandingPasses {
  constructor(private readonly store: RowStore) {}

  async add(request: TapRequest): Promise<void> {
    const entry = entryOf(request);
    if (entry) await this.store.upsert(TABLES.requests, PARTITION, request.id, entry);
  }

  /** The same row, written with the request's outcome in one unit (the click's second commit). */
  addIn(unit: UnitOfWork, request: TapRequest): void {
    const entry = entryOf(request);
    if (entry)
      unit.add({ op: 'upsert', table: TABLES.requests, partition: PARTITION, key: request.id, value: entry });
  }

  /** Entries whose pass has not expired, newest first; expired ones are deleted on the way (best effort). */
  async live(now: Date, onError: (what: string, error: unknown) => void): Promise<OutstandingEntry[]> {
    const live: OutstandingEntry[] = [];
    const expired: string[] = [];
    let continuation: string | undefined;
    let read = 0;
    do {
      const page = await this.store.list<OutstandingEntry>(
        { table: TABLES.requests, partition: PARTITION },
        { continuation },
      );
      for (const row of page.rows) {
        if (Date.parse(row.value.expiresAt) <= now.getTime()) expired.push(row.key);
        else live.push(row.value);
      }
      read += page.rows.length;
      continuation = page.continuation;
    } while (continuation && read < MAX_ROWS);
    // Cleaning up must never cost the listing: a row left behind is dropped next time.
    await Promise.all(
      expired.map((key) =>
        this.store.delete(TABLES.requests, PARTITION, key).catch((e) => onError('outstanding.prune', e)),
      ),
    );
    return live.sort((a, b) => b.issuedAt.localeCompare(a.issuedAt));
  }
}
