import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, TABLES, type KeyRange, type ListedRow, type RowStore } from '../../src/store/port.js';
import { unitOfWorkCases } from './unit-conformance.js';

/** One empty backing store (a file, a table prefix); open() may be called twice for two connections. */
export interface Backing {
  open(): Promise<RowStore>;
  dispose?(): Promise<void>;
}

const T = TABLES.requests;

/** A KeyRange, positionally. */
export const range = (table: string, partition: string, from?: string, to?: string): KeyRange => ({
  table,
  partition,
  from,
  to,
});

/** Every row of a range, following continuations; also returns the page sizes seen. */
export async function listAll<V>(
  store: RowStore,
  keyRange: KeyRange,
  limit?: number,
): Promise<{ rows: ListedRow<V>[]; pageSizes: number[] }> {
  const rows: ListedRow<V>[] = [];
  const pageSizes: number[] = [];
  let continuation: string | undefined;
  do {
    const page = await store.list<V>(keyRange, { limit, continuation });
    rows.push(...page.rows);
    pageSizes.push(page.rows.length);
    continuation = page.continuation;
  } while (continuation);
  return { rows, pageSizes };
}

/** Runs `task` over `items` with at most `width` in flight (Azurite dislikes thousands of sockets at once). */
export async function inBatches<I>(
  items: I[],
  width: number,
  task: (item: I) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

/**
 * `n` claimers of one row, as the bot claims a request: each reads the row, then replaces it with the
 * etag it read. All reads finish before any replace starts, so every claimer holds the same etag and only
 * the conditional write can tell them apart (over HTTP a read could otherwise see the winner's write).
 * Resolves each claimer's outcome: 'won', or 'lost' for a ConflictError.
 */
async function claimAtOnce(stores: RowStore[], partition: string, key: string, n: number) {
  const storeOf = (i: number) => stores[i % stores.length]!;
  const reads = await Promise.all(
    Array.from({ length: n }, (_, i) => storeOf(i).get<{ state: string }>(T, partition, key)),
  );
  return Promise.all(
    reads.map(async (row, i): Promise<'won' | 'lost'> => {
      if (row?.value.state !== 'pending') throw new Error(`claimer ${i} read ${JSON.stringify(row)}`);
      try {
        await storeOf(i).replace(T, partition, key, { state: 'issuing', by: i }, row.etag);
        return 'won';
      } catch (error) {
        if (error instanceof ConflictError) return 'lost';
        throw error;
      }
    }),
  );
}

/** Registers the port's conformance suite for one store implementation. */
export function describeRowStoreConformance(name: string, newBacking: () => Promise<Backing>): void {
  describe(`${name}: RowStore conformance`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    const backing = async (): Promise<Backing> => {
      const b = await newBacking();
      if (b.dispose) cleanups.push(() => b.dispose!());
      return b;
    };
    const fresh = async (from?: Backing): Promise<RowStore> => {
      const store = await (from ?? (await backing())).open();
      cleanups.push(() => store.close());
      return store;
    };

    describe('CRUD', () => {
      it('get of a missing row is undefined', async () => {
        const store = await fresh();
        expect(await store.get(T, 'p', 'nope')).toBeUndefined();
      });

      it('create, get, replace with the fresh etag, and a stale etag conflicts', async () => {
        const store = await fresh();
        const etag1 = await store.create(T, 'p', 'k', { state: 'pending', n: 1 });
        expect(await store.get(T, 'p', 'k')).toEqual({ value: { state: 'pending', n: 1 }, etag: etag1 });
        const etag2 = await store.replace(T, 'p', 'k', { state: 'issuing', n: 2 }, etag1);
        expect(etag2).not.toBe(etag1);
        expect(await store.get(T, 'p', 'k')).toEqual({ value: { state: 'issuing', n: 2 }, etag: etag2 });
        await expect(store.replace(T, 'p', 'k', { state: 'x' }, etag1)).rejects.toBeInstanceOf(ConflictError);
        expect((await store.get(T, 'p', 'k'))?.value).toEqual({ state: 'issuing', n: 2 });
      });

      it('replace of a missing row conflicts', async () => {
        const store = await fresh();
        const etag = await store.create(T, 'p', 'other', 1);
        await expect(store.replace(T, 'p', 'missing', 2, etag)).rejects.toBeInstanceOf(ConflictError);
        expect(await store.get(T, 'p', 'missing')).toBeUndefined();
      });

      it('create of an existing key conflicts and leaves the row alone', async () => {
        const store = await fresh();
        const etag = await store.create(T, 'p', 'k', 'first');
        await expect(store.create(T, 'p', 'k', 'second')).rejects.toBeInstanceOf(ConflictError);
        expect(await store.get(T, 'p', 'k')).toEqual({ value: 'first', etag });
      });

      it('the same key in another partition or table is another row', async () => {
        const store = await fresh();
        await store.create(T, 'p1', 'k', 'a');
        await store.create(T, 'p2', 'k', 'b');
        await store.create(TABLES.audit, 'p1', 'k', 'c');
        expect((await store.get(T, 'p1', 'k'))?.value).toBe('a');
        expect((await store.get(T, 'p2', 'k'))?.value).toBe('b');
        expect((await store.get(TABLES.audit, 'p1', 'k'))?.value).toBe('c');
      });

      it('upsert inserts, then replaces unconditionally with a new etag', async () => {
        const store = await fresh();
        const etag1 = await store.upsert(TABLES.conversations, 'c', 'ref', { v: 1 });
        const etag2 = await store.upsert(TABLES.conversations, 'c', 'ref', { v: 2 });
        expect(etag2).not.toBe(etag1);
        expect(await store.get(TABLES.conversations, 'c', 'ref')).toEqual({ value: { v: 2 }, etag: etag2 });
        await expect(store.replace(TABLES.conversations, 'c', 'ref', { v: 3 }, etag1)).rejects.toBeInstanceOf(
          ConflictError,
        );
      });

      it('delete: stale etag conflicts, matching etag deletes, missing rows are fine', async () => {
        const store = await fresh();
        const etag1 = await store.create(T, 'p', 'k', 1);
        const etag2 = await store.replace(T, 'p', 'k', 2, etag1);
        await expect(store.delete(T, 'p', 'k', etag1)).rejects.toBeInstanceOf(ConflictError);
        expect((await store.get(T, 'p', 'k'))?.value).toBe(2);
        await store.delete(T, 'p', 'k', etag2);
        expect(await store.get(T, 'p', 'k')).toBeUndefined();
        await store.delete(T, 'p', 'k');
        await store.delete(T, 'p', 'k', etag2);
        await store.create(T, 'p', 'k2', 1);
        await store.delete(T, 'p', 'k2');
        expect(await store.get(T, 'p', 'k2')).toBeUndefined();
      });

      it('a deleted and re-created row gets a new etag, so the old one stays stale', async () => {
        const store = await fresh();
        const old = await store.create(T, 'p', 'k', 'v');
        await store.delete(T, 'p', 'k');
        const renewed = await store.create(T, 'p', 'k', 'v');
        expect(renewed).not.toBe(old);
        await expect(store.replace(T, 'p', 'k', 'w', old)).rejects.toBeInstanceOf(ConflictError);
      });

      it('refuses unknown tables and values JSON cannot hold', async () => {
        const store = await fresh();
        await expect(store.get('nosuchtable', 'p', 'k')).rejects.toThrow(/Unknown table/);
        await expect(store.list(range('nosuchtable', 'p'))).rejects.toThrow(/Unknown table/);
        await expect(store.create(T, 'p', 'k', undefined)).rejects.toThrow(/JSON/);
      });
    });

    describe('values', () => {
      it('are deep copies: mutating what goes in or comes out does not change the row', async () => {
        const store = await fresh();
        const value = { nested: { list: [1, 2] }, s: 'x' };
        await store.create(T, 'p', 'k', value);
        value.nested.list.push(3);
        const read = await store.get<typeof value>(T, 'p', 'k');
        read!.value.nested.list.push(4);
        const [listed] = (await store.list<typeof value>(range(T, 'p'))).rows;
        listed!.value.s = 'changed';
        expect((await store.get(T, 'p', 'k'))?.value).toEqual({ nested: { list: [1, 2] }, s: 'x' });
      });

      it('round-trip 200 KB of JSON, and astral characters across every chunk boundary', async () => {
        const store = await fresh();
        const text = (i: number) => `row ${i} café `.padEnd(100, 'abc');
        const big = { items: Array.from({ length: 2000 }, (_, i) => ({ i, text: text(i) })) };
        expect(JSON.stringify(big).length).toBeGreaterThan(200_000);
        const etag = await store.create(T, 'p', 'big', big);
        expect(await store.get(T, 'p', 'big')).toEqual({ value: big, etag });
        // 24,000 UTF-16 code units, odd and even offsets: a cut anywhere could split a surrogate pair.
        const emoji = '😀'.repeat(12_000);
        await store.replace(T, 'p', 'big', { emoji, shifted: `x${emoji}` }, etag);
        expect((await store.get(T, 'p', 'big'))?.value).toEqual({ emoji, shifted: `x${emoji}` });
        const small = await store.upsert(T, 'p', 'big', 'small now');
        expect(await store.get(T, 'p', 'big')).toEqual({ value: 'small now', etag: small });
      });

      it('over ~900 KiB is refused with a clear error', async () => {
        const store = await fresh();
        await expect(store.create(T, 'p', 'huge', 'x'.repeat(500_000))).rejects.toThrow(/KiB/);
        expect(await store.get(T, 'p', 'huge')).toBeUndefined();
      });
    });

    describe('keys', () => {
      const awkward = [
        '/',
        '\\',
        '#',
        '?',
        '%',
        '%2F',
        '\u0000',
        '\u0001',
        '\t',
        '\n',
        '\u001f',
        '\u007f',
        '\u0085',
        '\u009f',
      ];
      it('round-trip partitions and keys containing every forbidden character', async () => {
        const store = await fresh();
        const keys = [...awkward.map((ch) => `a${ch}b`), awkward.join(''), "it's", 'ünï|cödé', ''];
        for (const [i, key] of keys.entries()) {
          const partition = `part${key}`;
          const etag = await store.create(T, partition, key, { i });
          expect(await store.get(T, partition, key), JSON.stringify(key)).toEqual({ value: { i }, etag });
          const listed = await store.list(range(T, partition));
          expect(listed.rows.map((r) => r.key)).toEqual([key]);
          await store.delete(T, partition, key, etag);
        }
        await store.create(T, 'one', 'a/b', 1);
        expect(await store.get(T, 'one', 'a%2Fb')).toBeUndefined();
      });

      it('without forbidden characters keep ordinal order', async () => {
        const store = await fresh();
        const keys = ['a', 'a|', 'a|b', 'a-1', 'a:1', 'A', 'Z', '0', '9', '~', 'a b', 'due|2026', '!', "'"];
        await inBatches(keys, 8, (k) => store.create(T, 'order', k, k));
        const { rows } = await listAll(store, range(T, 'order'));
        expect(rows.map((r) => r.key)).toEqual([...keys].sort());
      });
    });

    describe('range queries by due time', () => {
      it('return only the partition asked for, within [from, to), ascending', async () => {
        const store = await fresh();
        const base = Date.parse('2026-11-22T10:00:00.000Z');
        const due = (minute: number) =>
          `due|${new Date(base + minute * 60_000).toISOString()}|${randomUUID()}`;
        const minutes = [50, 5, 0, 59, 60, 61, 30, 30, 120, -1];
        const keys = minutes.map(due);
        await inBatches(keys, 8, (k) => store.create(TABLES.notices, 'due', k, { k }));
        await store.create(TABLES.notices, 'other', due(10), { other: true });
        await store.create(T, 'due', due(10), { otherTable: true });
        const from = `due|2026-11-22T10:00:00.000Z`;
        const to = `due|2026-11-22T11:00:00.000Z`;
        const { rows } = await listAll<{ k: string }>(store, range(TABLES.notices, 'due', from, to));
        const expected = keys.filter((k) => k >= from && k < to).sort();
        expect(expected).toHaveLength(6);
        expect(rows.map((r) => r.key)).toEqual(expected);
        expect(rows.every((r) => r.value.k === r.key)).toBe(true);
        const open = await listAll(store, range(TABLES.notices, 'due', undefined, from));
        expect(open.rows.map((r) => r.key)).toEqual(keys.filter((k) => k < from));
        const tail = await listAll(store, range(TABLES.notices, 'due', to));
        expect(tail.rows.map((r) => r.key)).toEqual(keys.filter((k) => k >= to).sort());
        expect((await store.list(range(TABLES.notices, 'empty'))).rows).toEqual([]);
      });
    });

    describe('paging', () => {
      it('2,345 rows come back in pages of at most 1,000, every row once, in order', async () => {
        const store = await fresh();
        const keys = Array.from({ length: 2345 }, (_, i) => `k|${String(i).padStart(5, '0')}`);
        await inBatches(keys, 16, (k) => store.create(TABLES.audit, 'all', k, { k }));
        await store.create(TABLES.audit, 'other', 'k|00001', {});
        const { rows, pageSizes } = await listAll<{ k: string }>(store, range(TABLES.audit, 'all'));
        expect(Math.max(...pageSizes)).toBeLessThanOrEqual(1000);
        expect(pageSizes.length).toBeGreaterThanOrEqual(3);
        expect(rows.map((r) => r.key)).toEqual(keys);
        expect(rows.every((r) => r.value.k === r.key)).toBe(true);
        const limited = await listAll(store, range(TABLES.audit, 'all', 'k|00100', 'k|00350'), 100);
        expect(Math.max(...limited.pageSizes)).toBeLessThanOrEqual(100);
        expect(limited.rows.map((r) => r.key)).toEqual(keys.slice(100, 350));
      });
    });

    describe('unit of work (commit)', () => {
      let last: Backing | undefined;
      unitOfWorkCases(
        async () => fresh((last = await backing())),
        async () => fresh(last),
      );
    });

    describe('20 concurrent claimers of one row', () => {
      it('exactly one wins (one connection)', async () => {
        const store = await fresh();
        await store.create(T, 'r', 'req', { state: 'pending' });
        const results = await claimAtOnce([store], 'r', 'req', 20);
        expect(results.filter((r) => r === 'won')).toHaveLength(1);
        const winner = results.indexOf('won');
        expect((await store.get(T, 'r', 'req'))?.value).toEqual({ state: 'issuing', by: winner });
      });

      it('exactly one wins (two store instances on the same data)', async () => {
        const shared = await backing();
        const [a, b] = [await fresh(shared), await fresh(shared)];
        await a.create(T, 'r', 'req', { state: 'pending' });
        const results = await claimAtOnce([a, b], 'r', 'req', 20);
        expect(results.filter((r) => r === 'won')).toHaveLength(1);
        expect((await b.get(T, 'r', 'req'))?.value).toEqual((await a.get(T, 'r', 'req'))?.value);
      });
    });
  });
}
