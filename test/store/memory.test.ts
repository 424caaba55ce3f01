import { describe, expect, it } from 'vitest';
import { ConflictError, TABLES } from '../../src/store/port.js';
import { MemoryData, MemoryRowStore } from '../fakes/memory-store.js';
import { describeRowStoreConformance } from './conformance.js';

describeRowStoreConformance('MemoryRowStore', async () => {
  const data = new MemoryData();
  return { open: async () => new MemoryRowStore(data) };
});

describe('MemoryRowStore test hooks', () => {
  const T = TABLES.requests;

  it('counts committed writes, not reads or refused ones', async () => {
    const store = new MemoryRowStore();
    const etag = await store.create(T, 'p', 'k', 1);
    await store.get(T, 'p', 'k');
    await store.list({ table: T, partition: 'p' });
    await store.replace(T, 'p', 'k', 2, etag).catch(() => undefined);
    await expect(store.replace(T, 'p', 'k', 3, etag)).rejects.toBeInstanceOf(ConflictError);
    await store.upsert(TABLES.audit, 'a', 'k', 1);
    await store.delete(T, 'p', 'k');
    expect(store.data.commits.map((c) => c.op)).toEqual(['create', 'replace', 'upsert', 'delete']);
    expect(store.data.commitCount({ table: TABLES.audit })).toBe(1);
  });

  it('fails the next N matching writes before anything is stored, then recovers', async () => {
    const store = new MemoryRowStore();
    store.data.failNextWrites(2, { table: TABLES.audit });
    await store.create(T, 'p', 'k', 'requests are not matched');
    await expect(store.create(TABLES.audit, 'a', '1', 1)).rejects.toThrow(/injected/);
    await expect(store.upsert(TABLES.audit, 'a', '2', 1)).rejects.toThrow(/injected/);
    await store.create(TABLES.audit, 'a', '3', 1);
    expect(store.data.rowCount(TABLES.audit)).toBe(1);
    expect(store.data.refused).toHaveLength(2);
    expect(store.data.commitCount()).toBe(2);
  });

  it('an injected failure can be any error, e.g. a ConflictError for a lost race', async () => {
    const store = new MemoryRowStore();
    const etag = await store.create(T, 'p', 'k', 1);
    store.data.failNextWrites(1, { op: 'replace' }, () => new ConflictError('someone else won'));
    await expect(store.replace(T, 'p', 'k', 2, etag)).rejects.toBeInstanceOf(ConflictError);
    expect((await store.get(T, 'p', 'k'))?.value).toBe(1);
  });

  it('a closed store refuses calls; another store on the same data goes on', async () => {
    const data = new MemoryData();
    const [a, b] = [new MemoryRowStore(data), new MemoryRowStore(data)];
    await a.create(T, 'p', 'k', 1);
    await a.close();
    await expect(a.get(T, 'p', 'k')).rejects.toThrow(/closed/);
    expect((await b.get(T, 'p', 'k'))?.value).toBe(1);
  });
});
