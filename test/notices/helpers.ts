import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoticeQueue, type NewNotice } from '../../src/notices/queue.js';
import { RateLimiter } from '../../src/notices/rate-limiter.js';
import { NoticeScheduler, type NoticeSchedulerOptions } from '../../src/notices/scheduler.js';
import type { KeyRange, RowStore, RowWrite } from '../../src/store/port.js';
import { SqliteRowStore } from '../../src/store/sqlite.js';
import { RecordingSender } from '../fakes/connector.js';

export const T0 = Date.parse('2026-11-22T10:00:00.000Z');

/** The bot's clock, moved by hand. */
export class ManualClock {
  constructor(public ms = T0) {}
  now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

// The connector fake lives with the other fakes; notices tests keep importing it from here.
export { RecordingSender, throttled, type Sent } from '../fakes/connector.js';

/** A RowStore wrapper counting calls per method and rows returned by list. */
export class CountingStore implements RowStore {
  calls: Record<string, number> = {};
  rowsListed = 0;
  /** Throws once from the next call of this method (a simulated crash mid-protocol). */
  crashOn?: 'create' | 'delete' | 'replace';

  constructor(readonly inner: RowStore) {}

  reset(): void {
    this.calls = {};
    this.rowsListed = 0;
  }

  private count(method: string): void {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    if (this.crashOn === method) {
      this.crashOn = undefined;
      throw new Error(`simulated crash before ${method}`);
    }
  }

  get<V>(table: string, partition: string, key: string) {
    this.count('get');
    return this.inner.get<V>(table, partition, key);
  }
  create<V>(table: string, partition: string, key: string, value: V) {
    this.count('create');
    return this.inner.create(table, partition, key, value);
  }
  replace<V>(table: string, partition: string, key: string, value: V, etag: string) {
    this.count('replace');
    return this.inner.replace(table, partition, key, value, etag);
  }
  upsert<V>(table: string, partition: string, key: string, value: V) {
    this.count('upsert');
    return this.inner.upsert(table, partition, key, value);
  }
  delete(table: string, partition: string, key: string, etag?: string) {
    this.count('delete');
    return this.inner.delete(table, partition, key, etag);
  }
  async list<V>(range: KeyRange, options?: { limit?: number; continuation?: string }) {
    this.count('list');
    const page = await this.inner.list<V>(range, options);
    this.rowsListed += page.rows.length;
    return page;
  }
  commit(writes: readonly RowWrite[]) {
    this.count('commit');
    return this.inner.commit(writes);
  }
  close() {
    return this.inner.close();
  }
}

/** A temp directory of SQLite files, removed by `dispose`. */
export function sqliteFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'tapdesk-notices-'));
  let n = 0;
  return {
    newPath: () => join(dir, `n${++n}.db`),
    open: (path: string) => SqliteRowStore.open(path, { synchronous: 'NORMAL' }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A notice to conversation `conv`, due `offsetMs` after T0. */
export function notice(id: string, conv: string, offsetMs = 0): NewNotice {
  return {
    id,
    kind: 'expiring.issuer',
    dueAt: new Date(T0 + offsetMs).toISOString(),
    recipient: { kind: 'conversation', conversationId: conv },
    requestId: `req-${id}`,
    card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: id }] },
  };
}

/** Limits that never slow a test down unless it is about rate limits. */
export const fastLimiter = () =>
  new RateLimiter({ conversationRules: [{ limit: 1_000, windowMs: 1_000 }], tenantRatePerSecond: 10_000 });

export interface Rig {
  queue: NoticeQueue;
  sender: RecordingSender;
  clock: ManualClock;
  gaveUp: { id: string; reason: string }[];
  errors: unknown[];
  scheduler: NoticeScheduler;
}

/** A scheduler over `store` with a recording sender and a manual clock; options override the defaults. */
export function rig(
  store: RowStore,
  options: Partial<NoticeSchedulerOptions> = {},
  shared?: Partial<Rig>,
): Rig {
  const queue = new NoticeQueue(store);
  const sender = shared?.sender ?? new RecordingSender();
  const clock = shared?.clock ?? new ManualClock();
  const gaveUp = shared?.gaveUp ?? [];
  const errors = shared?.errors ?? [];
  const scheduler = new NoticeScheduler({
    queue,
    sender,
    clock,
    limiter: fastLimiter(),
    onGiveUp: (n, reason) => void gaveUp.push({ id: n.id, reason }),
    onError: (error) => void errors.push(error),
    backoff: (failures) => 1_000 * failures,
    ...options,
  });
  return { queue, sender, clock, gaveUp, errors, scheduler };
}
