// The connector fake with the notice scheduler over the in-memory store: what a notices test needs
// without SQLite files or a Teams connector.
import { describe, expect, it } from 'vitest';
import { NoticeQueue, type NewNotice } from '../../src/notices/queue.js';
import { RateLimiter } from '../../src/notices/rate-limiter.js';
import { NoticeScheduler } from '../../src/notices/scheduler.js';
import { TABLES } from '../../src/store/port.js';
import { FakeClock } from './clock.js';
import { gone, RecordingSender } from './connector.js';
import { MemoryRowStore } from './memory-store.js';

function rig() {
  const store = new MemoryRowStore();
  const clock = new FakeClock('2026-05-04T10:00:00.000Z');
  const sender = new RecordingSender();
  const queue = new NoticeQueue(store);
  const gaveUp: { id: string; reason: string }[] = [];
  const scheduler = new NoticeScheduler({
    queue,
    sender,
    clock,
    limiter: new RateLimiter({
      conversationRules: [{ limit: 1_000, windowMs: 1_000 }],
      tenantRatePerSecond: 10_000,
    }),
    onGiveUp: (n, reason) => void gaveUp.push({ id: n.id, reason }),
    leaseMs: 30_000,
    backoff: () => 1_000,
  });
  return { store, clock, sender, queue, gaveUp, scheduler };
}

const toPerson = (id: string, oid: string, dueAt = '2026-05-04T10:00:00.000Z'): NewNotice => ({
  id,
  kind: 'expiring.issuer',
  dueAt,
  recipient: { kind: 'personal', userOid: oid, name: 'Alice Admin' },
  requestId: `req-${id}`,
  card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Your pass expires soon' }] },
});

describe('RecordingSender with the notice scheduler', () => {
  it("sends a due notice once to the person's 1:1 chat, with its card", async () => {
    const { queue, scheduler, sender, clock } = rig();
    await queue.schedule(toPerson('n1', 'oid-alice', '2026-05-04T10:05:00.000Z'));
    expect((await scheduler.tick()).sent).toBe(0);
    clock.advanceMinutes(5);
    expect((await scheduler.tick()).sent).toBe(1);
    expect((await scheduler.tick()).sent).toBe(0);
    expect(sender.sent).toEqual([
      expect.objectContaining({
        id: 'n1',
        conversationId: 'personal:oid-alice',
        kind: 'expiring.issuer',
        card: expect.objectContaining({ type: 'AdaptiveCard' }),
      }),
    ]);
  });

  it('an unreachable person and a permanent refusal are given up on, each once', async () => {
    const { queue, scheduler, sender, gaveUp } = rig();
    sender.unreachable.add('oid-gone');
    sender.fail = (n) => (n.id === 'n2' ? gone() : undefined);
    await queue.schedule(toPerson('n1', 'oid-gone'));
    await queue.schedule(toPerson('n2', 'oid-alice'));
    await scheduler.tick();
    await scheduler.tick();
    expect(gaveUp.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'n1', reason: 'unreachable' },
      { id: 'n2', reason: 'permanent' },
    ]);
    expect(sender.sent).toEqual([]);
  });

  it('the one documented double send: the row delete fails after Teams accepted, the lease runs out', async () => {
    const { store, queue, scheduler, sender, clock } = rig();
    await queue.schedule(toPerson('n1', 'oid-alice'));
    store.data.failNextWrites(1, { table: TABLES.notices, op: 'delete' });
    const first = await scheduler.tick();
    expect(first.sent + first.errors).toBeGreaterThanOrEqual(1);
    clock.advanceSeconds(31);
    await scheduler.tick();
    expect(sender.counts().get('n1')).toBe(2);
    expect(store.data.rowCount(TABLES.notices)).toBe(0);
  });
});
