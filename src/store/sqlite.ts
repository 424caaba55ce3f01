import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  ConflictError,
  type KeyRange,
  type Page,
  type RowStore,
  type RowWrite,
  type StoredRow,
} from './port.js';
import { applyMigrations } from './sqlite-migrations.js';
import {
  assertKnownTable,
  assertUnit,
  describeRow,
  pageLimit,
  tableOfRange,
  toJson,
} from './tables-common.js';

export interface SqliteOptions {
  /**
   * FULL (default) fsyncs the WAL on every commit, so a claim written before a Graph call survives a
   * host crash or power loss; NORMAL only survives a process crash. NORMAL exists for the benchmark.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

interface RowRecord {
  rk: string;
  etag: string;
  json: string;
}

/** RowStore on one SQLite file (WAL); several processes may share the file. */
export class SqliteRowStore implements RowStore {
  private readonly db: Database.Database;
  private readonly statements: ReturnType<typeof prepareStatements>;
  /** list() has a few SQL shapes (which bounds are present); each is prepared once. */
  private readonly rangeStatements = new Map<string, Database.Statement<unknown[], RowRecord>>();

  /** Same as SqliteRowStore.open; public so subclasses (test doubles) can be opened with `Sub.open`. */
  constructor(path: string, options: SqliteOptions = {}) {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    const db = new Database(path);
    try {
      // Wait for another process's write lock instead of failing at once with SQLITE_BUSY.
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      db.pragma('foreign_keys = ON');
      applyMigrations(db);
    } catch (error) {
      db.close();
      throw error;
    }
    this.db = db;
    this.statements = prepareStatements(db);
  }

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  static open<S extends SqliteRowStore>(
    this: new (path: string, options?: SqliteOptions) => S,
    path: string,
    options: SqliteOptions = {},
  ): S {
    return new this(path, options);
  }

  /** The database file's path (its WAL is this path plus "-wal"). */
  filePath(): string {
    return this.db.name;
  }

  /** Moves everything from the WAL into the main file and truncates the WAL, so the file stands alone. */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async get<T>(table: string, partition: string, key: string): Promise<StoredRow<T> | undefined> {
    assertKnownTable(table);
    const row = this.statements.get.get(table, partition, key);
    return row ? { value: JSON.parse(row.json) as T, etag: row.etag } : undefined;
  }

  async create<T>(table: string, partition: string, key: string, value: T): Promise<string> {
    assertKnownTable(table);
    const etag = newEtag();
    const result = this.statements.create.run(
      table,
      partition,
      key,
      etag,
      toJson(value, describeRow(table, partition, key)),
      now(),
    );
    if (result.changes === 0) throw new ConflictError(`${describeRow(table, partition, key)} already exists`);
    return etag;
  }

  async replace<T>(table: string, partition: string, key: string, value: T, etag: string): Promise<string> {
    assertKnownTable(table);
    const next = newEtag();
    const result = this.statements.replace.run(
      next,
      toJson(value, describeRow(table, partition, key)),
      now(),
      table,
      partition,
      key,
      etag,
    );
    if (result.changes === 0) {
      throw new ConflictError(`${describeRow(table, partition, key)} changed or vanished since it was read`);
    }
    return next;
  }

  async upsert<T>(table: string, partition: string, key: string, value: T): Promise<string> {
    assertKnownTable(table);
    const etag = newEtag();
    this.statements.upsert.run(
      table,
      partition,
      key,
      etag,
      toJson(value, describeRow(table, partition, key)),
      now(),
    );
    return etag;
  }

  async delete(table: string, partition: string, key: string, etag?: string): Promise<void> {
    assertKnownTable(table);
    if (etag === undefined) {
      this.statements.deleteAny.run(table, partition, key);
      return;
    }
    // One transaction, so "not deleted" and "still there" describe the same moment.
    const stale = this.db.transaction(() => {
      if (this.statements.deleteIfMatch.run(table, partition, key, etag).changes > 0) return false;
      return this.statements.exists.get(table, partition, key) !== undefined;
    })();
    if (stale) throw new ConflictError(`${describeRow(table, partition, key)} changed since it was read`);
  }

  /**
   * One transaction, so one WAL commit (one fsync under FULL) for the whole unit. A conflict throws
   * inside it, which rolls every write of the unit back.
   */
  async commit(writes: readonly RowWrite[]): Promise<string[]> {
    assertUnit(writes);
    return this.db.transaction(() => writes.map((w, index) => this.applyOne(w, index)))();
  }

