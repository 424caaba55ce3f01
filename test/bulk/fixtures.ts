// Small builders shared by the bulk core's tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { BulkDeps } from '../../src/bulk/deps.js';
import { emptyCounts, type BulkItem, type BulkJob, type ItemState } from '../../src/bulk/job.js';
import type { RowStore } from '../../src/store/port.js';
import { SqliteRowStore } from '../../src/store/sqlite.js';
import { FakeClock } from '../fakes/clock.js';
import { backgroundErrors, bulkDepsOver } from '../fakes/core.js';

export const REQUESTER = { oid: 'oid-requester', name: 'Riley Requester' };

/** A fresh SQLite store per call, in one temp directory removed after the file's tests. */
export function sqliteStores() {
  const dir = mkdtempSync(join(tmpdir(), 'tapdesk-bulk-'));
  const opened: SqliteRowStore[] = [];
  afterAll(async () => {
    for (const store of opened) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let files = 0;
  /** Opens a new database file with `open` (SqliteRowStore.open unless a subclass is wanted). */
  function fresh(): SqliteRowStore;
  function fresh<S extends SqliteRowStore>(open: (path: string) => S): S;
  function fresh(open: (path: string) => SqliteRowStore = (path) => SqliteRowStore.open(path)) {
    const store = open(join(dir, `db-${++files}.db`));
    opened.push(store);
    return store;
  }
  return fresh;
}

export function item(n: number, state: ItemState = 'ready', code?: string): BulkItem {
  return {
    ask: { line: n + 2, user: `user${n}@contoso.com` },
    target: { id: `id-${n}`, userPrincipalName: `user${n}@contoso.com`, displayName: `User ${n}` },
    plan: { lifetimeMinutes: 60, isUsableOnce: true },
    state,
    posts: state === 'ready' ? 0 : 1,
    ...(code ? { code } : {}),
  };
}

export const items = (count: number, state: ItemState = 'ready') =>
  Array.from({ length: count }, (_, n) => item(n, state));

export function newJob(extra: Partial<BulkJob> = {}): Omit<BulkJob, 'id' | 'chunkCount'> {
  return {
    state: 'pending',
    createdAt: '2026-05-04T10:00:00.000Z',
    expiresAt: '2026-05-04T10:15:00.000Z',
    requester: REQUESTER,
    timeZone: 'UTC',
    utcOffsetMinutes: 0,
    conversationId: 'conv-1',
    source: { kind: 'command' },
    total: 0,
    counts: emptyCounts(),
    disabledAccounts: 0,
    problems: [],
    notes: [],
    needsApproval: false,
    ...extra,
  };
}

/**
 * The bulk core's deps over `store` (audit in `auditStore`), with a clock the test moves by setting
 * `clock.current`, and background errors collected instead of logged. No hourly limits.
 */
export function bulkWorld(
  store: RowStore,
  start: Date,
  overrides: Partial<BulkDeps> = {},
  auditStore: RowStore = store,
) {
  const clock = new FakeClock(start);
  const { errors, onBackgroundError } = backgroundErrors();
  const deps = bulkDepsOver({ store, auditStore, clock, onBackgroundError }, overrides);
  return { store, clock, errors, deps };
}
