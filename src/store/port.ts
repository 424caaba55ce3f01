/**
 * The storage port: rows addressed by (table, key) with an opaque etag for conditional writes.
 * Conditional writes are how two clicks, two instances or a replay agree on who won.
 */
export interface StoredRow<T> {
  value: T;
  etag: string;
}

export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

export interface RowStore {
  get<T>(table: string, key: string): Promise<StoredRow<T> | undefined>;
  /** Inserts a new row; throws ConflictError if the key exists. Returns the new etag. */
  create<T>(table: string, key: string, value: T): Promise<string>;
  /** Replaces a row only if its etag still matches; throws ConflictError otherwise. Returns the new etag. */
  replace<T>(table: string, key: string, value: T, etag: string): Promise<string>;
}
