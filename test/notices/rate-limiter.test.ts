import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/notices/rate-limiter.js';

/** A limiter on a fake wall clock; margin 0 so the arithmetic is exact. */
function fake(tenantRatePerSecond = 1_000) {
  const time = { ms: 1_000_000 };
  const limiter = new RateLimiter({ now: () => time.ms, marginMs: 0, tenantRatePerSecond });
  return { time, limiter };
}

/** Sends as fast as the limiter allows, `n` times; returns the send times relative to the start. */
function drain(limiter: RateLimiter, time: { ms: number }, conv: string, n: number): number[] {
  const start = time.ms;
  const at: number[] = [];
  while (at.length < n) {
    const wait = limiter.tryAcquire(conv);
    if (wait === 0) at.push(time.ms - start);
    else time.ms += wait;
  }
  return at;
}

const maxInWindow = (times: number[], windowMs: number) =>
  Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));

describe('RateLimiter', () => {
  it('keeps one conversation within 7/1 s, 8/2 s, 60/30 s and 1,800/hour', () => {
    const { time, limiter } = fake();
    const times = drain(limiter, time, 'c', 1_900);
    expect(times.slice(0, 9)).toEqual([0, 0, 0, 0, 0, 0, 0, 1_000, 2_000]);
    expect(maxInWindow(times, 1_000)).toBe(7);
    expect(maxInWindow(times, 2_000)).toBe(8);
    expect(maxInWindow(times, 30_000)).toBe(60);
    expect(maxInWindow(times, 3_600_000)).toBe(1_800);
  });

  it('counts a slot from when its send leaves, not from when it was granted', () => {
    const { time, limiter } = fake();
    const start = time.ms;
    // The first send leaves 300 ms after its grant (its row's claim was slow); six more follow at once.
    expect(limiter.tryAcquire('c')).toBe(0);
    time.ms = start + 300;
    limiter.markSending('c');
    for (let i = 0; i < 6; i++) {
      expect(limiter.tryAcquire('c')).toBe(0);
      limiter.markSending('c');
    }
    time.ms = start + 1_000;
    // Timed from the grant the 1 s window would open now; from the send it opens 300 ms later.
    expect(limiter.delayMs('c')).toBe(300);
    // Re-timing never moves a send earlier, and a conversation without sends is ignored.
    time.ms = start;
    limiter.markSending('c');
    limiter.markSending('never');
    time.ms = start + 1_000;
    expect(limiter.delayMs('c')).toBe(300);
  });

  it('re-timing a send moves it in the tenant window too', () => {
    const { time, limiter } = fake(2);
    const start = time.ms;
    expect(limiter.tryAcquire('c')).toBe(0);
    expect(limiter.tryAcquire('d')).toBe(0);
    time.ms = start + 400;
    limiter.markSending('c');
    time.ms = start + 1_000;
    expect(limiter.tryAcquire('e')).toBe(0); // d's slot left the window
    expect(limiter.tryAcquire('f')).toBe(400); // c's send, re-timed to 400, is still in it
  });

  it('conversations are independent; the tenant window spans them all', () => {
    const { time, limiter } = fake(10);
    for (let i = 0; i < 10; i++) expect(limiter.tryAcquire(`c${i}`)).toBe(0);
    expect(limiter.tryAcquire('c10')).toBe(1_000);
    time.ms += 1_000;
    expect(limiter.tryAcquire('c10')).toBe(0);
  });

  it('a fractional tenant share rounds down, never up', () => {
    const { limiter } = fake(50 / 3);
    const granted = Array.from({ length: 20 }, (_, i) => limiter.tryAcquire(`c${i}`)).filter((w) => w === 0);
    expect(granted).toHaveLength(16);
  });

  it('pause (Retry-After) holds one conversation; pauseAll holds every one', () => {
    const { time, limiter } = fake();
    limiter.pause('c', time.ms + 3_000);
    expect(limiter.delayMs('c')).toBe(3_000);
    expect(limiter.delayMs('other')).toBe(0);
    limiter.pauseAll(time.ms + 5_000);
    expect(limiter.delayMs('other')).toBe(5_000);
    time.ms += 5_000;
    expect(limiter.tryAcquire('c')).toBe(0);
  });

  it('acquire gives up without taking a slot when the wait exceeds maxWaitMs', async () => {
    const { time, limiter } = fake();
    const sleep = async (ms: number) => void (time.ms += ms);
    limiter.pause('c', time.ms + 10_000);
    expect(await limiter.acquire('c', { maxWaitMs: 5_000, sleep })).toBe(false);
    expect(await limiter.acquire('c', { maxWaitMs: 10_000, sleep })).toBe(true);
    expect(limiter.delayMs('c')).toBe(0);
  });

  it('sweep forgets idle conversations', () => {
    const { time, limiter } = fake();
    drain(limiter, time, 'c', 8);
    time.ms += 2 * 3_600_000;
    limiter.sweep();
    expect(drain(limiter, time, 'c', 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
