import { describe, expect, it } from 'vitest';
import type { BulkDeps } from '../../src/bulk/deps.js';
import type { BulkItem, BulkJob } from '../../src/bulk/job.js';
import { recoverInterrupted } from '../../src/bulk/recover.js';
import type { RowStore } from '../../src/store/port.js';
import { SqliteRowStore } from '../../src/store/sqlite.js';
import { bulkWorld, item, items, newJob, REQUESTER, sqliteStores } from './fixtures.js';

const fresh = sqliteStores();

const LEASE_SECONDS = 60;
const HEARTBEAT = '2026-05-04T10:05:00.000Z';
const RUNNER = { oid: 'oid-runner', name: 'Robin Runner' };
const at = (iso: string, plusMs: number) => new Date(Date.parse(iso) + plusMs);

function world(store: RowStore = fresh(), auditStore: RowStore = store) {
  return bulkWorld(
    store,
    at(HEARTBEAT, LEASE_SECONDS * 1000),
    {
      maxLifetimeMinutes: 1440,
      requestTtlMinutes: 15,
      approvalAbove: 50,
      instanceId: 'instance-alive',
      leaseSeconds: LEASE_SECONDS,
    },
    auditStore,
  );
}

const RUN = {
  by: RUNNER,
  startedAt: '2026-05-04T10:01:00.000Z',
  instance: 'instance-dead',
  heartbeatAt: HEARTBEAT,
};

/** Stores a bulk in `state` with `rows` as its items and lists it in the issuing index. */
async function running(
  deps: BulkDeps,
  rows: BulkItem[],
  extra: Partial<BulkJob> = { state: 'issuing', run: RUN },
) {
  const added = await deps.bulk.add(newJob({ total: rows.length, ...extra }), rows);
  await deps.bulk.markIssuing(added.value.id);
  return added;
}

/** 25 rows over two chunks: 4 issued, 3 unknown (2 still posting), 2 failed, 16 not started (1 skipped). */
function mixed(): BulkItem[] {
  const rows = items(25);
  const states: [number, BulkItem['state'], string?][] = [
    [0, 'issued'],
    [1, 'issued'],
    [2, 'posting'],
    [3, 'failed', 'TAP_POLICY'],
    [4, 'posting'],
    [5, 'failed', 'TAP_POLICY'],
    [6, 'skipped'],
    [7, 'issued'],
    [21, 'issued'],
    [22, 'unknown'],
  ];
  for (const [n, state, code] of states) rows[n] = item(n, state, code);
  return rows;
}

