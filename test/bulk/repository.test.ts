import { describe, expect, it } from 'vitest';
import { BulkRepository } from '../../src/bulk/repository.js';
import { ConflictError, TABLES } from '../../src/store/port.js';
import { SqliteRowStore } from '../../src/store/sqlite.js';
import { item, items, newJob, sqliteStores } from './fixtures.js';

const fresh = sqliteStores();

/** A store whose job-row replaces lose to another writer `conflicts` times before going through. */
function contended(conflicts: number) {
  class Contended extends SqliteRowStore {
    replaces = 0;
    override async replace<T>(table: string, partition: string, key: string, value: T, etag: string) {
      this.replaces += 1;
      if (key === 'job' && this.replaces <= conflicts) {
        // Another instance writes first (a heartbeat), so the caller's etag is stale.
        const current = await this.get<Record<string, unknown>>(table, partition, key);
        await super.replace(
          table,
          partition,
          key,
          { ...current!.value, cardActivityId: `other-${this.replaces}` },
          current!.etag,
        );
      }
      return super.replace(table, partition, key, value, etag);
    }
  }
  return fresh((path) => Contended.open(path));
}

describe('BulkRepository.add', () => {
  it('stores 45 ready items as chunks of 20, 20 and 5, then the job with chunkCount 3', async () => {
    const store = fresh();
    const repo = new BulkRepository(store);
    const ready = items(45);
    const added = await repo.add(newJob({ total: 45 }), ready);

    expect(added.value.chunkCount).toBe(3);
    expect(added.value.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await repo.get(added.value.id)).toStrictEqual(added);

    const chunks = await repo.chunks(added.value);
    expect(chunks.map((c) => c.value.index)).toEqual([0, 1, 2]);
    expect(chunks.map((c) => c.value.items.length)).toEqual([20, 20, 5]);
    expect(chunks.flatMap((c) => c.value.items)).toStrictEqual(ready);
    expect(chunks[2]!.value.items.map((i) => i.target.id)).toEqual([
      'id-40',
      'id-41',
      'id-42',
      'id-43',
      'id-44',
    ]);
    expect(await repo.getChunk(added.value.id, 3)).toBeUndefined();

    const page = await store.list({ table: TABLES.bulk, partition: added.value.id });
    expect(page.rows.map((r) => r.key)).toEqual(['chunk|0000', 'chunk|0001', 'chunk|0002', 'job']);
  });

  it.each([
    [0, []],
    [1, [1]],
    [20, [20]],
    [21, [20, 1]],
  ])('stores %i items in chunks of %j', async (count, sizes) => {
    const repo = new BulkRepository(fresh());
    const added = await repo.add(newJob(), items(count));
    expect(added.value.chunkCount).toBe(sizes.length);
    expect((await repo.chunks(added.value)).map((c) => c.value.items.length)).toEqual(sizes);
  });

  it('gives every bulk its own id and partition', async () => {
    const repo = new BulkRepository(fresh());
    const a = await repo.add(newJob(), items(2));
    const b = await repo.add(newJob(), [item(9)]);
    expect(a.value.id).not.toBe(b.value.id);
    expect((await repo.chunks(b.value))[0]!.value.items).toStrictEqual([item(9)]);
  });
});

