import type { RowStore, StoredRow } from './port.js';
import { ConflictError } from './port.js';

/** In-process RowStore: single-instance runs and tests. Values are deep-copied so callers cannot mutate rows. */
export class MemoryRowStore implements RowStore {
  private readonly rows = new Map<string, { json: string; etag: number }>();
  private nextEtag = 1;

  async get<T>(table: string, key: string): Promise<StoredRow<T> | undefined> {
    const row = this.rows.get(`${table}/${key}`);
    return row ? { value: JSON.parse(row.json) as T, etag: String(row.etag) } : undefined;
  }

  async create<T>(table: string, key: string, value: T): Promise<string> {
    const id = `${table}/${key}`;
    if (this.rows.has(id)) throw new ConflictError(`${id} already exists`);
    const etag = this.nextEtag++;
    this.rows.set(id, { json: JSON.stringify(value), etag });
    return String(etag);
  }

  async replace<T>(table: string, key: string, value: T, etag: string): Promise<string> {
    const id = `${table}/${key}`;
    const row = this.rows.get(id);
    if (!row || String(row.etag) !== etag) throw new ConflictError(`${id} changed since it was read`);
    const next = this.nextEtag++;
    this.rows.set(id, { json: JSON.stringify(value), etag: next });
    return String(next);
  }

  /** Every stored JSON document, for tests that scan storage for secrets. */
  dump(): string[] {
    return [...this.rows.values()].map((r) => r.json);
  }
}
