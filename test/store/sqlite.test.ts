import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../src/store/port.js';
import { SqliteRowStore } from '../../src/store/sqlite.js';
import {
  applyMigrations,
  currentVersion,
  MIGRATIONS,
  type Migration,
} from '../../src/store/sqlite-migrations.js';
import { describeRowStoreConformance } from './conformance.js';
import { claimUnit } from './claim-unit.js';
import { conflictOf } from './unit-conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'tapdesk-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newPath = () => join(dir, `db-${++files}`, 'tapdesk.db');

describeRowStoreConformance('SqliteRowStore', async () => {
  const path = newPath();
  return { open: async () => SqliteRowStore.open(path) };
});

describe('SqliteRowStore file', () => {
  it('is in WAL mode, created with its parent directories', () => {
    const path = join(dir, 'nested', 'deeper', 'wal.db');
    const store = SqliteRowStore.open(path);
    try {
      expect(store.filePath()).toBe(path);
      const header = readFileSync(path).subarray(0, 20);
      expect([header[18], header[19]]).toEqual([2, 2]); // file format versions 2 = WAL
      const other = new Database(path, { readonly: true });
      expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
      other.close();
    } finally {
      void store.close();
    }
  });

  it('checkpoint() leaves every row in the main file and an empty WAL', async () => {
    const store = SqliteRowStore.open(newPath());
    const canary = `canary-${Date.now()}-ZXQJ`;
    await store.create(TABLES.requests, 'p', 'k', { note: canary });
    expect(readFileSync(`${store.filePath()}-wal`).includes(canary)).toBe(true);
    store.checkpoint();
    expect(statSync(`${store.filePath()}-wal`).size).toBe(0);
    expect(readFileSync(store.filePath()).includes(canary)).toBe(true);
    await store.close();
  });

  it('a subclass opened with Sub.open is the subclass', async () => {
    class Counting extends SqliteRowStore {
      gets = 0;
      override async get<T>(table: string, partition: string, key: string) {
        this.gets++;
        return super.get<T>(table, partition, key);
      }
    }
    const store = Counting.open(newPath());
    await store.get(TABLES.requests, 'p', 'k');
    expect(store).toBeInstanceOf(Counting);
    expect(store.gets).toBe(1);
    await store.close();
  });
});

describe('SqliteRowStore migrations', () => {
  const versions = (path: string) => {
    const db = new Database(path, { readonly: true });
    const rows = db
      .prepare('SELECT version, description, applied_at FROM schema_migrations ORDER BY version')
      .all();
    db.close();
    return rows as { version: number; description: string; applied_at: string }[];
  };
  const secondStep: Migration = {
    version: 2,
    description: 'test: index rows by update time',
    sql: 'CREATE INDEX rows_by_update ON rows (tbl, updated_at);',
  };

  it('a fresh file gets every migration, recorded with its description and time', async () => {
    const path = newPath();
    await SqliteRowStore.open(path).close();
    const recorded = versions(path);
    expect(recorded.map((r) => [r.version, r.description])).toEqual(
      MIGRATIONS.map((m) => [m.version, m.description]),
    );
    expect(Number.isNaN(Date.parse(recorded[0]!.applied_at))).toBe(false);
  });

  it('an existing database at version 0 (no schema_migrations) is upgraded and keeps its other tables', async () => {
    const path = newPath();
    SqliteRowStore.open(path).close(); // creates the directory
    rmSync(path);
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    const old = new Database(path);
    old.exec("CREATE TABLE legacy (x TEXT); INSERT INTO legacy VALUES ('kept');");
    old.close();
    const store = SqliteRowStore.open(path);
    await store.create(TABLES.requests, 'p', 'k', 1);
    await store.close();
    expect(versions(path).map((r) => r.version)).toEqual([1]);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT x FROM legacy').pluck().get()).toBe('kept');
    db.close();
  });

  it('a database at version 1 is upgraded to version 2 with its rows intact', async () => {
    const path = newPath();
    const store = SqliteRowStore.open(path);
    const etag = await store.create(TABLES.requests, 'p', 'k', { kept: true });
    await store.close();
    const db = new Database(path);
    expect(applyMigrations(db, [...MIGRATIONS, secondStep])).toEqual({ from: 1, to: 2 });
    expect(applyMigrations(db, [...MIGRATIONS, secondStep])).toEqual({ from: 2, to: 2 });
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'rows_by_update'`).pluck().get()).toBe(
      'rows_by_update',
    );
    db.close();
    expect(versions(path).map((r) => r.version)).toEqual([1, 2]);
    // This build knows only version 1, so it now refuses the file rather than misread it.
    expect(() => SqliteRowStore.open(path)).toThrow(/schema version 2, newer than this build knows \(1\)/);
    const reread = new Database(path);
    const row = reread.prepare('SELECT etag, json FROM rows').get();
    expect(row).toEqual({ etag, json: '{"kept":true}' });
    reread.close();
  });

  it('a database from a newer build is refused with a clear error', async () => {
    const path = newPath();
    await SqliteRowStore.open(path).close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01T00:00:00Z')").run();
    db.close();
    expect(() => SqliteRowStore.open(path)).toThrow(/schema version 99, newer than this build knows/);
  });

  it('a failing step rolls the whole upgrade back', () => {
    const db = new Database(':memory:');
    const broken: Migration = { version: 2, description: 'broken', sql: 'CREATE TABLE ok (x); NOT SQL;' };
    expect(() => applyMigrations(db, [...MIGRATIONS, broken])).toThrow();
    expect(currentVersion(db)).toBe(0);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('rows', 'ok')`).all()).toEqual([]);
    expect(() => applyMigrations(db, [secondStep])).toThrow(/versions must be 1, 2, 3/);
    db.close();
  });
});

