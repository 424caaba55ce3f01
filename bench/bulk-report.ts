import type { BulkReport, SerialRun, TapDeskRun } from './bulk.js';

const pad = (s: string | number, n: number) => String(s).padStart(n);
const secs = (ms: number) => (ms / 1000).toFixed(2);
const pct = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;
const goal = (met: boolean) => (met ? 'met' : 'MISSED');

/** The goals the issue sets: ≥ 15× end to end without a limit, ≥ 90 % of Graph's write budget with it. */
export const BULK_GOALS = { ratio: 15, fraction: 0.9 } as const;

/** The human-readable table of the bulk benchmark. */
export function formatBulkTable(r: BulkReport, quick: boolean): string {
  const o = r.options;
  const header =
    `${'run'.padEnd(13)} ${'contender'.padEnd(9)} ${pad('validate s', 10)} ${pad('issue s', 8)} ` +
    `${pad('total s', 8)} ${pad('issued', 6)} ${pad('writes/s', 8)} ${pad('HTTP', 5)} ${pad('reads', 5)} ` +
    `${pad('creates', 7)} ${pad('429', 5)} ${pad('other', 5)} ${pad('dup', 3)} ${pad('lost', 4)}`;
  const tail = (c: SerialRun['check']) =>
    `${pad(c.httpRequests, 5)} ${pad(c.reads, 5)} ${pad(c.createPosts, 7)} ${pad(c.throttled, 5)} ` +
    `${pad(c.otherFailures + c.strayCreates, 5)} ${pad(c.duplicates, 3)} ${pad(c.lost, 4)}`;
  const serial = (run: string, s: SerialRun) =>
    `${run.padEnd(13)} ${'serial'.padEnd(9)} ${pad('-', 10)} ${pad(secs(s.ms), 8)} ${pad(secs(s.ms), 8)} ` +
    `${pad(s.created, 6)} ${pad(s.writesPerSec.toFixed(1), 8)} ${tail(s.check)}`;
  const tapdesk = (run: string, t: TapDeskRun) =>
    `${run.padEnd(13)} ${'TapDesk'.padEnd(9)} ${pad(secs(t.validateMs), 10)} ${pad(secs(t.issueMs), 8)} ` +
    `${pad(secs(t.totalMs), 8)} ${pad(t.issued, 6)} ${pad(t.writesPerSec.toFixed(1), 8)} ${tail(t.check)}`;
  const u = r.unlimited;
  const l = r.limited;
  const unfinished = (t: TapDeskRun) =>
    t.failed + t.unknown + t.notStarted === 0
      ? ''
      : `\n    TapDesk did not finish every row: ${t.failed} failed (${t.failures.map((f) => `${f.code} ×${f.count}`).join(', ')}), ${t.unknown} unknown, ${t.notStarted} not started.`;
  const steadyPerSec = l.tapdeskSteadyFraction * o.writesPerSecond;
  const judged = (met: boolean) => (quick ? `not judged at ${o.users} users` : goal(met));
  return [
    `Bulk benchmark (${quick ? `quick: ${o.users} users, not 1,000` : 'full'}): ${o.users.toLocaleString('en')} ` +
      `new hires, sandbox latency ${o.latencyMs} ms per HTTP request,`,
    'one GraphTapClient for Dana (SSO assertion → OBO) shared by both contenders, SQLite store (synchronous=FULL,',
    'the default) in a temp dir; each contender starts from a reset tenant (no passes, empty Graph log).',
    'serial  = for each user: await graph.createTap(user.id, 60 min, once); after a 429 it waits Retry-After',
    '          and posts again (Graph did not run it). Creates only: no reads, no store, no audit.',
    `TapDesk = validateBulk (reads: $batch of 10 users + their roles) → claimBulk → runBulk: per chunk of ` +
      `${r.itemsPerBatch},`,
    `          re-read its users, then one $batch of ${r.itemsPerBatch} creates; ${r.concurrency} chunks in ` +
      'flight (BULK_CONCURRENCY);',
    '          a store write around each batch and an audit event per pass. issue s = claim + run (what the',
    '          confirm click starts); total s = validate + issue; writes/s = passes ÷ issue s.',
    `Untimed warm-up first: ${o.warmupUsers} users through both paths at latency 0. HTTP = top-level ` +
      'requests the client',
    'sent; reads, creates, 429, other (failures) = item-level operations in the sandbox Graph log.',
    '',
    header,
    '-'.repeat(header.length),
    serial('(1) no limit', u.serial),
    tapdesk('(1) no limit', u.tapdesk),
    serial(`(2) ${o.writesPerSecond}/s`, l.serial),
    tapdesk(`(2) ${o.writesPerSecond}/s`, l.tapdesk),
    '',
    `(1) serial ÷ TapDesk: end to end (validation + issuance) ×${u.ratioEndToEnd}, goal ≥ ` +
      `${BULK_GOALS.ratio}×: ${judged(u.ratioEndToEnd >= BULK_GOALS.ratio)}; issuance only ×${u.ratioIssue}.` +
      unfinished(u.tapdesk),
    `    TapDesk: validate ${secs(u.tapdesk.validateMs)} s, claim ${secs(u.tapdesk.claimMs)} s, run ` +
      `${secs(u.tapdesk.runMs)} s; first create to last pass ${secs(u.tapdesk.check.firstCreateToLastOkMs)} s.`,
    `(2) TapDesk: ${l.tapdesk.writesPerSec.toFixed(1)} writes/s = ${pct(l.tapdeskFraction)} of ` +
      `${o.writesPerSecond}/s, goal ≥ ${BULK_GOALS.fraction * 100} %: ` +
      `${judged(l.tapdeskFraction >= BULK_GOALS.fraction)};`,
    `    ${l.tapdesk.check.duplicates} duplicates, ${l.tapdesk.check.lost} lost, ` +
      `${l.tapdesk.check.throttled} create items answered 429 (up to ${l.tapdesk.check.maxPostsPerUser} ` +
      'posts for one user).' +
      unfinished(l.tapdesk),
    `    After the bucket's first ${o.writeBurst} (first to last 201): ${steadyPerSec.toFixed(1)}/s = ` +
      `${pct(l.tapdeskSteadyFraction)} of the limit.`,
    `    Serial: ${l.serial.writesPerSec.toFixed(1)} writes/s = ${pct(l.serialFraction)}, ` +
      `${l.serial.check.throttled} answered 429.`,
    `    Limit: ${l.writeLimitPerMinute}/min with a bucket of ${o.writeBurst} (one second's worth): Graph's ` +
      '3,000 per 150 s as a rate.',
    '    A bucket of 3,000 (the whole window) would let every create through at once and measure nothing.',
    ...(r.backgroundErrors.length > 0
      ? [
          `Background write failures: ${r.backgroundErrors.length} (${r.backgroundErrors.slice(0, 3).join('; ')})`,
        ]
      : []),
  ].join('\n');
}

/** One machine-readable line; CI can grep for `"bench":"bulk"`. */
export function formatBulkJson(r: BulkReport, quick: boolean, totalMs: number): string {
  return JSON.stringify({
    bench: 'bulk',
    mode: quick ? 'quick' : 'full',
    node: process.version,
    totalMs: Math.round(totalMs),
    ...r,
  });
}
