import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteRowStore } from '../src/store/sqlite.js';
import { RowStoreStorage } from '../src/teams/turn-state-storage.js';

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
});
