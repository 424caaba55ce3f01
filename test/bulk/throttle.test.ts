import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { forEachConcurrent, SendWindow, ThrottleGate } from '../../src/bulk/throttle.js';

describe('ThrottleGate', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A gate on the faked Date clock, and a probe that says whether a pass() has resolved. */
  function gate() {
    return new ThrottleGate(() => Date.now());
  }
  function track(promise: Promise<void>) {
    const state = { done: false };
    void promise.then(() => (state.done = true));
    return state;
  }

  it('lets pass() through at once when nothing blocked it', async () => {
    const g = gate();
    const p = track(g.pass());
    await vi.advanceTimersByTimeAsync(0);
    expect(p.done).toBe(true);
    expect(g.waits).toBe(0);
  });

  it('holds pass() until a 1.5 s block has run out', async () => {
    const g = gate();
    g.block(1.5);
    const p = track(g.pass());
    await vi.advanceTimersByTimeAsync(1499);
    expect(p.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(p.done).toBe(true);
    expect(g.waits).toBe(1);
  });

  it('is not shortened by a shorter later block', async () => {
    const g = gate();
    g.block(1.5);
    await vi.advanceTimersByTimeAsync(500);
    g.block(0.2);
    const p = track(g.pass());
    await vi.advanceTimersByTimeAsync(999);
    expect(p.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(p.done).toBe(true);
  });

  it('is lengthened by a longer later block, even for a waiter already waiting', async () => {
    const g = gate();
    g.block(1);
    const p = track(g.pass());
    await vi.advanceTimersByTimeAsync(500);
    g.block(2); // now open at 2.5 s from the start
    await vi.advanceTimersByTimeAsync(1999);
    expect(p.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(p.done).toBe(true);
    expect(g.waits).toBe(2);
  });

  it('treats a missing Retry-After as one second', async () => {
    const g = gate();
    g.block(undefined);
    const p = track(g.pass());
    await vi.advanceTimersByTimeAsync(999);
    expect(p.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(p.done).toBe(true);
  });

  it('waits at least 50 ms for a zero Retry-After', async () => {
    const g = gate();
    g.block(0);
    const p = track(g.pass());
    await vi.advanceTimersByTimeAsync(49);
    expect(p.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(p.done).toBe(true);
  });

  it('releases every waiter together and lets later callers straight through', async () => {
    const g = gate();
    g.block(1);
    const waiters = [track(g.pass()), track(g.pass()), track(g.pass())];
    await vi.advanceTimersByTimeAsync(999);
    expect(waiters.map((w) => w.done)).toEqual([false, false, false]);
    await vi.advanceTimersByTimeAsync(1);
    expect(waiters.map((w) => w.done)).toEqual([true, true, true]);
    expect(g.waits).toBe(3);
    const late = track(g.pass());
    await vi.advanceTimersByTimeAsync(0);
    expect(late.done).toBe(true);
    expect(g.waits).toBe(3);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Work that records how many calls are in flight and which indices it saw. */
function meter(
  delay: (index: number) => number,
  fail: (index: number) => Error | undefined = () => undefined,
) {
  const m = { inFlight: 0, max: 0, seen: [] as number[], settled: 0 };
  const work = async (item: string, index: number) => {
    expect(item).toBe(`item-${index}`);
    m.seen.push(index);
    m.inFlight += 1;
    m.max = Math.max(m.max, m.inFlight);
    try {
      await sleep(delay(index));
      const error = fail(index);
      if (error) throw error;
    } finally {
      m.inFlight -= 1;
      m.settled += 1;
    }
  };
  return { m, work };
}
const items = (n: number) => Array.from({ length: n }, (_, i) => `item-${i}`);

describe('forEachConcurrent', () => {
  it('never has more than `limit` in flight and processes every item once', async () => {
    const { m, work } = meter((i) => 5 + ((i * 7) % 4) * 5);
    await forEachConcurrent(items(12), 3, work);
    expect(m.max).toBe(3);
    expect([...m.seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(m.inFlight).toBe(0);
  });

  it('runs one at a time with a limit of 1', async () => {
    const { m, work } = meter(() => 2);
    await forEachConcurrent(items(5), 1, work);
    expect(m.max).toBe(1);
    expect(m.seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('starts only as many workers as items when the limit is larger', async () => {
    const { m, work } = meter(() => 10);
    await forEachConcurrent(items(3), 10, work);
    expect(m.max).toBe(3);
    expect([...m.seen].sort()).toEqual([0, 1, 2]);
  });

  it('does nothing for an empty list', async () => {
    const work = vi.fn(async () => {});
    await expect(forEachConcurrent([], 4, work)).resolves.toBeUndefined();
    expect(work).not.toHaveBeenCalled();
  });

  it('rethrows the first error only after every item has settled', async () => {
    const first = new Error('first');
    const second = new Error('second');
    const { m, work } = meter(
      (i) => (i === 1 ? 5 : i === 4 ? 5 : 20),
      (i) => (i === 1 ? first : i === 4 ? second : undefined),
    );
    const outcome = await forEachConcurrent(items(8), 2, work).then(
      () => 'resolved',
      (error: unknown) => ({ error, settled: m.settled, inFlight: m.inFlight }),
    );
    expect(outcome).toStrictEqual({ error: first, settled: 8, inFlight: 0 });
    expect([...m.seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('SendWindow', () => {
  it('starts wide open, halves once per round of 429s and grows by one per clean batch', async () => {
    let now = 0;
    const window = new SendWindow(80, () => now);
    const first = await window.take(20);
    const second = await window.take(20);
    expect([first.count, second.count, window.current]).toEqual([20, 20, 80]);
    now = 10;
    window.done(20, 5, first.at); // congestion: halve
    window.done(20, 7, second.at); // sent before that cut: the same round, no second halving
    expect(window.current).toBe(40);
    now = 20;
    const third = await window.take(20);
    window.done(20, 0, third.at);
    expect(window.current).toBe(41);
  });

  it('never goes below one row and makes callers wait for room', async () => {
    let now = 0;
    const window = new SendWindow(2, () => now);
    for (let i = 0; i < 5; i += 1) {
      const slot = await window.take(20);
      now += 1;
      window.done(slot.count, slot.count, slot.at);
    }
    expect(window.current).toBe(1);
    const held = await window.take(20);
    expect(held.count).toBe(1);
    let second = false;
    const waiting = window.take(20).then(() => (second = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(second).toBe(false);
    window.done(1, 0, held.at);
    await waiting;
    expect(second).toBe(true);
  });
});
