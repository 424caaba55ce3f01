import { describe, expect, it } from 'vitest';
import { formatWhen, isValidZone, utcOffsetMinutes } from '../src/tap/format.js';

describe('times in the admin’s zone', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  it('shows only the time for today, with the zone', () => {
    expect(formatWhen(new Date('2026-11-22T14:05:00Z'), 'Europe/Berlin', now)).toBe('15:05 CET');
  });
  it('adds the day for other days', () => {
    expect(formatWhen(new Date('2026-11-23T08:00:00Z'), 'UTC', now)).toBe('Mon 23 Nov, 08:00 UTC');
  });
  it('falls back to UTC for unknown or empty zones', () => {
    expect(isValidZone('Mars/Olympus')).toBe(false);
    expect(isValidZone('')).toBe(false);
    expect(formatWhen(new Date('2026-11-22T14:05:00Z'), 'Mars/Olympus', now)).toBe('14:05 UTC');
  });
  it('knows daylight saving time', () => {
    expect(utcOffsetMinutes('Europe/Berlin', new Date('2026-07-01T12:00:00Z'))).toBe(120);
    expect(utcOffsetMinutes('Europe/Berlin', now)).toBe(60);
    expect(utcOffsetMinutes('America/St_Johns', now)).toBe(-210);
    expect(utcOffsetMinutes('Nowhere/City', now)).toBeNull();
  });
});
