import { afterAll, describe, expect, it } from 'vitest';
import { DUE_PARTITION, type NoticeRow } from '../../src/notices/queue.js';
import { TABLES } from '../../src/store/port.js';
import { CountingStore, notice, rig, sqliteFiles } from './helpers.js';

const files = sqliteFiles();
afterAll(() => files.dispose());

const rowsOf = async (store: CountingStore) =>
  (await store.inner.list<NoticeRow>({ table: TABLES.notices, partition: DUE_PARTITION })).rows;

/** Runs ticks every `stepMs` of bot time until `untilMs` has passed. */
async function tickThrough(r: ReturnType<typeof rig>, untilMs: number, stepMs = 1_000) {
  for (let t = 0; t <= untilMs; t += stepMs) {
    await r.scheduler.tick();
    r.clock.advance(stepMs);
  }
}

describe('moving a notice to its retry time survives a crash at every step', () => {
  // A failed send moves the row: mark old (replace), create new, delete old. The crash is injected
  // before the create or before the delete; the instance then "dies" and another one carries on.
  for (const crashOn of ['create', 'delete'] as const) {
    it(`crash before the ${crashOn}: the notice is still delivered, exactly once`, async () => {
      const store = new CountingStore(files.open(files.newPath()));
      const first = rig(store, { leaseMs: 10_000 });
      first.sender.fail = (_n, call) => (call === 0 ? new Error('502') : undefined);
      await first.queue.schedule(notice('m', 'conv-1'));
      store.crashOn = crashOn;
      const stats = await first.scheduler.tick();
      expect(stats).toMatchObject({ errors: 1 });
      const left = await rowsOf(store);
      expect(left[0]!.value.movedTo).toBeDefined();
      expect(left).toHaveLength(crashOn === 'create' ? 1 : 2);
      const second = rig(store, { leaseMs: 10_000 }, { sender: first.sender, clock: first.clock });
      await tickThrough(second, 60_000);
      expect(first.sender.counts()).toEqual(new Map([['m', 1]]));
      expect(first.sender.calls).toHaveLength(2);
      expect(first.sender.sent[0]!.attempts).toBe(1);
      expect(await rowsOf(store)).toEqual([]);
      await store.close();
    });
  }

  it('a retry row deletes the row it replaced before it is sent', async () => {
    const store = new CountingStore(files.open(files.newPath()));
    const r = rig(store, { leaseMs: 10_000 });
    r.sender.fail = (_n, call) => (call === 0 ? new Error('502') : undefined);
    await r.queue.schedule(notice('m', 'conv-1'));
    await r.scheduler.tick();
    const [moved] = await rowsOf(store);
    expect(moved!.value.movedFrom).toBeDefined();
    // Put the old row back, as if the mover crashed before deleting it.
    await store.inner.create(TABLES.notices, DUE_PARTITION, moved!.value.movedFrom!, {
      ...moved!.value,
      movedFrom: undefined,
      movedTo: moved!.key,
      leaseUntil: new Date(r.clock.ms + 100_000).toISOString(),
    });
    await tickThrough(r, 5_000);
    expect(r.sender.counts()).toEqual(new Map([['m', 1]]));
    expect(await rowsOf(store)).toEqual([]);
    await store.close();
  });
});