  private applyOne(w: RowWrite, index: number): string {
    const where = describeRow(w.table, w.partition, w.key);
    const conflict = (why: string) => new ConflictError(`${where} ${why}`, index);
    if (w.op === 'delete') {
      if (w.etag === undefined) this.statements.deleteAny.run(w.table, w.partition, w.key);
      else if (this.statements.deleteIfMatch.run(w.table, w.partition, w.key, w.etag).changes === 0) {
        if (this.statements.exists.get(w.table, w.partition, w.key) !== undefined)
          throw conflict('changed since it was read');
      }
      return '';
    }
    const etag = newEtag();
    const json = toJson(w.value, where);
    if (w.op === 'create') {
      if (this.statements.create.run(w.table, w.partition, w.key, etag, json, now()).changes === 0)
        throw conflict('already exists');
    } else if (w.op === 'replace') {
      const done = this.statements.replace.run(etag, json, now(), w.table, w.partition, w.key, w.etag);
      if (done.changes === 0) throw conflict('changed or vanished since it was read');
    } else {
      this.statements.upsert.run(w.table, w.partition, w.key, etag, json, now());
    }
    return etag;
  }

  async list<T>(range: KeyRange, options: { limit?: number; continuation?: string } = {}): Promise<Page<T>> {
    const limit = pageLimit(options.limit);
    const after = options.continuation === undefined ? undefined : decodeContinuation(options.continuation);
    const { sql, params } = rangeQuery(range, after);
    // One row beyond the page tells whether another page exists, so the last page has no continuation.
    let statement = this.rangeStatements.get(sql);
    if (!statement) this.rangeStatements.set(sql, (statement = this.db.prepare<unknown[], RowRecord>(sql)));
    const found = statement.all(...params, limit + 1);
    const rows = found
      .slice(0, limit)
      .map((r) => ({ key: r.rk, etag: r.etag, value: JSON.parse(r.json) as T }));
    const last = rows.at(-1);
    return found.length > limit && last ? { rows, continuation: encodeContinuation(last.key) } : { rows };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** SQL for one page of a range; only the bounds present become clauses, so the primary key serves them all. */
function rangeQuery(range: KeyRange, after: string | undefined): { sql: string; params: string[] } {
  const clauses = ['tbl = ?', 'pk = ?'];
  const params = [tableOfRange(range), range.partition];
  const bound = (clause: string, value: string | undefined) => {
    if (value === undefined) return;
    clauses.push(clause);
    params.push(value);
  };
  bound('rk >= ?', range.from);
  bound('rk < ?', range.to);
  bound('rk > ?', after);
  return {
    sql: `SELECT rk, etag, json FROM rows WHERE ${clauses.join(' AND ')} ORDER BY rk LIMIT ?`,
    params,
  };
}

function encodeContinuation(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

function decodeContinuation(token: string): string {
  return Buffer.from(token, 'base64url').toString('utf8');
}

/** Random, not a counter: a row deleted and created again must never get an etag a stale reader holds. */
const newEtag = (): string => randomBytes(12).toString('base64url');

const now = (): string => new Date().toISOString();

/** Every fixed statement, prepared once per connection. */
function prepareStatements(db: Database.Database) {
  return {
    get: db.prepare<[string, string, string], RowRecord>(
      'SELECT rk, etag, json FROM rows WHERE tbl = ? AND pk = ? AND rk = ?',
    ),
    // DO NOTHING instead of catching SQLITE_CONSTRAINT: a taken key is an expected outcome, not an error.
    create: db.prepare(
      `INSERT INTO rows (tbl, pk, rk, etag, json, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tbl, pk, rk) DO NOTHING`,
    ),
    replace: db.prepare(
      'UPDATE rows SET etag = ?, json = ?, updated_at = ? WHERE tbl = ? AND pk = ? AND rk = ? AND etag = ?',
    ),
    upsert: db.prepare(
      `INSERT INTO rows (tbl, pk, rk, etag, json, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tbl, pk, rk) DO UPDATE
       SET etag = excluded.etag, json = excluded.json, updated_at = excluded.updated_at`,
    ),
    deleteAny: db.prepare('DELETE FROM rows WHERE tbl = ? AND pk = ? AND rk = ?'),
    deleteIfMatch: db.prepare('DELETE FROM rows WHERE tbl = ? AND pk = ? AND rk = ? AND etag = ?'),
    exists: db.prepare('SELECT 1 FROM rows WHERE tbl = ? AND pk = ? AND rk = ?').pluck(),
  };
}