describe('recoverInterrupted', () => {
  it('closes a bulk whose heartbeat is older than the lease as interrupted, from its chunks', async () => {
    const { deps, clock, errors } = world();
    const added = await running(deps, mixed());
    const now = clock.current.toISOString();

    const recovered = await recoverInterrupted(deps);

    const result = {
      issued: 4,
      failed: 2,
      unknown: 3,
      notStarted: 16,
      failures: [{ code: 'TAP_POLICY', count: 2 }],
      finishedAt: now,
      delivery: 'lost',
    };
    expect(recovered).toStrictEqual([{ ...added.value, state: 'interrupted', result }]);
    expect((await deps.bulk.get(added.value.id))?.value).toStrictEqual(recovered[0]);
    expect(await deps.bulk.issuingIds()).toEqual([]);

    const events = await deps.audit.recent(10);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'bulk.interrupted',
      requestId: added.value.id,
      at: now,
      actor: RUNNER,
      target: null,
      reason: '4 issued (passes lost), 3 unknown, 2 failed, 16 not started',
    });
    expect(errors).toEqual([]);
  });

  it("says delivery 'none' when nothing had been issued", async () => {
    const { deps } = world();
    const rows = items(3);
    rows[0] = item(0, 'posting');
    rows[1] = item(1, 'failed', 'GRAPH_5XX');
    const added = await running(deps, rows);

    const [job] = await recoverInterrupted(deps);

    expect(job?.id).toBe(added.value.id);
    expect(job?.result).toMatchObject({ issued: 0, unknown: 1, failed: 1, notStarted: 1, delivery: 'none' });
    expect((await deps.audit.recent(1))[0]?.reason).toBe('0 issued, 1 unknown, 1 failed, 1 not started');
  });

  it('leaves a bulk alone while its heartbeat is within the lease', async () => {
    const { deps, clock } = world();
    clock.current = at(HEARTBEAT, LEASE_SECONDS * 1000 - 1);
    const added = await running(deps, items(2));

    expect(await recoverInterrupted(deps)).toEqual([]);
    expect(await deps.bulk.get(added.value.id)).toStrictEqual(added);
    expect(await deps.bulk.issuingIds()).toEqual([added.value.id]);
    expect(await deps.audit.recent(10)).toEqual([]);

    clock.current = at(HEARTBEAT, LEASE_SECONDS * 1000);
    expect((await recoverInterrupted(deps)).map((j) => j.id)).toEqual([added.value.id]);
  });

  it('uses the creation time and the requester when the bulk has no run yet', async () => {
    const { deps, clock } = world();
    const createdAt = '2026-05-04T10:00:00.000Z';
    clock.current = at(createdAt, LEASE_SECONDS * 1000 - 1);
    const added = await running(deps, items(1), { state: 'issuing', createdAt });
    expect(await recoverInterrupted(deps)).toEqual([]);

    clock.current = at(createdAt, LEASE_SECONDS * 1000);
    expect((await recoverInterrupted(deps)).map((j) => j.id)).toEqual([added.value.id]);
    expect((await deps.audit.recent(1))[0]?.actor).toStrictEqual(REQUESTER);
  });

  it('just unmarks a listed bulk that is no longer issuing, or is gone', async () => {
    const { deps } = world();
    const done = await running(deps, [item(0, 'issued')], { state: 'done', run: RUN });
    await deps.bulk.markIssuing('bulk-that-does-not-exist');

    expect(await recoverInterrupted(deps)).toEqual([]);
    expect(await deps.bulk.issuingIds()).toEqual([]);
    expect(await deps.bulk.get(done.value.id)).toStrictEqual(done);
    expect(await deps.audit.recent(10)).toEqual([]);
  });

  it('recovers only the stale bulks among several', async () => {
    const { deps } = world();
    const stale = await running(deps, items(2));
    const alive = await running(deps, items(2), {
      state: 'issuing',
      run: { ...RUN, instance: 'instance-alive', heartbeatAt: '2026-05-04T10:05:30.000Z' },
    });

    expect((await recoverInterrupted(deps)).map((j) => j.id)).toEqual([stale.value.id]);
    expect(await deps.bulk.issuingIds()).toEqual([alive.value.id]);
    expect((await deps.bulk.get(alive.value.id))?.value.state).toBe('issuing');
  });

  it('reports a bulk once when called twice', async () => {
    const { deps } = world();
    const added = await running(deps, mixed());
    expect((await recoverInterrupted(deps)).map((j) => j.id)).toEqual([added.value.id]);
    expect(await recoverInterrupted(deps)).toEqual([]);
    expect((await deps.audit.recent(10)).map((e) => e.type)).toEqual(['bulk.interrupted']);
  });

  it('reports a bulk once when two instances recover at the same time', async () => {
    const one = world();
    const two = world(one.store);
    const added = await running(one.deps, mixed());
    const [a, b] = await Promise.all([recoverInterrupted(one.deps), recoverInterrupted(two.deps)]);
    expect([...a, ...b].map((j) => j.id)).toEqual([added.value.id]);
    expect((await one.deps.audit.recent(10)).map((e) => e.type)).toEqual(['bulk.interrupted']);
    expect(await one.deps.bulk.issuingIds()).toEqual([]);
  });

  it('still closes the bulk when the audit write fails, reporting the failure', async () => {
    class NoAudit extends SqliteRowStore {
      override async create<T>(table: string, partition: string, key: string, value: T): Promise<string> {
        if (table === 'audit') throw new Error('audit table unavailable');
        return super.create(table, partition, key, value);
      }
    }
    const store = fresh();
    const { deps, errors } = world(
      store,
      fresh((path) => NoAudit.open(path)),
    );
    const added = await running(deps, mixed());

    expect((await recoverInterrupted(deps)).map((j) => j.id)).toEqual([added.value.id]);
    expect((await deps.bulk.get(added.value.id))?.value.state).toBe('interrupted');
    expect(await deps.bulk.issuingIds()).toEqual([]);
    expect(errors.map((e) => [e.what, (e.error as Error).message])).toEqual([
      ['audit.bulk.interrupted', 'audit table unavailable'],
    ]);
  });
});
