// The index behind `list TAPs`: one row per issued pass, newest first, expired rows dropped.
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../src/store/port.js';
import { OutstandingPasses } from '../../src/tap/outstanding-passes.js';
import type { TapRequest } from '../../src/tap/request.js';
import { MemoryRowStore } from '../fakes/memory-store.js';

const issued = (id: string, at: string, expiresAt: string) =>
  ({ id, state: 'issued', outcome: { at, expiresAt } }) as TapRequest;

describe('OutstandingPasses', () => {
  it('lists live passes newest first and deletes the rows of expired ones', async () => {
    const store = new MemoryRowStore();
    const index = new OutstandingPasses(store);
    await index.add(issued('a', '2026-05-04T08:00:00Z', '2026-05-04T09:00:00Z'));
    await index.add(issued('b', '2026-05-04T09:30:00Z', '2026-05-04T17:30:00Z'));
    await index.add(issued('c', '2026-05-04T09:45:00Z', '2026-05-04T10:45:00Z'));
    // A request without an expiry (never issued) is not indexed.
    await index.add({ id: 'd', state: 'issuing' } as TapRequest);

    const errors: unknown[] = [];
    const live = await index.live(new Date('2026-05-04T10:00:00Z'), (_what, e) => errors.push(e));
    expect(live.map((e) => e.requestId)).toEqual(['c', 'b']);
    expect(errors).toEqual([]);
    const rows = await store.list({ table: TABLES.requests, partition: 'outstanding' });
    expect(rows.rows.map((r) => r.key).sort()).toEqual(['b', 'c']);
  });

  it('a row that cannot be pruned is reported, not fatal', async () => {
    const store = new MemoryRowStore();
    const index = new OutstandingPasses(store);
    await index.add(issued('a', '2026-05-04T08:00:00Z', '2026-05-04T09:00:00Z'));
    store.data.failNextWrites(1, { table: TABLES.requests });
    const errors: string[] = [];
    expect(await index.live(new Date('2026-05-04T10:00:00Z'), (what) => errors.push(what))).toEqual([]);
    expect(errors).toEqual(['outstanding.prune']);
  });
});
