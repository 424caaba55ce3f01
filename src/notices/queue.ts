import { randomUUID } from 'node:crypto';
import { ConflictError, TABLES, type ListedRow, type RowStore } from '../store/port.js';
import type { UnitOfWork } from '../store/unit.js';
import type { Notice } from './notice.js';

/** Why a notice was given up on; the audit trail records it (see NoticeAuditEventType). */
export type GiveUpReason = 'failed' | 'permanent' | 'unreachable';

/** A notices row: the notice plus bookkeeping only the queue reads. */
export interface NoticeRow extends Notice {
  /** The instance holding the lease, for whoever reads the table while debugging. */
  leaseOwner?: string;
  /** Set while this row is being replaced by a retry row: that row's key (see `move`). */
  movedTo?: string;
  /** On a retry row: the row it replaced, deleted before this one is sent. */
  movedFrom?: string;
  /** The scheduler gave up; only the give-up callback and the delete remain. */
  giveUp?: GiveUpReason;
}

/** A row this instance holds the lease on; `etag` proves it still does. */
export interface Claimed {
  key: string;
  etag: string;
  row: NoticeRow;
}

/** A claim: the row, or why not ('leased' = another instance's lease runs; 'lost' = it changed). */
export type ClaimResult = Claimed | 'leased' | 'lost';

/** What `schedule` needs: a notice without the fields the queue owns. */
export type NewNotice = Omit<Notice, 'id' | 'attempts' | 'leaseUntil' | 'lastError'> & { id?: string };

const TABLE = TABLES.notices;
const LOST = Symbol('lost');
/** The one partition of the notices table; a range read on it by key is a read by due time. */
export const DUE_PARTITION = 'due';
// Ids go into row keys: keep them to characters Azure needs no escaping for, so keys sort as written.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Row key of a notice: ISO times sort as strings, so a range read up to "now" returns exactly what is due. */
export const noticeKey = (dueAt: string, id: string): string => `${dueAt}|${id}`;

/**
 * The notices table: one partition of rows keyed by due time. Sent and given-up notices are deleted,
 * so the partition only ever holds what is still owed and a tick reads only what is due.
 */
export class NoticeQueue {
  constructor(private readonly store: RowStore) {}

  /** Stores a notice to be sent at `dueAt`; returns it with its id. */
  async schedule(input: NewNotice): Promise<Notice> {
    const notice = toNewRow(input);
    await this.store.create<NoticeRow>(TABLE, DUE_PARTITION, noticeKey(notice.dueAt, notice.id), notice);
    return notice;
  }

  /** Adds a notice's create to a unit of work (all notices share one partition: one transaction on Azure). */
  scheduleIn(unit: UnitOfWork, input: NewNotice): Notice {
    const notice = toNewRow(input);
    unit.add({
      op: 'create',
      table: TABLE,
      partition: DUE_PARTITION,
      key: noticeKey(notice.dueAt, notice.id),
      value: notice,
    });
    return notice;
  }

