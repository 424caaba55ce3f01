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

/** A conditional write lost (stale etag), or a create found the key taken. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

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
