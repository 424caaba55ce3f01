import { describe, expect, it } from 'vitest';
import { formatDuration, resolveStart } from '../../src/chat/grammar.js';
import { parseStartInstant } from '../../src/chat/start.js';

describe('formatDuration', () => {
  it.each([
    [1, '1 minute'],
    [45, '45 minutes'],
    [60, '1 hour'],
    [90, '1 hour 30 minutes'],
    [120, '2 hours'],
    [1440, '1 day'],
    [1500, '1 day 1 hour'],
    [2881, '2 days 1 minute'],
    [43200, '30 days'],
    [0, '0 minutes'],
  ])('%i -> %s', (minutes, text) => {
    expect(formatDuration(minutes)).toBe(text);
  });
});

describe('resolveStart', () => {
  // 2026-03-10 22:30 UTC is 23:30 in CET (+60) and 2026-03-11 07:30 in Tokyo (+540).
  const now = new Date('2026-03-10T22:30:00Z');

  it('adds minutes for "in"', () => {
    expect(resolveStart({ kind: 'in', minutes: 90 }, now, 60).toISOString()).toBe('2026-03-11T00:00:00.000Z');
  });

  it("reads 'at' times on the admin's local calendar day", () => {
    expect(resolveStart({ kind: 'at', dayOffset: 1, hour: 9, minute: 0 }, now, 60).toISOString()).toBe(
      '2026-03-11T08:00:00.000Z',
    );
    // In Tokyo it is already the 11th, so "tomorrow" is the 12th.
    expect(resolveStart({ kind: 'at', dayOffset: 1, hour: 9, minute: 0 }, now, 540).toISOString()).toBe(
      '2026-03-12T00:00:00.000Z',
    );
    expect(resolveStart({ kind: 'at', dayOffset: 0, hour: 9, minute: 30 }, now, -300).toISOString()).toBe(
      '2026-03-10T14:30:00.000Z',
    );
  });

  it('returns a time already past today rather than refusing it', () => {
    const past = resolveStart({ kind: 'at', dayOffset: 0, hour: 8, minute: 0 }, now, 60);
    expect(past.getTime()).toBeLessThan(now.getTime());
    expect(past.toISOString()).toBe('2026-03-10T07:00:00.000Z');
  });

  it("reads 'on' dates as local wall-clock time", () => {
    expect(resolveStart({ kind: 'on', date: '2026-11-23', hour: 9, minute: 0 }, now, 60).toISOString()).toBe(
      '2026-11-23T08:00:00.000Z',
    );
    expect(
      resolveStart({ kind: 'on', date: '2026-01-01', hour: 0, minute: 15 }, now, -480).toISOString(),
    ).toBe('2026-01-01T08:15:00.000Z');
  });

  it("reads a weekday as the next such day on the admin's calendar, today while the time is ahead", () => {
    // 2026-03-10 is a Tuesday; at 23:30 CET it is still Tuesday there, in Tokyo already Wednesday.
    const at = (weekday: number, hour: number, offset: number) =>
      resolveStart({ kind: 'weekday', weekday, hour, minute: 0 }, now, offset).toISOString();
    expect(at(1, 8, 60)).toBe('2026-03-16T07:00:00.000Z');
    expect(at(3, 9, 60)).toBe('2026-03-11T08:00:00.000Z');
    // Tuesday 23:45 CET is still ahead; Tuesday 8:00 is past, so next week's.
    expect(resolveStart({ kind: 'weekday', weekday: 2, hour: 23, minute: 45 }, now, 60).toISOString()).toBe(
      '2026-03-10T22:45:00.000Z',
    );
    expect(at(2, 8, 60)).toBe('2026-03-17T07:00:00.000Z');
    // In Tokyo it is Wednesday 07:30: Wednesday 9:00 is today, Tuesday is six days on.
    expect(at(3, 9, 540)).toBe('2026-03-11T00:00:00.000Z');
    expect(at(2, 9, 540)).toBe('2026-03-17T00:00:00.000Z');
  });

  it('returns an exact instant as it is, whatever the offset', () => {
    const spec = { kind: 'at-instant', iso: '2026-12-01T08:00:00.000Z' } as const;
    for (const offset of [-480, 0, 60, 540]) {
      expect(resolveStart(spec, now, offset).toISOString()).toBe('2026-12-01T08:00:00.000Z');
    }
  });
});

describe('parseStartInstant', () => {
  it.each([
    ['2026-12-01T09:00:00+01:00', '2026-12-01T08:00:00.000Z'],
    ['2026-12-01T09:00:00Z', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01t09:00z', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01 09:00-05:30', '2026-12-01T14:30:00.000Z'],
    ['2026-12-01T09:00:00.5+0100', '2026-12-01T08:00:00.500Z'],
    ['2026-12-01T00:30:00+02', '2026-11-30T22:30:00.000Z'],
    [' 2028-02-29T23:59:59.123456-00:00 ', '2028-02-29T23:59:59.123Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseStartInstant(text)).toStrictEqual({ kind: 'at-instant', iso });
  });

  it.each([
    '2026-12-01T09:00:00',
    '2026-12-01 09:00',
    '2026-02-30T09:00Z',
    '2026-12-01T24:00Z',
    '2026-12-01T09:60Z',
    '2026-12-01T09:00:60Z',
    '2026-12-01T09:00+19:00',
    '2026-12-01T09:00+01:60',
    '1999-12-01T09:00Z',
    'tomorrow 9:00',
    '',
  ])('refuses %j', (text) => {
    expect(parseStartInstant(text)).toBeNull();
  });
});
