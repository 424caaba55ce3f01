import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { RateLimiter } from '../../src/notices/rate-limiter.js';
import { notice, rig, sqliteFiles, throttled, type Sent } from './helpers.js';

const files = sqliteFiles();
afterAll(() => files.dispose());

const maxInWindow = (times: number[], windowMs: number) =>
  Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));

describe('429 with Retry-After, real time and Teams limits', () => {
  it('every notice arrives once, within 7/1 s and 8/2 s per conversation, never before Retry-After', async () => {
    const store = files.open(files.newPath());
    const retryAfterMs = 500;
    const { queue, sender, scheduler, errors } = rig(store, {
      clock: systemClock,
      limiter: new RateLimiter(),
      tickMs: 50,
    });
    const conversations = ['c0', 'c1', 'c2', 'c3'];
    // The first two requests to each conversation are throttled.
    sender.fail = (n) => {
      const conv = (n.recipient as { conversationId: string }).conversationId;
      return sender.calls.filter((c) => c.conversationId === conv).length <= 2
        ? throttled(retryAfterMs)
        : undefined;
    };
    const ids: string[] = [];
    const now = Date.now() - Date.parse(notice('x', 'c').dueAt);
    for (let i = 0; i < 48; i++) {
      ids.push(`n${i}`);
      await queue.schedule(notice(`n${i}`, conversations[i % 4]!, now));
    }
    scheduler.start();
    const deadline = Date.now() + 20_000;
    while (sender.sent.length < ids.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await scheduler.stop();
    await store.close();

    expect(errors).toEqual([]);
    expect([...sender.counts().entries()].sort()).toEqual(ids.map((id) => [id, 1]).sort());
    for (const conv of conversations) {
      const calls = sender.calls.filter((c) => c.conversationId === conv);
      const times = calls.map((c) => c.at);
      expect(maxInWindow(times, 1_000)).toBeLessThanOrEqual(7);
      expect(maxInWindow(times, 2_000)).toBeLessThanOrEqual(8);
      const throttledCalls: Sent[] = calls.slice(0, 2);
      for (const t of throttledCalls) {
        // Nothing reached the conversation while Teams had asked us to wait…
        expect(calls.filter((c) => c.at > t.at && c.at < t.at + retryAfterMs)).toEqual([]);
        // …and the throttled notice itself came back only after its Retry-After.
        const delivered = sender.sent.find((s) => s.id === t.id)!;
        expect(delivered.at).toBeGreaterThanOrEqual(t.at + retryAfterMs);
        expect(delivered.attempts).toBe(0); // a 429 is not counted as a failed attempt
      }
    }
  });
});
