// Audit events as CSV for export to a spreadsheet. Fields follow RFC 4180, and every cell is
// guarded against CSV injection: display names, tickets and the like come from people, and a
// spreadsheet would run "=HYPERLINK(...)" or "@SUM(...)" in a cell as a formula.
//
// Line endings are the caller's choice: auditCsvHeader() and auditCsvRow() return one record
// each with no terminator. Join records with AUDIT_CSV_EOL (CRLF, as RFC 4180 prescribes).
import type { AuditEvent } from './event.js';

/** The CSV columns, in order; the header row is exactly these names. */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'type',
  'requestId',
  'actorOid',
  'actorName',
  'targetId',
  'targetUpn',
  'targetName',
  'verification',
  'ticket',
  'lifetimeMinutes',
  'isUsableOnce',
  'startDateTime',
  'expiresAt',
  'methodId',
  'code',
  'reason',
  // Added last, so a reader of the earlier columns by position is not disturbed.
  'source',
  'faceCheckScore',
  'faceCheckRequestId',
] as const;

export type AuditCsvColumn = (typeof AUDIT_CSV_COLUMNS)[number];

/** The record separator to put between (and after) records: CRLF, per RFC 4180. */
export const AUDIT_CSV_EOL = '\r\n';

type Cell = string | number | boolean | undefined;

// A mapped type rather than a list, so adding a column without saying how to fill it fails to compile.
const CELLS: { readonly [C in AuditCsvColumn]: (e: AuditEvent) => Cell } = {
  id: (e) => e.id,
  at: (e) => e.at,
  type: (e) => e.type,
  requestId: (e) => e.requestId,
  actorOid: (e) => e.actor.oid,
  actorName: (e) => e.actor.name,
  targetId: (e) => e.target?.id,
  targetUpn: (e) => e.target?.userPrincipalName,
  targetName: (e) => e.target?.displayName,
  verification: (e) => e.verification,
  ticket: (e) => e.ticket,
  lifetimeMinutes: (e) => e.lifetimeMinutes,
  isUsableOnce: (e) => e.isUsableOnce,
  startDateTime: (e) => e.startDateTime,
  expiresAt: (e) => e.expiresAt,
  methodId: (e) => e.methodId,
  code: (e) => e.code,
  reason: (e) => e.reason,
  // Empty for chat; `api` for a request another system made through the request API.
  source: (e) => e.source,
  faceCheckScore: (e) => e.faceCheckScore,
  faceCheckRequestId: (e) => e.faceCheckRequestId,
};

// Excel, LibreOffice and Google Sheets treat a cell starting with any of these as a formula
// (tab and CR because some of them skip leading whitespace before looking for "=").
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Makes one value a safe RFC 4180 field: formula guard first, then quoting. */
function field(value: Cell): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  // The apostrophe makes spreadsheets show the text as typed instead of evaluating it.
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header record (no line terminator). */
export function auditCsvHeader(): string {
  return AUDIT_CSV_COLUMNS.map(field).join(',');
}

/** One audit event as a CSV record (no line terminator); missing optional fields are empty cells. */
export function auditCsvRow(e: AuditEvent): string {
  return AUDIT_CSV_COLUMNS.map((column) => field(CELLS[column](e))).join(',');
}
