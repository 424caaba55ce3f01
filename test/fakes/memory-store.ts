// An in-memory RowStore for unit tests of the core: the port's contract (src/store/port.ts) without a
// file or a server, held to the same conformance suite as the SQLite and Azure Tables stores.
import {
  ConflictError,
  type KeyRange,
  type Page,
  type RowStore,
  type RowWrite,
  type StoredRow,
} from '../../src/store/port.js';
import {
  assertKnownTable,
  assertUnit,
  describeRow,
  pageLimit,
  tableOfRange,
  toJson,
} from '../../src/store/tables-common.js';

/** One write as the store saw it: what was asked, and whether it was committed. */
export interface WriteRecord {
  op: 'create' | 'replace' | 'upsert' | 'delete';
  table: string;
  partition: string;
  key: string;
}

/** Which writes an injected failure applies to; every field left out matches anything. */
export interface WriteFilter {
  table?: string;
  partition?: string;
  op?: WriteRecord['op'];
}

interface Injected {
  remaining: number;
  filter: WriteFilter;
  error: () => Error;
}

interface Row {
  etag: string;
  json: string;
}

/** Process-wide, so no etag is ever handed out twice, even for a row deleted and created again. */
let etagSeq = 0;
const newEtag = () => `W/"mem-${(++etagSeq).toString(36)}"`;

const matches = (filter: WriteFilter, write: WriteRecord) =>
  (filter.table === undefined || filter.table === write.table) &&
  (filter.partition === undefined || filter.partition === write.partition) &&
  (filter.op === undefined || filter.op === write.op);

/**
 * The rows themselves, shareable by several MemoryRowStore instances ("two connections to one
 * database"). Also where tests count commits and inject write failures, so they hold across instances.
 */
export class MemoryData {
  /** table → partition → key → row. */
  private readonly tables = new Map<string, Map<string, Map<string, Row>>>();
  private readonly injected: Injected[] = [];
  /** Every committed write, in order. */
  readonly commits: WriteRecord[] = [];
  /** Every write refused by an injected failure, in order. */
  readonly refused: WriteRecord[] = [];
  /** How many durable commits there were: one per single-row write, one per unit of work. */
  units = 0;

  /**
   * The next `count` writes matching `filter` throw (before anything is stored), e.g.
   * `failNextWrites(1, { table: TABLES.audit })` for an audit trail that cannot be written.
   */
  failNextWrites(count: number, filter: WriteFilter = {}, error?: () => Error): void {
    this.injected.push({
      remaining: count,
      filter,
      error: error ?? (() => new Error('injected store failure (MemoryData.failNextWrites)')),
    });
  }

  /** Committed writes, optionally only those matching `filter`. */
  commitCount(filter: WriteFilter = {}): number {
    return this.commits.filter((w) => matches(filter, w)).length;
  }

  /** How many rows a table (or one partition of it) holds now. */
  rowCount(table: string, partition?: string): number {
    const parts = this.tables.get(table);
    if (!parts) return 0;
    if (partition !== undefined) return parts.get(partition)?.size ?? 0;
    let n = 0;
    for (const rows of parts.values()) n += rows.size;
    return n;
  }

  /** Every stored row's JSON, one per line, to assert what the store never holds (a pass, a token). */
  dump(): string {
    const lines: string[] = [];
    for (const [table, parts] of this.tables)
      for (const [partition, rows] of parts)
        for (const [key, row] of rows) lines.push(`${table}/${partition}/${key} ${row.json}`);
    return lines.join('\n');
  }

  /** @internal Throws an injected failure for this write, if one is armed. */
  checkWrite(write: WriteRecord): void {
    const armed = this.injected.find((i) => i.remaining > 0 && matches(i.filter, write));
    if (!armed) return;
    armed.remaining -= 1;
    this.refused.push(write);
    throw armed.error();
  }

  /** @internal */
  partition(table: string, partition: string, create: boolean): Map<string, Row> | undefined {
    let parts = this.tables.get(table);
    if (!parts) {
      if (!create) return undefined;
      this.tables.set(table, (parts = new Map()));
    }
    let rows = parts.get(partition);
    if (!rows && create) parts.set(partition, (rows = new Map()));
    return rows;
  }
}

/**
 * RowStore over a MemoryData. Values go in and come out as JSON text, so they are deep copies with
 * the same limits as the real stores (tables-common.ts: known tables only, JSON-serialisable,
 * ~900 KiB); every write makes a new etag; conditional writes and creates of taken keys throw
 * ConflictError; list pages in ascending ordinal key order over [from, to).
 */
export class MemoryRowStore implements RowStore {
  private closed = false;

  constructor(readonly data: MemoryData = new MemoryData()) {}

  async get<T>(table: string, partition: string, key: string): Promise<StoredRow<T> | undefined> {
    this.open(table);
    await tick();
    const row = this.data.partition(table, partition, false)?.get(key);
    return row ? { value: JSON.parse(row.json) as T, etag: row.etag } : undefined;
  }