  /** Up to `limit` rows due at `now`, oldest first; leased rows included (the caller skips them). */
  async due(now: Date, limit: number): Promise<ListedRow<NoticeRow>[]> {
    const range = { table: TABLE, partition: DUE_PARTITION, to: `${now.toISOString()}|\uffff` };
    const rows: ListedRow<NoticeRow>[] = [];
    let continuation: string | undefined;
    do {
      const page = await this.store.list<NoticeRow>(range, { limit: limit - rows.length, continuation });
      rows.push(...page.rows);
      continuation = page.continuation;
    } while (continuation && rows.length < limit);
    // Cosmos DB's Table API may hand pages out of key order; everything read is due, so sorting suffices.
    return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * Takes the lease on a listed row with a conditional replace: 'leased' if another instance's lease
   * is still running, 'lost' if the row changed or vanished since it was listed.
   */
  async claim(listed: ListedRow<NoticeRow>, now: Date, leaseMs: number, owner: string): Promise<ClaimResult> {
    const lease = listed.value.leaseUntil;
    if (lease !== undefined && Date.parse(lease) > now.getTime()) return 'leased';
    const row: NoticeRow = {
      ...listed.value,
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
      leaseOwner: owner,
    };
    const etag = await this.ifCurrent(() =>
      this.store.replace(TABLE, DUE_PARTITION, listed.key, row, listed.etag),
    );
    return etag === LOST ? 'lost' : { key: listed.key, etag, row };
  }

  /** Deletes a sent or given-up row; false if another instance changed it meanwhile (lease lost). */
  async complete(claimed: Claimed): Promise<boolean> {
    const done = await this.ifCurrent(() =>
      this.store.delete(TABLE, DUE_PARTITION, claimed.key, claimed.etag),
    );
    return done !== LOST;
  }

  /** Before sending a retry row: the row it replaced must be gone, so it can never be sent as well. */
  async dropPredecessor(claimed: Claimed): Promise<void> {
    if (claimed.row.movedFrom) await this.store.delete(TABLE, DUE_PARTITION, claimed.row.movedFrom);
  }

  /** Records the decision to give up, so a crash before the delete repeats only the callback, never a send. */
  async markGiveUp(claimed: Claimed, reason: GiveUpReason, lastError?: string): Promise<Claimed | undefined> {
    const row: NoticeRow = { ...claimed.row, giveUp: reason, ...(lastError ? { lastError } : {}) };
    const etag = await this.ifCurrent(() =>
      this.store.replace(TABLE, DUE_PARTITION, claimed.key, row, claimed.etag),
    );
    return etag === LOST ? undefined : { key: claimed.key, etag, row };
  }

  /**
   * Moves a claimed notice to a later due time (a retry, or a send the rate limits push back), leaving
   * the due range so it is not read again until then. Three writes, each safe to crash after:
   * 1. the old row is marked `movedTo` the new key and leased until after the new due time;
   * 2. the new row is created with `movedFrom` (its claimer deletes the old row before sending);
   * 3. the old row is deleted.
   * A crash after 1 or 2 leaves the old row to `finishMove` once its lease runs out: never two sends.
   * Returns false if the lease was lost before step 1 (another instance owns the notice now).
   */
  async move(
    claimed: Claimed,
    dueAt: Date,
    change: Partial<Pick<Notice, 'attempts' | 'lastError'>>,
    leaseMs: number,
  ): Promise<boolean> {
    const base = Math.max(dueAt.getTime(), Date.parse(claimed.row.dueAt) + 1);
    const next: NoticeRow = { ...strip(claimed.row), ...change, dueAt: new Date(base).toISOString() };
    next.movedFrom = claimed.key;
    const nextKey = noticeKey(next.dueAt, next.id);
    // The change goes on the old row too, so a move finished by another instance keeps the attempt count.
    const marked: NoticeRow = {
      ...claimed.row,
      ...change,
      movedTo: nextKey,
      leaseUntil: new Date(base + leaseMs).toISOString(),
    };
    const etag = await this.ifCurrent(() =>
      this.store.replace(TABLE, DUE_PARTITION, claimed.key, marked, claimed.etag),
    );
    if (etag === LOST) return false;
    await this.createOnce(nextKey, next);
    await this.store.delete(TABLE, DUE_PARTITION, claimed.key, etag);
    return true;
  }

  /**
   * Completes a move an instance crashed in (the claimed row has `movedTo`). If the new row is missing
   * and the old one still ours, the new row was never written (its claimer would have deleted the old
   * row before sending), so it is written now. Returns false if the lease was lost meanwhile.
   */
  async finishMove(claimed: Claimed): Promise<boolean> {
    const nextKey = claimed.row.movedTo!;
    let etag: string | typeof LOST = claimed.etag;
    if (!(await this.store.get(TABLE, DUE_PARTITION, nextKey))) {
      // Re-proves, after the read, that the old row still exists and is ours.
      etag = await this.ifCurrent(() =>
        this.store.replace(TABLE, DUE_PARTITION, claimed.key, claimed.row, claimed.etag),
      );
      if (etag === LOST) return false;
      const dueAt = nextKey.slice(0, nextKey.indexOf('|'));
      await this.createOnce(nextKey, { ...strip(claimed.row), dueAt, movedFrom: claimed.key });
    }
    return this.complete({ ...claimed, etag });
  }

  private async createOnce(key: string, row: NoticeRow): Promise<void> {
    await this.ifCurrent(() => this.store.create(TABLE, DUE_PARTITION, key, row));
  }

  /** Runs a conditional write; LOST when it lost (ConflictError), its result otherwise. */
  private async ifCurrent<R>(write: () => Promise<R>): Promise<R | typeof LOST> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof ConflictError) return LOST;
      throw error;
    }
  }
}

/** A new notice's row: its id checked (or made), its due time normalised. */
function toNewRow(input: NewNotice): Notice {
  const id = input.id ?? randomUUID();
  if (!SAFE_ID.test(id)) throw new Error(`Notice id ${JSON.stringify(id)} must match ${SAFE_ID}`);
  const time = Date.parse(input.dueAt);
  if (Number.isNaN(time)) throw new Error(`Notice dueAt ${JSON.stringify(input.dueAt)} is not a date`);
  // Normalised, or "2026-11-22T10:00Z" and "...10:00:00.000Z" would sort apart.
  return { ...input, id, dueAt: new Date(time).toISOString(), attempts: 0 };
}

/** The notice without lease and move bookkeeping, as a fresh row starts. */
function strip(row: NoticeRow): NoticeRow {
  return omit(toNotice(row), ['leaseUntil']);
}

/** The notice as the contract knows it, without the queue's bookkeeping. */
export function toNotice(row: NoticeRow): Notice {
  return omit(row, ['leaseOwner', 'movedTo', 'movedFrom', 'giveUp']);
}

function omit<T extends object>(value: T, keys: readonly (keyof NoticeRow)[]): T {
  const copy = { ...value } as Record<string, unknown>;
  for (const key of keys) delete copy[key];
  return copy as T;
}
