import { TABLES, type RowStore, type StoredRow } from '../store/port.js';
import type { UnitOfWork } from '../store/unit.js';
import type { Person, TapRequest } from '../tap/request.js';

// One partition of the requests table: the onboardings whose device has not reported enrolled yet.
export const WATCH_PARTITION = 'enrollment-watch';
const PARTITION = WATCH_PARTITION;
/** More than any helpdesk onboards at once; a sweep reads no further. */
const MAX_ROWS = 2_000;

/**
 * A bulk onboarding's row has no request of its own: its watch carries what the trail and the
 * notices need, read when the bulk finished (the manager with the issuer's token).
 */
export interface BulkRowWatch {
  bulkId: string;
  issuer: Person;
  target: { id: string; userPrincipalName: string; displayName: string };
  manager: { id: string; displayName: string } | null;
  groupTag: string | null;
  timeZone: string;
}

/** A device to look at again: when next, and until when (the pass's expiry) it is worth looking. */
export interface EnrollmentWatch {
  /** The single onboarding's request id, or `<bulk id>:<line>` for a bulk row. */
  requestId: string;
  /** Set for a bulk onboarding's row. */
  bulk?: BulkRowWatch;
  deviceId: string;
  serialNumber: string;
  nextCheckAt: string;
  until: string;
  /** Set while one instance reads the device, so another does not read it too. */
  leaseUntil?: string;
}

/**
 * The follow-through's to-do list. A row is written with the onboarding's outcome (the Confirm's
 * second commit) and deleted once the device enrolled or the pass expired; the request stays the
 * one truth about the onboarding.
 */
export class EnrollmentWatches {
  constructor(private readonly store: RowStore) {}

  /** Adds the row to the unit that records the issued pass; nothing when the pass has no expiry. */
  addIn(unit: UnitOfWork, request: TapRequest, firstCheckAt: Date): void {
    const device = request.onboarding?.device;
    const until = request.outcome?.expiresAt;
    if (!device || !until) return;
    const value: EnrollmentWatch = {
      requestId: request.id,
      deviceId: device.id,
      serialNumber: device.serialNumber,
      nextCheckAt: firstCheckAt.toISOString(),
      until,
    };
    unit.add({ op: 'upsert', table: TABLES.requests, partition: PARTITION, key: request.id, value });
  }

  /** Rows due at `now` and not leased by another instance. */
  /** A bulk row's watch, written when its bulk finished (best effort: the bulk's results come first). */
  async addBulkRow(watch: EnrollmentWatch): Promise<void> {
    await this.store.upsert(TABLES.requests, PARTITION, watch.requestId, watch);
  }

  async due(now: Date): Promise<StoredRow<EnrollmentWatch>[]> {
    const due: StoredRow<EnrollmentWatch>[] = [];
    let continuation: string | undefined;
    let read = 0;
    do {
      const page = await this.store.list<EnrollmentWatch>(
        { table: TABLES.requests, partition: PARTITION },
        { continuation },
      );
      for (const row of page.rows) {
        const leased = row.value.leaseUntil !== undefined && Date.parse(row.value.leaseUntil) > now.getTime();
        if (!leased && Date.parse(row.value.nextCheckAt) <= now.getTime())
          due.push({ value: row.value, etag: row.etag });
      }
      read += page.rows.length;
      continuation = page.continuation;
    } while (continuation && read < MAX_ROWS);
    return due;
  }

  /** Takes the row for one look (a conditional write: only one instance wins); the new row or null. */
  async lease(row: StoredRow<EnrollmentWatch>, until: Date): Promise<StoredRow<EnrollmentWatch> | null> {
    const value = { ...row.value, leaseUntil: until.toISOString() };
    try {
      const etag = await this.store.replace(TABLES.requests, PARTITION, row.value.requestId, value, row.etag);
      return { value, etag };
    } catch {
      return null;
    }
  }

  async later(row: StoredRow<EnrollmentWatch>, nextCheckAt: Date): Promise<void> {
    // The lease ends with this look: the row is free for whichever instance looks next.
    const next: EnrollmentWatch = { ...row.value, nextCheckAt: nextCheckAt.toISOString() };
    delete next.leaseUntil;
    await this.store.replace(TABLES.requests, PARTITION, row.value.requestId, next, row.etag);
  }

  async drop(requestId: string): Promise<void> {
    await this.store.delete(TABLES.requests, PARTITION, requestId);
  }

  deleteIn(unit: UnitOfWork, requestId: string): void {
    unit.add({ op: 'delete', table: TABLES.requests, partition: PARTITION, key: requestId });
  }
}
