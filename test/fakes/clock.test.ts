import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';

describe('FakeClock', () => {
  it('answers the time set, moves only when told, and hands out copies', () => {
    const clock = new FakeClock('2026-05-04T10:00:00.000Z');
    const now = clock.now();
    now.setFullYear(1999);
    expect(clock.iso()).toBe('2026-05-04T10:00:00.000Z');
    clock.advanceMinutes(10).advanceSeconds(1);
    expect(clock.now().toISOString()).toBe('2026-05-04T10:10:01.000Z');
    clock.current = new Date('2026-05-05T00:00:00.000Z');
    expect(clock.iso()).toBe('2026-05-05T00:00:00.000Z');
  });

  it('sync counts calls, runs the scripted source, and honours an aborted signal', async () => {
    const clock = new FakeClock('2026-05-04T10:00:00.000Z');
    clock.onSync = (c) => void c.advanceMinutes(90);
    await clock.sync();
    expect([clock.syncs, clock.iso()]).toEqual([1, '2026-05-04T11:30:00.000Z']);
    await expect(clock.sync(AbortSignal.abort())).rejects.toThrow();
  });
});