describe('BulkRepository.update', () => {
  it('replaces the job with a current etag and refuses a stale one', async () => {
    const repo = new BulkRepository(fresh());
    const added = await repo.add(newJob(), items(1));
    const first = await repo.update(added, { ...added.value, state: 'issuing' });
    expect(first.etag).not.toBe(added.etag);
    expect((await repo.get(added.value.id))?.value.state).toBe('issuing');

    await expect(repo.update(added, { ...added.value, state: 'cancelled' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await repo.get(added.value.id)).toStrictEqual(first);
  });

  it('updateChunk refuses a stale chunk etag', async () => {
    const repo = new BulkRepository(fresh());
    const added = await repo.add(newJob(), items(2));
    const chunk = (await repo.getChunk(added.value.id, 0))!;
    const posting = { ...chunk.value, items: [item(0, 'posting'), item(1)] };
    await repo.updateChunk(added.value.id, chunk, posting);
    await expect(repo.updateChunk(added.value.id, chunk, chunk.value)).rejects.toBeInstanceOf(ConflictError);
    expect((await repo.getChunk(added.value.id, 0))?.value).toStrictEqual(posting);
  });
});

describe('BulkRepository.patch', () => {
  it('returns null for a missing id without calling change', async () => {
    const repo = new BulkRepository(fresh());
    let calls = 0;
    expect(await repo.patch('no-such-bulk', (job) => (calls++, job))).toBeNull();
    expect(calls).toBe(0);
  });

  it('returns the unchanged row when change returns null', async () => {
    const repo = new BulkRepository(fresh());
    const added = await repo.add(newJob(), items(1));
    expect(await repo.patch(added.value.id, () => null)).toStrictEqual(added);
    expect((await repo.get(added.value.id))?.etag).toBe(added.etag);
  });

  it('applies the change to the latest row', async () => {
    const repo = new BulkRepository(fresh());
    const added = await repo.add(newJob(), items(1));
    const patched = await repo.patch(added.value.id, (job) => ({ ...job, cardActivityId: 'card-1' }));
    expect(patched?.value.cardActivityId).toBe('card-1');
    expect(await repo.get(added.value.id)).toStrictEqual(patched);
  });

  it('re-reads and re-applies the change after a conflict', async () => {
    const store = contended(2);
    const repo = new BulkRepository(store);
    const added = await repo.add(newJob(), items(1));
    const seen: (string | undefined)[] = [];
    const patched = await repo.patch(added.value.id, (job) => {
      seen.push(job.cardActivityId);
      return { ...job, notes: [...job.notes, 'patched'] };
    });
    // Each attempt saw the row as the other writer left it.
    expect(seen).toEqual([undefined, 'other-1', 'other-2']);
    expect(patched?.value.cardActivityId).toBe('other-2');
    expect(patched?.value.notes).toEqual(['patched']);
    expect(await repo.get(added.value.id)).toStrictEqual(patched);
  });

  it('gives up with ConflictError after 10 lost attempts', async () => {
    const store = contended(Infinity);
    const repo = new BulkRepository(store);
    const added = await repo.add(newJob(), items(1));
    let calls = 0;
    await expect(repo.patch(added.value.id, (job) => (calls++, job))).rejects.toBeInstanceOf(ConflictError);
    expect(calls).toBe(10);
  });
});

describe('BulkRepository issuing index', () => {
  it('lists marked bulks once each and forgets unmarked ones', async () => {
    const repo = new BulkRepository(fresh());
    expect(await repo.issuingIds()).toEqual([]);
    await repo.markIssuing('bulk-b');
    await repo.markIssuing('bulk-a');
    await repo.markIssuing('bulk-b');
    expect(await repo.issuingIds()).toEqual(['bulk-a', 'bulk-b']);
    await repo.unmarkIssuing('bulk-b');
    expect(await repo.issuingIds()).toEqual(['bulk-a']);
    await expect(repo.unmarkIssuing('bulk-never-marked')).resolves.toBeUndefined();
    expect(await repo.issuingIds()).toEqual(['bulk-a']);
  });

  it('keeps the index apart from the bulks themselves', async () => {
    const repo = new BulkRepository(fresh());
    const added = await repo.add(newJob(), items(3));
    expect(await repo.issuingIds()).toEqual([]);
    await repo.markIssuing(added.value.id);
    expect(await repo.issuingIds()).toEqual([added.value.id]);
    expect((await repo.chunks(added.value)).length).toBe(1);
  });

  it('follows continuation pages past 1,000 ids', async () => {
    const repo = new BulkRepository(fresh());
    const ids = Array.from({ length: 1003 }, (_, n) => `bulk-${String(n).padStart(4, '0')}`);
    for (const id of ids) await repo.markIssuing(id);
    expect(await repo.issuingIds()).toEqual(ids);
  });
});