  async create<T>(table: string, partition: string, key: string, value: T): Promise<string> {
    const json = this.prepare('create', table, partition, key, value);
    await tick();
    const rows = this.data.partition(table, partition, true)!;
    if (rows.has(key)) throw new ConflictError(`${describeRow(table, partition, key)} already exists`);
    return this.store('create', table, partition, key, json);
  }

  async replace<T>(table: string, partition: string, key: string, value: T, etag: string): Promise<string> {
    const json = this.prepare('replace', table, partition, key, value);
    await tick();
    const row = this.data.partition(table, partition, false)?.get(key);
    if (!row || row.etag !== etag)
      throw new ConflictError(`${describeRow(table, partition, key)} changed or vanished since it was read`);
    return this.store('replace', table, partition, key, json);
  }

  async upsert<T>(table: string, partition: string, key: string, value: T): Promise<string> {
    const json = this.prepare('upsert', table, partition, key, value);
    await tick();
    return this.store('upsert', table, partition, key, json);
  }

  async delete(table: string, partition: string, key: string, etag?: string): Promise<void> {
    this.open(table);
    this.data.checkWrite({ op: 'delete', table, partition, key });
    await tick();
    const rows = this.data.partition(table, partition, false);
    const row = rows?.get(key);
    if (!row) return;
    if (etag !== undefined && row.etag !== etag)
      throw new ConflictError(`${describeRow(table, partition, key)} changed since it was read`);
    rows!.delete(key);
    this.data.commits.push({ op: 'delete', table, partition, key });
    this.data.units += 1;
  }

  /** All or nothing, like SQLite's transaction: every check passes before any row changes. */
  async commit(writes: readonly RowWrite[]): Promise<string[]> {
    assertUnit(writes);
    const prepared = writes.map((w) => ({
      w,
      json: w.op === 'delete' ? '' : this.prepare(w.op, w.table, w.partition, w.key, w.value),
    }));
    for (const w of writes) if (w.op === 'delete') this.data.checkWrite(w);
    await tick();
    writes.forEach((w, index) => {
      const row = this.data.partition(w.table, w.partition, false)?.get(w.key);
      const where = describeRow(w.table, w.partition, w.key);
      if (w.op === 'create' && row) throw new ConflictError(`${where} already exists`, index);
      if (w.op === 'replace' && row?.etag !== w.etag)
        throw new ConflictError(`${where} changed or vanished since it was read`, index);
      if (w.op === 'delete' && row && w.etag !== undefined && row.etag !== w.etag)
        throw new ConflictError(`${where} changed since it was read`, index);
    });
    const etags = prepared.map(({ w, json }) => {
      if (w.op !== 'delete') return this.store(w.op, w.table, w.partition, w.key, json);
      this.data.partition(w.table, w.partition, false)?.delete(w.key);
      this.data.commits.push({ op: 'delete', table: w.table, partition: w.partition, key: w.key });
      return '';
    });
    this.data.units += 1 - writes.length;
    return etags;
  }

  async list<T>(range: KeyRange, options: { limit?: number; continuation?: string } = {}): Promise<Page<T>> {
    this.open(tableOfRange(range));
    const limit = pageLimit(options.limit);
    const after =
      options.continuation === undefined
        ? undefined
        : Buffer.from(options.continuation, 'base64url').toString('utf8');
    await tick();
    const rows = this.data.partition(range.table, range.partition, false) ?? new Map<string, Row>();
    const keys = [...rows.keys()]
      .filter(
        (k) =>
          (range.from === undefined || k >= range.from) &&
          (range.to === undefined || k < range.to) &&
          (after === undefined || k > after),
      )
      // Ordinal (UTF-16 code unit) order, as the port promises; the default sort compares the same way.
      .sort();
    const page = keys.slice(0, limit).map((key) => {
      const row = rows.get(key)!;
      return { key, etag: row.etag, value: JSON.parse(row.json) as T };
    });
    const last = page.at(-1);
    return keys.length > limit && last
      ? { rows: page, continuation: Buffer.from(last.key, 'utf8').toString('base64url') }
      : { rows: page };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private open(table: string): void {
    if (this.closed) throw new Error('MemoryRowStore is closed');
    assertKnownTable(table);
  }

  /** Checks everything a write is refused for before it could change anything. */
  private prepare(op: WriteRecord['op'], table: string, partition: string, key: string, value: unknown) {
    this.open(table);
    const json = toJson(value, describeRow(table, partition, key));
    this.data.checkWrite({ op, table, partition, key });
    return json;
  }

  private store(op: WriteRecord['op'], table: string, partition: string, key: string, json: string) {
    const etag = newEtag();
    this.data.partition(table, partition, true)!.set(key, { etag, json });
    this.data.commits.push({ op, table, partition, key });
    this.data.units += 1;
    return etag;
  }
}

/**
 * Every call yields once before it reads or writes, so concurrent callers interleave the way they do
 * on a real store (all reads of a double click can happen before either conditional write).
 */
const tick = () => Promise.resolve();
