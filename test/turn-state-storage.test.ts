import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteRowStore } from '../src/store/sqlite.js';
import { RowStoreStorage } from '../src/teams/turn-state-storage.js';
import { countingStore } from './helpers/counting-store.js';

const store = SqliteRowStore.open(join(mkdtempSync(join(tmpdir(), 'tapdesk-ts-')), 'state.db'));
afterAll(async () => store.close());

describe('botbuilder Storage on the row store', () => {
  const storage = new RowStoreStorage(store);
  const key = 'msteams/a:1:conversation/with/slashes#and?marks';

  it('reads nothing for unknown keys, then what was written, with an eTag', async () => {
    expect(await storage.read([key])).toEqual({});
    await storage.write({ [key]: { count: 1 } });
    const items = await storage.read([key]);
    expect(items[key]).toMatchObject({ count: 1 });
    expect(typeof items[key].eTag).toBe('string');
  });

  it('a write with the current eTag succeeds; a stale eTag is refused; "*" always wins', async () => {
    const current = (await storage.read([key]))[key];
    await storage.write({ [key]: { ...current, count: 2 } });
    await expect(storage.write({ [key]: { ...current, count: 3 } })).rejects.toThrow(/eTag conflict/);
    await storage.write({ [key]: { count: 4, eTag: '*' } });
    expect((await storage.read([key]))[key]).toMatchObject({ count: 4 });
  });

  it('deletes', async () => {
    await storage.delete([key]);
    expect(await storage.read([key])).toEqual({});
  });

  it('writes several items in one commit, and an item written back unchanged not at all', async () => {
    const counted = countingStore(store);
    const quiet = new RowStoreStorage(counted.store);
    const [a, b] = ['scope/a', 'scope/b'];
    await quiet.write({ [a]: { n: 1 }, [b]: { n: 1 } });
    expect(counted.writes.map((w) => [w.method, w.rows.length])).toEqual([['commit', 2]]);
    const read = await quiet.read([a, b]);
    await quiet.write({ [a]: read[a], [b]: { ...read[b], n: 2 } });
    expect(counted.writes.at(-1)).toMatchObject({ method: 'commit', rows: ['turnstate/state'] });
    expect(counted.writes).toHaveLength(2);
    // A stale eTag still conflicts, whatever else the write holds.
    await expect(quiet.write({ [b]: { ...read[b], n: 3 } })).rejects.toThrow(
      /eTag conflict writing scope\/b/,
    );
  });

  it('an item deleted after it was read is not taken as unchanged: writing the old value back conflicts', async () => {
    const k = 'scope/deleted';
    await storage.write({ [k]: { n: 1 } });
    const read = await storage.read([k]);
    await storage.delete([k]);
    await expect(storage.write({ [k]: read[k] })).rejects.toThrow(/eTag conflict writing scope\/deleted/);
  });
});
