import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HeldPasses } from '../../src/bulk/held-passes.js';
import type { PassRow } from '../../src/bulk/results.js';

const TTL = 60_000;

const pass = (n: number): PassRow => ({
  userPrincipalName: `user${n}@contoso.com`,
  displayName: `User ${n}`,
  pass: `Pass${n}`,
  startDateTime: '2026-05-04T10:00:00.000Z',
  expiresAt: '2026-05-04T18:00:00.000Z',
  isUsableOnce: true,
});

describe('HeldPasses', () => {
  let timedOut: string[];
  let held: HeldPasses;

  beforeEach(() => {
    vi.useFakeTimers();
    timedOut = [];
    held = new HeldPasses(TTL, (bulkId) => timedOut.push(bulkId));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands the passes to their owner exactly once', () => {
    held.hold('bulk-1', 'owner', [pass(1), pass(2)]);
    expect(held.take('bulk-1', 'owner')).toStrictEqual([pass(1), pass(2)]);
    expect(held.take('bulk-1', 'owner')).toBeNull();
    expect(held.count('bulk-1', 'owner')).toBeNull();
  });

  it('gives another owner nothing and keeps the passes for the real owner', () => {
    held.hold('bulk-1', 'owner', [pass(1)]);
    expect(held.take('bulk-1', 'intruder')).toBeNull();
    expect(held.count('bulk-1', 'intruder')).toBeNull();
    expect(held.take('bulk-1', 'owner')).toStrictEqual([pass(1)]);
  });

  it('counts without handing over', () => {
    held.hold('bulk-1', 'owner', [pass(1), pass(2), pass(3)]);
    expect(held.count('bulk-1', 'owner')).toBe(3);
    expect(held.count('bulk-1', 'owner')).toBe(3);
    expect(held.count('bulk-unknown', 'owner')).toBeNull();
    expect(held.take('bulk-1', 'owner')).toHaveLength(3);
  });

  it('keeps bulks apart', () => {
    held.hold('bulk-1', 'owner', [pass(1)]);
    held.hold('bulk-2', 'owner', [pass(2), pass(3)]);
    expect(held.take('bulk-2', 'owner')).toStrictEqual([pass(2), pass(3)]);
    expect(held.count('bulk-1', 'owner')).toBe(1);
  });

  it('drop() forgets the passes and wipes the held array', () => {
    const rows = [pass(1), pass(2)];
    held.hold('bulk-1', 'owner', rows);
    held.drop('bulk-1');
    expect(rows).toHaveLength(0);
    expect(held.take('bulk-1', 'owner')).toBeNull();
    expect(() => held.drop('bulk-1')).not.toThrow();
    vi.advanceTimersByTime(TTL * 2);
    expect(timedOut).toEqual([]);
  });

  it('times out once after the ttl, and then take() is null', () => {
    held.hold('bulk-1', 'owner', [pass(1)]);
    vi.advanceTimersByTime(TTL - 1);
    expect(timedOut).toEqual([]);
    expect(held.count('bulk-1', 'owner')).toBe(1);
    vi.advanceTimersByTime(1);
    expect(timedOut).toEqual(['bulk-1']);
    expect(held.take('bulk-1', 'owner')).toBeNull();
    vi.advanceTimersByTime(TTL * 3);
    expect(timedOut).toEqual(['bulk-1']);
  });

  it('does not time out a bulk that was taken', () => {
    held.hold('bulk-1', 'owner', [pass(1)]);
    vi.advanceTimersByTime(TTL / 2);
    expect(held.take('bulk-1', 'owner')).toHaveLength(1);
    vi.advanceTimersByTime(TTL);
    expect(timedOut).toEqual([]);
  });

  it('holding again replaces the earlier passes and restarts the ttl', () => {
    held.hold('bulk-1', 'owner', [pass(1)]);
    vi.advanceTimersByTime(TTL / 2);
    held.hold('bulk-1', 'owner', [pass(7), pass(8)]);
    vi.advanceTimersByTime(TTL / 2);
    expect(timedOut).toEqual([]);
    expect(held.count('bulk-1', 'owner')).toBe(2);
    vi.advanceTimersByTime(TTL / 2);
    expect(timedOut).toEqual(['bulk-1']);
  });
});
