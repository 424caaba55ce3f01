/**
 * The storage port: JSON rows addressed by (table, partition, key), each with an opaque etag for
 * conditional writes. Conditional writes are how two clicks, two instances or a replay agree on who
 * won. Keys sort as plain strings (ordinal), so a key can encode time ("due|2026-11-22T10:05Z|id")
 * and a range query returns rows in that order. Values are JSON of at most ~900 KiB (Azure's 1 MiB
 * entity limit); larger ones are refused on write. Rows never hold a pass or a token.
 */
export interface StoredRow<T> {
  value: T;
  etag: string;
}

export interface ListedRow<T> extends StoredRow<T> {
  key: string;
}

/** Rows of one table partition whose key is in [from, to) (either bound optional), in ascending key order. */
export interface KeyRange {
  table: string;
  partition: string;
  from?: string;
  to?: string;
}

export interface Page<T> {
  rows: ListedRow<T>[];
  /** Opaque; pass it back to get the next page. Undefined when there are no more rows. */
  continuation?: string;
}

/**
 * A conditional write lost (stale etag), or a create found the key taken. From `commit`: `index` is
 * the position of the write that lost (on Azure Tables, of a write in the entity group that lost),
 * and `written` the positions that were committed all the same (only ever non-empty on Azure Tables,
 * for a unit spanning several partitions).
 */
export class ConflictError extends Error {
  constructor(
    message: string,
    readonly index?: number,
    readonly written: readonly number[] = [],
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/**
 * A unit of work failed for another reason than a conflict (a network error, a throttled request)
 * after part of it was committed: only on Azure Tables, once the first group landed. `written` names
 * the positions that were committed; `cause` is the failure.
 */
export class PartialCommitError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly written: readonly number[],
  ) {
    super(`a unit of work was committed only in part: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'PartialCommitError';
  }
}

/** Positions of a failed unit that were committed all the same ([] for a unit that wrote nothing). */
export function writtenBy(error: unknown): readonly number[] {
  if (error instanceof ConflictError || error instanceof PartialCommitError) return error.written;
  return [];
}

/** One row write of a unit of work; the same rules as the single-row methods of the same name. */
export type RowWrite =
  | { op: 'create'; table: string; partition: string; key: string; value: unknown }
  | { op: 'replace'; table: string; partition: string; key: string; value: unknown; etag: string }
  | { op: 'upsert'; table: string; partition: string; key: string; value: unknown }
  | { op: 'delete'; table: string; partition: string; key: string; etag?: string };

export interface RowStore {
  get<T>(table: string, partition: string, key: string): Promise<StoredRow<T> | undefined>;
  /** Inserts a new row; throws ConflictError if the key exists. Returns the new etag. */
  create<T>(table: string, partition: string, key: string, value: T): Promise<string>;
  /** Replaces a row only if its etag still matches; throws ConflictError otherwise (also when it is gone). */
  replace<T>(table: string, partition: string, key: string, value: T, etag: string): Promise<string>;
  /** Inserts or replaces unconditionally (last writer wins); for caches such as conversation references. */
  upsert<T>(table: string, partition: string, key: string, value: T): Promise<string>;
  /** Deletes a row; with an etag only if it still matches (ConflictError otherwise). Missing rows are fine. */
  delete(table: string, partition: string, key: string, etag?: string): Promise<void>;
  /**
   * One page (at most `limit`, default 1,000) of a key range; follow `continuation` for the rest.
   * Each page is in ascending key order. Across pages too on SQLite, Azure Table Storage and Azurite,
   * but not on Cosmos DB's Table API, which does not promise key order: a caller that needs the whole
   * range in order (e.g. due notices) reads it all and sorts.
   */
  list<T>(range: KeyRange, options?: { limit?: number; continuation?: string }): Promise<Page<T>>;
  /**
   * A unit of work: the writes land together, in one durable commit where the store can make one.
   * Returns each write's new etag in order ('' for a delete). A conflict (stale etag, taken key) throws
   * ConflictError; what was written then depends on the store:
   * - SQLite (and the in-memory fake): one transaction, so nothing of the unit is written.
   * - Azure Tables: writes sharing a table and partition go in one entity-group transaction, which is
   *   all or nothing; a unit spanning several partitions is several of them, sent in the order of each
   *   partition's first write. The first group (put the claim, or the outcome, first) is committed
   *   before any other is sent and a conflict in it writes nothing; a conflict in a later group leaves
   *   the earlier groups written. Callers therefore put etag-checked writes in the first group, or
   *   only creates of fresh keys and unconditional writes after it. Any other failure after the first
   *   group landed is a PartialCommitError naming what was written. The later groups go out together,
   *   so a unit costs two round trips in sequence however many partitions it spans. An etag-checked
   *   delete is a group of its own there (the SDK sends deletes in a transaction unconditionally).
   * A unit writes each row at most once (Azure refuses a row twice in one transaction).
   */
  commit(writes: readonly RowWrite[]): Promise<string[]>;
  close(): Promise<void>;
}

/** Table names are fixed in code: 3-63 lowercase letters/digits, starting with a letter (Azure's rule). */
export const TABLES = {
  requests: 'requests',
  audit: 'audit',
  conversations: 'conversations',
  turnState: 'turnstate',
  notices: 'notices',
  limits: 'limits',
  bulk: 'bulk',
} as const;
