import type { Summary } from './stats.js';
import type { StoreName, StoreReport } from './store.js';

const pad = (s: string | number, n: number) => String(s).padStart(n);

/** The human-readable table of the store benchmark. */
export function formatStoreTable(r: StoreReport, quick: boolean): string {
  const { claims, flows, warmup, concurrency } = r.options;
  const header =
    `${'store'.padEnd(14)} ${'work'.padEnd(6)} ${'mode'.padEnd(11)} ${pad('n', 5)} ${pad('p50 ms', 8)} ` +
    `${pad('p99 ms', 8)} ${pad('ops/s', 9)} ${pad('fail', 5)}`;
  const line = (store: StoreName, work: string, mode: string, s: Summary) =>
    `${store.padEnd(14)} ${work.padEnd(6)} ${mode.padEnd(11)} ${pad(s.n, 5)} ${pad(s.p50.toFixed(2), 8)} ` +
    `${pad(s.p99.toFixed(2), 8)} ${pad(s.turnsPerSec.toFixed(0), 9)} ${pad(s.failures, 5)}`;
  const body = (Object.keys(r.stores) as StoreName[]).flatMap((store) => {
    const c = r.stores[store];
    return [
      line(store, 'claim', 'sequential', c.claim.sequential),
      line(store, 'claim', 'concurrent', c.claim.concurrent),
      line(store, 'flow', 'sequential', c.flow.sequential),
      line(store, 'flow', 'concurrent', c.flow.concurrent),
    ];
  });
  const x = r.ratioSqliteToAzurite;
  return [
    `Store benchmark (${quick ? 'quick' : 'full'}): ${claims} claims and ${flows} flows per cell after ${warmup} ` +
      `warm-up operations; concurrent = ${concurrency} in flight on distinct rows.`,
    'claim = get + conditional replace of a pending request (what a click does before calling Graph).',
    'flow  = create request; 2× get+replace (card id, claim); replace (issued); 3 audit events × 2 creates;',
    '        upsert conversation reference: 11 store calls. p50/p99 are per operation; ops/s = claims or flows/s.',
    'sqlite-full = the default (synchronous=FULL, fsync per commit); sqlite-normal for comparison;',
    'azurite = AzureTablesRowStore over HTTP to Azurite in memory on loopback (a floor, not Azure latency).',
    '',
    header,
    '-'.repeat(header.length),
    ...body,
    '',
    `SQLite (FULL) / Azurite throughput: claims ×${x.claimSequential} sequential, ×${x.claimConcurrent} ` +
      `concurrent; flows ×${x.flowSequential} sequential.`,
  ].join('\n');
}

/** One machine-readable line; CI can grep for `"bench":"store"`. */
export function formatStoreJson(r: StoreReport, quick: boolean, totalMs: number): string {
  return JSON.stringify({
    bench: 'store',
    mode: quick ? 'quick' : 'full',
    node: process.version,
    totalMs: Math.round(totalMs),
    ...r,
  });
}