describe('SqliteRowStore across processes', () => {
  it('4 processes claim the same row at once: exactly one wins', async () => {
    const path = newPath();
    const store = SqliteRowStore.open(path);
    await store.create(TABLES.requests, 'r', 'req', { state: 'pending' });
    const script = fileURLToPath(new URL('./claim-child.ts', import.meta.url));
    const children = Array.from({ length: 4 }, (_, i) =>
      spawn(process.execPath, ['--import', 'tsx', script, path, 'r', 'req', String(i)], {
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    try {
      const outputs = children.map((child) =>
        createInterface({ input: child.stdout! })[Symbol.asyncIterator](),
      );
      const nextLine = async (i: number) => (await outputs[i]!.next()).value as string | undefined;
      expect(await Promise.all(children.map((_, i) => nextLine(i)))).toEqual([
        'ready',
        'ready',
        'ready',
        'ready',
      ]);
      for (const child of children) child.stdin!.write('go\n');
      const results = await Promise.all(children.map((_, i) => nextLine(i)));
      expect(results.filter((r) => r === 'won')).toHaveLength(1);
      expect(results.filter((r) => r === 'lost')).toHaveLength(3);
      const winner = results.indexOf('won');
      expect((await store.get(TABLES.requests, 'r', 'req'))?.value).toEqual({
        state: 'issuing',
        by: `process ${winner}`,
      });
      await Promise.all(
        children.map((child) => new Promise((r) => (child.exitCode !== null ? r(0) : child.once('exit', r)))),
      );
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await store.close();
    }
  });

  it('SIGKILL between the two commits: the claim unit is on disk whole, and a replay of it loses', async () => {
    const path = newPath();
    const store = SqliteRowStore.open(path);
    const pending = await store.create(TABLES.requests, 'k1', 'request', { state: 'pending' });
    const script = fileURLToPath(new URL('./unit-child.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, path, 'k1', pending], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const line = (await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next())
        .value as string;
      expect(line).toMatch(/^committed /);
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode !== null || child.signalCode ? r(0) : child.once('exit', r)));
      const after = SqliteRowStore.open(path);
      try {
        const claimed = await after.get(TABLES.requests, 'k1', 'request');
        expect(claimed).toEqual({
          value: { state: 'issuing', by: 'dana' },
          etag: line.slice('committed '.length),
        });
        expect(await after.get(TABLES.audit, 'target|k1', 'confirmed|dana')).toBeDefined();
        expect((await after.get(TABLES.limits, 'tenant', 'k1'))?.value).toEqual({ count: 1 });
        const replay = await conflictOf(after.commit(claimUnit('k1', pending, { count: 2 }, 'replay')));
        expect(replay.index).toBe(0);
        expect(await after.get(TABLES.audit, 'all', 'confirmed|k1|replay')).toBeUndefined();
      } finally {
        await after.close();
      }
    } finally {
      if (child.exitCode === null && !child.signalCode) child.kill('SIGKILL');
      await store.close();
    }
  });
});
