import { round } from './stats.js';
import type { TurnCostReport, VersionCost } from './turn-cost.js';

interface Row {
  label: string;
  pick: (v: VersionCost) => number | undefined;
  unit?: string;
}

const ROWS: Row[] = [
  { label: 'SQLite   issue message: commits', pick: (v) => v.sqlite.message.commits },
  { label: 'SQLite   issue message: fsyncs (strace)', pick: (v) => v.fsyncs?.message },
  { label: 'SQLite   issue message: store calls', pick: (v) => v.sqlite.message.storeCalls },
  { label: 'SQLite   Confirm click: commits', pick: (v) => v.sqlite.click.commits },
  { label: 'SQLite   Confirm click: fsyncs (strace)', pick: (v) => v.fsyncs?.click },
  { label: 'SQLite   Confirm click: store calls', pick: (v) => v.sqlite.click.storeCalls },
  { label: 'Azurite  issue message: commits', pick: (v) => v.tables.message.commits },
  { label: 'Azurite  issue message: HTTP requests', pick: (v) => v.tables.message.httpRequests },
  { label: 'Azurite  Confirm click: commits', pick: (v) => v.tables.click.commits },
  { label: 'Azurite  Confirm click: HTTP requests', pick: (v) => v.tables.click.httpRequests },
  { label: 'SQLite   click p50 / echo p50', pick: (v) => ratio(v.sqlite, 'p50'), unit: '×' },
  { label: 'SQLite   click p99 / echo p99', pick: (v) => ratio(v.sqlite, 'p99'), unit: '×' },
  { label: 'Tables+L click p50 (ms)', pick: (v) => v.tables.clickLatency.tapdesk.p50 },
  { label: 'Tables+L click p99 (ms)', pick: (v) => v.tables.clickLatency.tapdesk.p99 },
];

function ratio(cost: VersionCost['sqlite'], p: 'p50' | 'p99'): number {
  return round(cost.clickLatency.tapdesk[p] / cost.clickLatency.echo[p], 1);
}

const cell = (x: number | undefined, unit = '') => (x === undefined ? '-' : `${unit}${x}`).padStart(9);

/** The before/after table of the turn-cost measurement. */
export function formatTurnCostTable(r: TurnCostReport): string {
  const { counted, timed, latencyMs } = r.options;
  const header = `${'per turn'.padEnd(42)} ${'before'.padStart(9)} ${'after'.padStart(9)} ${'after/before'.padStart(13)}`;
  const lines = ROWS.map((row) => {
    const before = r.before ? row.pick(r.before) : undefined;
    const after = row.pick(r.after);
    const change =
      before !== undefined && after !== undefined && before > 0 ? `×${round(after / before, 2)}` : '-';
    return `${row.label.padEnd(42)} ${cell(before, row.unit)} ${cell(after, row.unit)} ${change.padStart(13)}`;
  });
  const missing =
    (r.before ? r.before.sqlite.missing + r.before.tables.missing : 0) +
    r.after.sqlite.missing +
    r.after.tables.missing;
  return [
    `Turn cost: before = ${r.beforeRef}${r.beforeSkipped ? ` (skipped: ${r.beforeSkipped})` : ''}, after = this checkout;`,
    `each in its own process on the same sandbox, connector and echo bot. Counts are the mean of ${counted} issue`,
    `message + Confirm click pairs, one at a time (the notice scheduler's own timer work left out); a commit is a`,
    `single-row write or a unit of work. Latency: ${timed} sequential clicks; "Tables+L" = Azure Tables on Azurite`,
    `behind a proxy holding every request ${latencyMs} ms. Turns that did not do their work: ${missing}.`,
    '',
    header,
    '-'.repeat(header.length),
    ...lines,
  ].join('\n');
}

/** One machine-readable line; CI can grep for `"bench":"turn-cost"`. */
export function formatTurnCostJson(r: TurnCostReport, quick: boolean, totalMs: number): string {
  return JSON.stringify({
    bench: 'turn-cost',
    mode: quick ? 'quick' : 'full',
    totalMs: Math.round(totalMs),
    ...r,
  });
}
