// Intune's request windows (contract next-wave §3.6) as the sandbox keeps them, on an explicit clock.
import { describe, expect, it } from 'vitest';
import { IntuneThrottle } from '../../sandbox/intune-throttle.js';

const repeat = (n: number, take: () => { ok: boolean }) =>
  Array.from({ length: n }, take).filter((r) => r.ok).length;

describe('IntuneThrottle', () => {
  it('admits 100 writes per app and 200 per tenant in 20 s; Retry-After is when the oldest leaves', () => {
    const throttle = new IntuneThrottle();
    expect(repeat(100, () => throttle.admit('a', true, 0))).toBe(100);
    expect(throttle.admit('a', true, 5_000)).toEqual({ ok: false, retryAfterSeconds: 15 });
    expect(repeat(100, () => throttle.admit('b', true, 6_000))).toBe(100);
    // A third app finds the tenant's 200 used up until app a's writes age out at 20 s.
    expect(throttle.admit('c', true, 6_000)).toEqual({ ok: false, retryAfterSeconds: 14 });
    expect(throttle.admit('c', true, 19_999)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(throttle.admit('c', true, 20_000)).toEqual({ ok: true });
    expect(throttle.admit('a', true, 20_000)).toEqual({ ok: true });
  });

  it('counts reads only against the larger all-request windows (1,000 per app)', () => {
    const throttle = new IntuneThrottle();
    expect(repeat(100, () => throttle.admit('a', true, 0))).toBe(100);
    expect(repeat(900, () => throttle.admit('a', false, 1_000))).toBe(900);
    expect(throttle.admit('a', false, 1_000)).toEqual({ ok: false, retryAfterSeconds: 19 });
    expect(throttle.admit('b', false, 1_000)).toEqual({ ok: true });
  });
});
