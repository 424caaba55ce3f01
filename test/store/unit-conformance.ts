import { expect, it } from 'vitest';
import { ConflictError, TABLES, type RowStore, type RowWrite } from '../../src/store/port.js';
import { claimUnit } from './claim-unit.js';

const R = TABLES.requests;
const A = TABLES.audit;
const L = TABLES.limits;

/** The conflict a promise rejects with (fails the test if it resolves or throws something else). */
export async function conflictOf(promise: Promise<unknown>): Promise<ConflictError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConflictError);
  return error as ConflictError;
}

/**
 * The unit-of-work cases of the conformance suite, registered inside it. `fresh` opens a store on new
 * empty data; `reopen` opens a second connection on the same data as `fresh` last did.
 */
export function unitOfWorkCases(fresh: () => Promise<RowStore>, reopen: () => Promise<RowStore>): void {
  it('a unit across tables and partitions lands whole, with etags that work afterwards', async () => {
    const store = await fresh();
    const etag = await store.create(R, 'r1', 'request', { state: 'pending' });
    await store.create(R, 'r1', 'gone', 1);
    const etags = await store.commit([
      { op: 'replace', table: R, partition: 'r1', key: 'request', value: { state: 'issuing' }, etag },
      { op: 'delete', table: R, partition: 'r1', key: 'gone' },
      { op: 'create', table: A, partition: 'all', key: 'e1', value: { type: 'confirmed' } },
      { op: 'create', table: A, partition: 'target|t', key: 'e1', value: { type: 'confirmed' } },
      { op: 'upsert', table: TABLES.conversations, partition: 'personal', key: 'dana', value: { at: 1 } },
      { op: 'delete', table: L, partition: 'tenant', key: 'never-there' },
    ]);
    expect(etags).toHaveLength(6);
    expect(etags[1]).toBe('');
    expect(await store.get(R, 'r1', 'request')).toEqual({ value: { state: 'issuing' }, etag: etags[0] });
    expect(await store.get(R, 'r1', 'gone')).toBeUndefined();
    expect((await store.get(A, 'target|t', 'e1'))?.etag).toBe(etags[3]);
    expect((await store.get(TABLES.conversations, 'personal', 'dana'))?.value).toEqual({ at: 1 });
    await store.replace(R, 'r1', 'request', { state: 'issued' }, etags[0]!);
    await expect(store.replace(R, 'r1', 'request', { state: 'x' }, etag)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await store.commit([])).toEqual([]);
  });

  it('a stale claim writes nothing of its unit, and names the claim as the write that lost', async () => {
    const store = await fresh();
    const stale = await store.create(R, 'r2', 'request', { state: 'pending' });
    await store.replace(R, 'r2', 'request', { state: 'issuing', by: 'other' }, stale);
    const conflict = await conflictOf(store.commit(claimUnit('r2', stale, { count: 1 })));
    expect(conflict.index).toBe(0);
    expect(conflict.written).toEqual([]);
    expect((await store.get(R, 'r2', 'request'))?.value).toEqual({ state: 'issuing', by: 'other' });
    expect(await store.get(A, 'all', 'confirmed|r2|dana')).toBeUndefined();
    expect(await store.get(L, 'tenant', 'r2')).toBeUndefined();
  });

  it('a later write that loses: exactly the writes ConflictError.written names landed', async () => {
    const store = await fresh();
    const etag = await store.create(R, 'r3', 'request', { state: 'pending' });
    const counter = await store.create(L, 'tenant', 'r3', { count: 5 });
    await store.replace(L, 'tenant', 'r3', { count: 6 }, counter);
    const unit = claimUnit('r3', etag, { etag: counter, count: 6 });
    const conflict = await conflictOf(store.commit(unit));
    expect(conflict.index).toBe(3);
    // One transaction (SQLite, memory): nothing; one per partition (Azure Tables): the claim group and
    // the audit rows, never the counter that lost.
    expect(conflict.written).not.toContain(3);
    const landed = [
      (await store.get(R, 'r3', 'request'))?.value !== undefined &&
        (await store.get<{ state: string }>(R, 'r3', 'request'))!.value.state === 'issuing',
      (await store.get(A, 'all', 'confirmed|r3|dana')) !== undefined,
      (await store.get(A, 'target|r3', 'confirmed|dana')) !== undefined,
      (await store.get<{ count: number }>(L, 'tenant', 'r3'))!.value.count !== 6,
    ];
    expect(landed).toEqual(unit.map((_, i) => conflict.written.includes(i)));
    expect((await store.get(L, 'tenant', 'r3'))?.value).toEqual({ count: 6 });
  });

  it('writes sharing a table and partition are all or nothing on every store', async () => {
    const store = await fresh();
    const a = await store.create(R, 'r4', 'a', 1);
    const b = await store.create(R, 'r4', 'b', 1);
    await store.replace(R, 'r4', 'b', 2, b);
    const conflict = await conflictOf(
      store.commit([
        { op: 'replace', table: R, partition: 'r4', key: 'a', value: 10, etag: a },
        { op: 'create', table: R, partition: 'r4', key: 'c', value: 10 },
        { op: 'replace', table: R, partition: 'r4', key: 'b', value: 10, etag: b },
      ]),
    );
    expect(conflict.written).toEqual([]);
    expect((await store.get(R, 'r4', 'a'))?.value).toBe(1);
    expect(await store.get(R, 'r4', 'c')).toBeUndefined();
    // A create of a taken key loses the same way.
    await expect(
      store.commit([
        { op: 'upsert', table: R, partition: 'r4', key: 'd', value: 1 },
        { op: 'create', table: R, partition: 'r4', key: 'a', value: 2 },
      ]),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await store.get(R, 'r4', 'd')).toBeUndefined();
  });

  it('150 rows of one partition commit (more than one Azure transaction holds)', async () => {
    const store = await fresh();
    const writes: RowWrite[] = Array.from({ length: 150 }, (_, i) => ({
      op: 'create',
      table: TABLES.notices,
      partition: 'due',
      key: `2026-11-22T10:00:00.000Z|n${String(i).padStart(3, '0')}`,
      value: { i },
    }));
    expect(await store.commit(writes)).toHaveLength(150);
    expect((await store.list({ table: TABLES.notices, partition: 'due' })).rows).toHaveLength(150);
  });

  it('refuses a row written twice in one unit, and unknown tables, before writing anything', async () => {
    const store = await fresh();
    const twice: RowWrite[] = [
      { op: 'create', table: R, partition: 'r5', key: 'k', value: 1 },
      { op: 'upsert', table: R, partition: 'r5', key: 'k', value: 2 },
    ];
    await expect(store.commit(twice)).rejects.toThrow(/twice/);
    await expect(
      store.commit([
        { op: 'create', table: R, partition: 'r5', key: 'j', value: 1 },
        { op: 'create', table: 'nope', partition: 'r5', key: 'k', value: 1 },
      ]),
    ).rejects.toThrow(/Unknown table/);
    expect(await store.get(R, 'r5', 'k')).toBeUndefined();
    expect(await store.get(R, 'r5', 'j')).toBeUndefined();
  });

  it('10 concurrent clicks committing their claim units: one wins, the others leave no trace', async () => {
    const store = await fresh();
    const etag = await store.create(R, 'r6', 'request', { state: 'pending' });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.commit(claimUnit('r6', etag, { count: 1 }, `clicker${i}`)).then(
          () => 'won',
          (error: unknown) => {
            if (!(error instanceof ConflictError)) throw error;
            return 'lost';
          },
        ),
      ),
    );
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    const winner = `clicker${results.indexOf('won')}`;
    expect((await store.get(R, 'r6', 'request'))?.value).toEqual({ state: 'issuing', by: winner });
    const audit = await store.list({ table: A, partition: 'target|r6' });
    expect(audit.rows.map((r) => r.key)).toEqual([`confirmed|${winner}`]);
  });

  it('a crash between the two commits: the claim unit survives whole, a replay of it loses, the outcome can still be recorded', async () => {
    const store = await fresh();
    const pending = await store.create(R, 'r7', 'request', { state: 'pending' });
    const [claimed] = await store.commit(claimUnit('r7', pending, { count: 1 }));
    // The process dies here: no second commit. Another connection (the restarted bot) takes over.
    await store.close();
    const after = await reopen();
    expect(await after.get(R, 'r7', 'request')).toEqual({
      value: { state: 'issuing', by: 'dana' },
      etag: claimed,
    });
    expect(await after.get(A, 'target|r7', 'confirmed|dana')).toBeDefined();
    expect((await after.get(L, 'tenant', 'r7'))?.value).toEqual({ count: 1 });
    // A replay of the click (same card, same etag it read) can never claim again: no second pass.
    const replay = await conflictOf(after.commit(claimUnit('r7', pending, { count: 2 }, 'replay')));
    expect(replay.index).toBe(0);
    expect(await after.get(A, 'target|r7', 'confirmed|replay')).toBeUndefined();
    await after.commit([
      {
        op: 'replace',
        table: R,
        partition: 'r7',
        key: 'request',
        value: { state: 'issued' },
        etag: claimed!,
      },
      { op: 'create', table: A, partition: 'target|r7', key: 'issued|dana', value: {} },
    ]);
    expect((await after.get(R, 'r7', 'request'))?.value).toEqual({ state: 'issued' });
  });
}
