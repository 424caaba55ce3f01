import { afterAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/notices/notice.js';
import { DUE_PARTITION, type NoticeRow } from '../../src/notices/queue.js';
import { TABLES } from '../../src/store/port.js';
import { CountingStore, notice, rig, sqliteFiles, T0 } from './helpers.js';

const files = sqliteFiles();
afterAll(() => files.dispose());

const rowsOf = async (store: CountingStore) =>
  (await store.inner.list<NoticeRow>({ table: TABLES.notices, partition: DUE_PARTITION })).rows;

describe('NoticeScheduler on SQLite', () => {
  it('sends nothing before dueAt, sends once after, and deletes the row', async () => {
    const store = new CountingStore(files.open(files.newPath()));
    const { queue, sender, clock, scheduler } = rig(store);
    await queue.schedule(notice('a', 'conv-1', 60_000));
    expect((await scheduler.tick()).due).toBe(0);
    clock.advance(59_999);
    expect((await scheduler.tick()).sent).toBe(0);
    clock.advance(1);
    expect(await scheduler.tick()).toMatchObject({ due: 1, claimed: 1, sent: 1 });
    expect(await scheduler.tick()).toMatchObject({ due: 0, sent: 0 });
    expect(sender.sent.map((s) => [s.id, s.conversationId])).toEqual([['a', 'conv-1']]);
    expect(await rowsOf(store)).toEqual([]);
    await store.close();
  });

  it('retries transient failures with backoff and gives up after maxAttempts, calling onGiveUp once', async () => {
    const store = new CountingStore(files.open(files.newPath()));
    const { queue, sender, clock, scheduler, gaveUp } = rig(store, { maxAttempts: 3 });
    sender.fail = () => new Error('503 from Teams');
    await queue.schedule(notice('t', 'conv-1'));
    expect(await scheduler.tick()).toMatchObject({ sent: 0, retried: 1 });
    const [retry] = await rowsOf(store);
    expect(retry!.value).toMatchObject({ attempts: 1, lastError: '503 from Teams' });
    expect(Date.parse(retry!.value.dueAt)).toBe(T0 + 1_000); // backoff(1) in the rig
    expect((await scheduler.tick()).claimed).toBe(0); // not due again yet
    clock.advance(1_000);
    expect(await scheduler.tick()).toMatchObject({ retried: 1 });
    clock.advance(2_000);
    expect(await scheduler.tick()).toMatchObject({ gaveUp: 1 });
    clock.advance(60 * 60_000);
    await scheduler.tick();
    expect(sender.calls).toHaveLength(3);
    expect(gaveUp).toEqual([{ id: 't', reason: 'failed' }]);
    expect(await rowsOf(store)).toEqual([]);
    await store.close();
  });

  it('gives up at once on a permanent failure and on an unreachable recipient', async () => {
    const store = new CountingStore(files.open(files.newPath()));
    const { queue, sender, scheduler, gaveUp } = rig(store);
    sender.fail = (n) => (n.id === 'p' ? new DeliveryError('403 bot blocked', undefined, true) : undefined);
    sender.unreachable.add('oid-gone');
    await queue.schedule(notice('p', 'conv-1'));
    await queue.schedule({
      ...notice('u', 'x'),
      recipient: { kind: 'personal', userOid: 'oid-gone', name: 'G' },
    });
    await queue.schedule({
      ...notice('ok', 'x'),
      recipient: { kind: 'personal', userOid: 'oid-1', name: 'O' },
    });
    expect(await scheduler.tick()).toMatchObject({ due: 3, sent: 1, gaveUp: 2, retried: 0 });
    expect(gaveUp.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'p', reason: 'permanent' },
      { id: 'u', reason: 'unreachable' },
    ]);
    expect(sender.sent.map((s) => s.conversationId)).toEqual(['personal:oid-1']);
    expect(sender.calls.filter((c) => c.id === 'p')).toHaveLength(1);
    expect(await rowsOf(store)).toEqual([]);
    await store.close();
  });

  it('a throwing onGiveUp does not stop the others, and is called again after the lease, never a resend', async () => {
    const store = new CountingStore(files.open(files.newPath()));
    let failAudit = true;
    const calls: string[] = [];
    const { queue, sender, clock, scheduler, errors } = rig(store, {
      leaseMs: 10_000,
      onGiveUp: (n) => {
        calls.push(n.id);
        if (failAudit) throw new Error('audit store down');
      },
    });
    sender.fail = (n) =>
      n.id === 'bad' ? new DeliveryError('404 conversation gone', undefined, true) : undefined;
    for (const id of ['a', 'bad', 'c']) await queue.schedule(notice(id, `conv-${id}`));
    expect(await scheduler.tick()).toMatchObject({ sent: 2, gaveUp: 0, errors: 1 });
    expect(errors).toHaveLength(1);
    failAudit = false;
    clock.advance(9_999);
    expect(await scheduler.tick()).toMatchObject({ due: 1, lostRace: 1 });
    clock.advance(1);
    expect(await scheduler.tick()).toMatchObject({ gaveUp: 1 });
    expect(calls).toEqual(['bad', 'bad']);
    expect(sender.calls.filter((c) => c.id === 'bad')).toHaveLength(1);
    expect(await rowsOf(store)).toEqual([]);
    await store.close();
  });

  it('takes over a dead instance’s lease once it has expired, and not before', async () => {
    const path = files.newPath();
    const store = new CountingStore(files.open(path));
    const { queue, clock, sender, scheduler } = rig(store, { leaseMs: 60_000 });
    await queue.schedule(notice('d', 'conv-1'));
    // The dead instance claimed the row and vanished before sending.
    const [listed] = await queue.due(clock.now(), 10);
    expect(await queue.claim(listed!, clock.now(), 60_000, 'dead')).toMatchObject({ key: listed!.key });
    expect(await scheduler.tick()).toMatchObject({ due: 1, lostRace: 1, claimed: 0 });
    clock.advance(59_999);
    expect(await scheduler.tick()).toMatchObject({ lostRace: 1, sent: 0 });
    clock.advance(1);
    expect(await scheduler.tick()).toMatchObject({ claimed: 1, sent: 1 });
    expect(sender.sent).toHaveLength(1);
    await store.close();
  });

  it('reads only what is due: 5,000 future rows and 10 due → about 10 rows read per tick', async () => {
    const store = new CountingStore(files.open(files.newPath()));
    const { queue, scheduler } = rig(store);
    for (let i = 0; i < 5_000; i++) await queue.schedule(notice(`f${i}`, `c${i % 50}`, 3_600_000 + i));
    for (let i = 0; i < 10; i++) await queue.schedule(notice(`d${i}`, `c${i}`, -i));
    store.reset();
    expect(await scheduler.tick()).toMatchObject({ due: 10, sent: 10 });
    expect(store.calls.list).toBe(1);
    expect(store.rowsListed).toBe(10);
    // Per notice: a claim (replace), a predecessor check is skipped (first try), and a delete.
    expect(store.calls.replace).toBe(10);
    expect(store.calls.delete).toBe(10);
    store.reset();
    expect((await scheduler.tick()).due).toBe(0);
    expect(store.rowsListed).toBe(0);
    await store.close();
  });
});
