import { describe, expect, it } from 'vitest';
import { MAX_AUDIT_ROWS, renderAuditCard, type AuditRow } from '../../src/cards/render.js';
import { collectActions, collectKeys, expectWellFormedCard, visibleStrings } from './card-checks.js';

const ZERO_WIDTH = /\u200b/g;
// What a Markdown renderer would turn into a link, an autolink or a bare URL link.
const LINK_SYNTAX = /\]\(|<[a-z]|:\/\/|www\./i;
// Short enough (39 characters) to survive even the 40-character cap on the time.
const EVIL = '${title} [x](https://evil.io) **b** <i>';

const row: AuditRow = {
  whenText: '14:05 CET',
  what: 'Issued',
  actorName: 'Dana Reyes',
  targetText: 'Alice Wong (alice.wong@contoso.com)',
  details: 'verified: Call-back to a number on file, 2 hours, one-time, ticket INC-1',
};
const base = { title: 'Audit: last 20 entries', emptyText: 'No audit entries yet.', footer: 'Times in CET.' };

function rowsOf(count: number): AuditRow[] {
  return Array.from({ length: count }, (_, index) => ({ ...row, what: `Issued #${index + 1}` }));
}

describe('renderAuditCard', () => {
  it('renders rows as a well-formed, read-only card', () => {
    const card = renderAuditCard({ ...base, rows: [row, { ...row, what: 'Failed (TAP_POLICY_EXCLUDED)' }] });
    expectWellFormedCard(card);
    expect(collectActions(card)).toEqual([]);
    expect(collectKeys(card).has('actions')).toBe(false);
    expect(collectKeys(card).has('refresh')).toBe(false);
    const texts = visibleStrings(card);
    expect(texts[0]).toBe('Audit: last 20 entries');
    expect(texts.slice(1, 3)).toEqual([
      '14:05 CET · Issued · by Dana Reyes for Alice Wong (alice.wong@contoso.com) · ' +
        'verified: Call-back to a number on file, 2 hours, one-time, ticket INC-1',
      '14:05 CET · Failed (TAP_POLICY_EXCLUDED) · by Dana Reyes for Alice Wong (alice.wong@contoso.com) · ' +
        'verified: Call-back to a number on file, 2 hours, one-time, ticket INC-1',
    ]);
    expect(texts).not.toContain('No audit entries yet.');
    expect(texts.at(-1)).toBe('Times in CET.');
  });

  it('shows the empty text, and nothing else, when there are no rows', () => {
    const card = renderAuditCard({ ...base, rows: [] });
    expectWellFormedCard(card);
    expect(visibleStrings(card)).toEqual([
      'Audit: last 20 entries',
      'No audit entries yet.',
      'Times in CET.',
    ]);
  });

  it('shows a dash for blank fields and leaves out blank details', () => {
    const blank: AuditRow = { whenText: '', what: 'Requested', actorName: ' ', targetText: '', details: '' };
    const card = renderAuditCard({ ...base, rows: [blank] });
    expectWellFormedCard(card);
    expect(visibleStrings(card)).toEqual([
      'Audit: last 20 entries',
      '— · Requested · by — for —',
      'Times in CET.',
    ]);
  });

  it(`shows at most ${MAX_AUDIT_ROWS} rows and says when some were left out`, () => {
    const full = renderAuditCard({ ...base, rows: rowsOf(MAX_AUDIT_ROWS) });
    expectWellFormedCard(full);
    expect(visibleStrings(full).filter((text) => text.includes('· Issued #'))).toHaveLength(MAX_AUDIT_ROWS);
    expect(visibleStrings(full).at(-1)).toBe('Times in CET.');

    const over = renderAuditCard({ ...base, rows: rowsOf(150) });
    const texts = visibleStrings(over);
    expect(texts.filter((text) => text.includes('· Issued #'))).toHaveLength(MAX_AUDIT_ROWS);
    expect(texts.some((text) => text.includes('Issued #101 '))).toBe(false);
    expect(texts.at(-1)).toBe('Times in CET. Showing the first 100 of 150 entries.');
  });

  it('keeps a full card of realistic rows within a Teams message', () => {
    const card = renderAuditCard({ ...base, rows: rowsOf(MAX_AUDIT_ROWS) });
    // Teams refuses messages much over 28 KB; a full card of typical rows must fit.
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28_000);
  });

  it('neutralises hostile text in every field', () => {
    const evilRow: AuditRow = {
      whenText: EVIL,
      what: EVIL,
      actorName: EVIL,
      targetText: EVIL,
      details: EVIL,
    };
    const card = renderAuditCard({ title: EVIL, emptyText: EVIL, footer: EVIL, rows: [evilRow] });
    expectWellFormedCard(card);
    const texts = visibleStrings(card);
    for (const text of texts) {
      expect(text).not.toMatch(LINK_SYNTAX);
      expect(text).not.toContain('${');
      expect(text).not.toContain('**');
    }
    // Visually unchanged: removing the invisible breaks gives back what was stored.
    const visible = texts.map((text) => text.replace(ZERO_WIDTH, ''));
    expect(visible).toContain(EVIL);
    expect(visible).toContain(`${EVIL} · ${EVIL} · by ${EVIL} for ${EVIL} · ${EVIL}`);
  });

  it('neutralises markers that would start a list or heading and drops control characters', () => {
    const card = renderAuditCard({
      ...base,
      rows: [{ ...row, whenText: '- 1', actorName: 'Eve\n# Admin', details: '1. first\r\n2. second' }],
    });
    expectWellFormedCard(card);
    const texts = visibleStrings(card);
    expect(texts).toContain(
      '\u200b- 1 · Issued · by Eve # Admin for Alice Wong (alice.wong@contoso.com) · \u200b1. first 2. second',
    );
  });

  it('caps very long values', () => {
    const card = renderAuditCard({ ...base, rows: [{ ...row, details: 'x'.repeat(5000) }] });
    const line = visibleStrings(card)[1] ?? '';
    const details = line.slice(line.lastIndexOf(' · ') + 3);
    expect(details).toHaveLength(300);
    expect(details.endsWith('…')).toBe(true);
  });
});
