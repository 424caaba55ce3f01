import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoticeScheduler } from '../../src/notices/scheduler.js';
import type { RowStore } from '../../src/store/port.js';
import { AzureTablesRowStore } from '../../src/store/tables.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { inBatches } from '../store/conformance.js';
import { ManualClock, notice, RecordingSender, rig, sqliteFiles, type Rig } from './helpers.js';

const files = sqliteFiles();
let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  files.dispose();
  await azurite?.stop();
});

/** Two schedulers, one store connection each, ticking at the same time until nothing is due. */
async function twoInstances(stores: [RowStore, RowStore]) {
  const shared = { sender: new RecordingSender(), clock: new ManualClock(), gaveUp: [], errors: [] };
  const a: Rig = rig(stores[0], { instanceId: 'a' }, shared);
  const b: Rig = rig(stores[1], { instanceId: 'b' }, shared);
  const ids = Array.from({ length: 200 }, (_, i) => `n${String(i).padStart(3, '0')}`);
  await inBatches(ids, 16, (id) => a.queue.schedule(notice(id, `conv-${Number(id.slice(1)) % 50}`, -1)));
  const totals = { sent: 0, claimed: 0, lostRace: 0 };
  for (let round = 0; round < 20 && totals.sent < ids.length; round++) {
    const stats = await Promise.all([a, b].map((r: { scheduler: NoticeScheduler }) => r.scheduler.tick()));
    for (const s of stats) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += s[k];
  }
  return { ids, totals, ...shared };
}

describe('two instances on one store deliver each notice exactly once', () => {
  it('SQLite: two connections to one file', async () => {
    const path = files.newPath();
    const stores: [RowStore, RowStore] = [files.open(path), files.open(path)];
    const { ids, totals, sender, errors } = await twoInstances(stores);
    expect(errors).toEqual([]);
    expect(sender.sent).toHaveLength(ids.length);
    expect([...sender.counts().values()].every((n) => n === 1)).toBe(true);
    expect(totals.claimed).toBe(ids.length);
    expect((await stores[1].list({ table: 'notices', partition: 'due' })).rows).toEqual([]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('Azurite: two clients on one set of tables', async () => {
    const tablePrefix = `n${randomBytes(5).toString('hex')}`;
    const connect = () =>
      AzureTablesRowStore.connect({
        connectionString: azurite.connectionString,
        tablePrefix,
        allowInsecureConnection: true,
      });
    const stores: [RowStore, RowStore] = [await connect(), await connect()];
    const { ids, totals, sender, errors } = await twoInstances(stores);
    expect(errors).toEqual([]);
    expect(sender.sent).toHaveLength(ids.length);
    expect([...sender.counts().values()].every((n) => n === 1)).toBe(true);
    expect(totals.claimed).toBe(ids.length);
    expect(totals.lostRace).toBeGreaterThan(0); // they really did compete
    expect((await stores[1].list({ table: 'notices', partition: 'due' })).rows).toEqual([]);
  });
});
