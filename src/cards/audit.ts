// The audit card: recent audit entries, newest first as the caller orders them. It has no
// buttons; it is a read-only record, so nothing on it can be clicked or replayed.
import type { AuditRow } from './audit-rows.js';
import { neutraliseOrDash, neutraliseText } from './escape.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

export interface AuditCardData {
  title: string;
  rows: AuditRow[];
  emptyText: string;
  footer: string;
}

/** The most rows one audit card shows; the chat grammar's 'last' allows no more either. */
export const MAX_AUDIT_ROWS = 100;

// One TextBlock per row, with per-field caps: a Container of styled blocks per row costs about
// 50% more JSON, and a full card of 100 typical rows must stay under Teams' ~28 KB message limit.
const MAX_WHEN_CHARS = 40;
const MAX_WHAT_CHARS = 80;
const MAX_PERSON_CHARS = 120;
const MAX_DETAILS_CHARS = 300;

// Each piece is neutralised on its own and then joined with " · " or spaces: every sequence
// neutraliseText breaks is free of spaces, so joining can never create a new one.
function rowLine(row: AuditRow): string {
  const details = neutraliseText(row.details, MAX_DETAILS_CHARS);
  return [
    neutraliseOrDash(row.whenText, MAX_WHEN_CHARS),
    neutraliseOrDash(row.what, MAX_WHAT_CHARS),
    `by ${neutraliseOrDash(row.actorName, MAX_PERSON_CHARS)} for ${neutraliseOrDash(row.targetText, MAX_PERSON_CHARS)}`,
    ...(details ? [details] : []),
  ].join(' · ');
}

/** Renders audit rows as a read-only card, or `emptyText` when there are none. */
export function renderAuditCard(d: AuditCardData): AdaptiveCardJson {
  const rows = d.rows.slice(0, MAX_AUDIT_ROWS).map(rowLine);
  const dropped = d.rows.length - rows.length;
  // Say so when rows were left out, so a capped list is never mistaken for the whole record.
  const footer =
    dropped > 0
      ? `${neutraliseText(d.footer, 1000)} Showing the first ${MAX_AUDIT_ROWS} of ${d.rows.length} entries.`.trim()
      : neutraliseOrDash(d.footer, 1000);
  return expandTemplate('audit', {
    title: neutraliseOrDash(d.title),
    isEmpty: rows.length === 0,
    emptyText: neutraliseOrDash(d.emptyText, 1000),
    rows,
    footer,
  });
}
