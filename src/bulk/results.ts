import type { CreatedTap } from '../graph/port.js';
import type { BulkChunk, BulkItem, BulkResult } from './job.js';

/** One created pass on its way to the clicker's file; memory only, never logged or stored. */
export interface PassRow {
  userPrincipalName: string;
  displayName: string;
  pass: string;
  startDateTime: string;
  expiresAt: string;
  isUsableOnce: boolean;
  /** Onboarding bulks: the device and what became of each part ('' pass when none was created). */
  onboarding?: { serialNumber: string; groupTag: string | null; device: string; pass: string };
}

export const passRow = (item: BulkItem, pass: CreatedTap, expiresAt: string): PassRow => ({
  userPrincipalName: item.target.userPrincipalName,
  displayName: item.target.displayName,
  pass: pass.temporaryAccessPass,
  startDateTime: pass.startDateTime,
  expiresAt,
  isUsableOnce: pass.isUsableOnce,
});

/**
 * Counts what happened from the stored chunks alone, so a recovering instance reports as accurately
 * as the one that ran the bulk: an item still 'posting' may or may not have a pass ('unknown'); one
 * still 'ready' was never sent ('not started').
 */
export function resultOf(
  chunks: BulkChunk[],
  finishedAt: string,
  delivery: BulkResult['delivery'],
): BulkResult {
  const result: BulkResult = {
    issued: 0,
    failed: 0,
    unknown: 0,
    notStarted: 0,
    failures: [],
    finishedAt,
    delivery,
  };
  const codes = new Map<string, number>();
  for (const item of chunks.flatMap((c) => c.items)) {
    if (item.state === 'issued') result.issued += 1;
    else if (item.state === 'unknown' || item.state === 'posting') result.unknown += 1;
    else if (item.state === 'ready' || item.state === 'skipped') result.notStarted += 1;
    else {
      result.failed += 1;
      const code = item.code ?? 'UNEXPECTED';
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
  }
  const onboarding = chunks.flatMap((c) => c.items).filter((i) => i.device);
  if (onboarding.length > 0)
    result.devicesSet = onboarding.filter((i) => i.device?.part === 'updated').length;
  result.failures = [...codes].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count);
  return result;
}

// RFC 4180 quoting. Pass codes come from Entra and are written exactly as issued (a leading "=" or
// "+" must not be altered, or the pass would not work); names and addresses come from the directory
// and get the usual formula guard, like the audit export.
const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const guard = (text: string) => quote(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/** The results file: one line per pass, UTF-8 with CRLF line ends, as Excel expects. */
export function passesCsv(rows: readonly PassRow[]): string {
  if (rows.some((r) => r.onboarding)) return onboardingCsv(rows);
  const lines = ['user,name,pass,start,expiry,use'];
  for (const r of rows)
    lines.push(
      [
        guard(r.userPrincipalName),
        guard(r.displayName),
        quote(r.pass),
        r.startDateTime,
        r.expiresAt,
        r.isUsableOnce ? 'once' : 'multi-use',
      ].join(','),
    );
  return `${lines.join('\r\n')}\r\n`;
}

/** An onboarding bulk's file: each person's device and pass, and what became of both. */
function onboardingCsv(rows: readonly PassRow[]): string {
  const lines = ['user,name,serial,groupTag,device,passOutcome,pass,start,expiry,use'];
  for (const r of rows)
    lines.push(
      [
        guard(r.userPrincipalName),
        guard(r.displayName),
        guard(r.onboarding?.serialNumber ?? ''),
        guard(r.onboarding?.groupTag ?? ''),
        quote(r.onboarding?.device ?? ''),
        quote(r.onboarding?.pass ?? ''),
        quote(r.pass),
        r.startDateTime,
        r.expiresAt,
        r.pass === '' ? '' : r.isUsableOnce ? 'once' : 'multi-use',
      ].join(','),
    );
  return `${lines.join('\r\n')}\r\n`;
}
