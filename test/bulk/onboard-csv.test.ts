// The onboarding form of the bulk CSV: a serial column makes a file an onboarding bulk, with its own
// columns and cell checks; a file without one reads exactly as before.
import { describe, expect, it } from 'vitest';
import { parseBulkCsv } from '../../src/bulk/csv-input.js';
import { readGroupTag, readSerial } from '../../src/bulk/onboard-csv.js';

describe('onboarding CSV columns', () => {
  it('reads user, serial, groupTag, start, lifetime and once, in any order and case', () => {
    const parsed = parseBulkCsv(
      [
        'User,Serial,GroupTag,Start,Lifetime,Once',
        'alice@contoso.com,pf4kx1a3,Finance,2026-12-01T08:00:00+01:00,8h,no',
        'bob@contoso.com,5CG3301ABC,,,,',
      ].join('\r\n'),
    );
    expect(parsed).toMatchObject({ ok: true, onboarding: true, rowErrors: [] });
    if (!parsed.ok) return;
    expect(parsed.rows[0]).toMatchObject({
      line: 2,
      user: 'alice@contoso.com',
      serial: 'PF4KX1A3',
      groupTag: 'Finance',
      lifetimeMinutes: 480,
      usableOnce: false,
    });
    expect(parsed.rows[0]!.start).toBeDefined();
    // Empty cells: the device keeps its tag, the pass gets the onboarding defaults.
    expect(parsed.rows[1]).toStrictEqual({ line: 3, user: 'bob@contoso.com', serial: '5CG3301ABC' });
  });

  it('needs only user and serial', () => {
    const parsed = parseBulkCsv('serial,user\nPF4KX1A3,alice@contoso.com\n');
    expect(parsed).toStrictEqual({
      ok: true,
      onboarding: true,
      rowErrors: [],
      rows: [{ line: 2, user: 'alice@contoso.com', serial: 'PF4KX1A3' }],
    });
  });

  it('a file without a serial column is a pass bulk, and does not take a groupTag column', () => {
    const plain = parseBulkCsv('user,lifetime\nalice@contoso.com,2h\n');
    expect(plain).toStrictEqual({
      ok: true,
      rowErrors: [],
      rows: [{ line: 2, user: 'alice@contoso.com', lifetimeMinutes: 120 }],
    });
    const tagged = parseBulkCsv('user,groupTag\nalice@contoso.com,Finance\n');
    expect(tagged.ok).toBe(false);
    if (!tagged.ok) expect(tagged.message).toContain("I don't know the column 'grouptag'");
  });

  it('an unknown column in an onboarding file names the onboarding columns', () => {
    const parsed = parseBulkCsv('user,serial,ticket\nalice@contoso.com,PF4KX1A3,INC1\n');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.message).toContain('user and serial (required), groupTag, start, lifetime and once');
      expect(parsed.message).toContain('user,serial,groupTag,start,lifetime');
    }
  });

  it('a line with an empty or malformed serial or tag is a row error naming each problem; the rest is read', () => {
    const parsed = parseBulkCsv(
      [
        'user,serial,groupTag',
        'alice@contoso.com,,Finance',
        "bob@contoso.com,PF4'X,Finance",
        'carol@contoso.com,PF4KX1A3,Fin<ance>',
        'dave@contoso.com,0F3X9K27,IT',
      ].join('\n'),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.rows.map((r) => r.user)).toStrictEqual(['dave@contoso.com']);
    const byLine = new Map(parsed.rowErrors.map((e) => [e.line, e.message]));
    expect(byLine.get(2)).toContain('The serial cell is empty');
    expect(byLine.get(3)).toContain('is not a serial number');
    expect(byLine.get(4)).toContain('is not a group tag');
  });
});

describe('onboarding cells', () => {
  it('a serial is 4 to 64 letters, digits or dashes, read in upper case', () => {
    expect(readSerial('pf4kx1a3')).toStrictEqual({ ok: true, value: 'PF4KX1A3' });
    expect(readSerial('AB-12')).toStrictEqual({ ok: true, value: 'AB-12' });
    for (const bad of ['', 'AB1', 'A'.repeat(65), "PF4KX1A3')", 'PF4 KX'])
      expect(readSerial(bad).ok, bad).toBe(false);
  });

  it('a tag is optional and of a sane shape', () => {
    expect(readGroupTag('')).toStrictEqual({ ok: true, value: undefined });
    expect(readGroupTag('Front desk')).toStrictEqual({ ok: true, value: 'Front desk' });
    for (const bad of ['${secret}', "Fin'", 'x'.repeat(65)]) expect(readGroupTag(bad).ok, bad).toBe(false);
  });
});
