import { closeClient } from './activities.js';
import { benchBulk, bulkBenchOptions } from './bulk.js';
import { formatBulkJson, formatBulkTable } from './bulk-report.js';
import { benchNotices, formatNoticesJson, formatNoticesTable, noticesBenchOptions } from './notices.js';
import { formatJson, formatTable } from './report.js';
import { benchStore } from './store.js';
import { formatStoreJson, formatStoreTable } from './store-report.js';
import { benchTurns } from './turns.js';
import { benchTurnCost } from './turn-cost.js';
import { formatTurnCostJson, formatTurnCostTable } from './turn-cost-report.js';

const BENCHES = ['turns', 'store', 'notices', 'bulk'] as const;
type BenchName = (typeof BENCHES)[number];

/**
 * `npm run bench` (full, several minutes) or `npm run bench -- --quick` (CI, a minute or two).
 * Runs the turn benchmark, then the store benchmark (SQLite vs Azurite), the notice engine's and the
 * bulk issuance's; names select some, e.g. `npm run bench -- bulk` or `npm run bench -- store --quick`.
 * Prints numbers only; nothing here asserts on timings, because shared CI machines are too noisy.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const named = args.filter((a) => !a.startsWith('--'));
  const unknown = named.filter((a) => !(BENCHES as readonly string[]).includes(a));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
  const selected = new Set<BenchName>(named.length > 0 ? (named as BenchName[]) : BENCHES);
  if (selected.has('turns')) await turns(quick);
  if (selected.has('store')) await store(quick);
  if (selected.has('notices')) await notices(quick);
  if (selected.has('bulk')) await bulk(quick);
}

async function turns(quick: boolean): Promise<void> {
  const options = quick
    ? { samples: 30, warmup: 10, concurrency: 8 }
    : { samples: 500, warmup: 50, concurrency: 8 };
  const started = performance.now();
  const report = await benchTurns(options);
  await closeClient();
  console.log(formatTable(report, quick));
  console.log(`\n(total ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  console.log(formatJson(report, quick, performance.now() - started));
  // What the store costs per turn, this code side by side with the code before units of work.
  const costStarted = performance.now();
  const cost = await benchTurnCost(
    quick
      ? { counted: 2, timed: 6, warmup: 1, latencyMs: 15 }
      : { counted: 10, timed: 100, warmup: 5, latencyMs: 15 },
  );
  console.log(`\n${formatTurnCostTable(cost)}`);
  console.log(`\n(turn cost total ${((performance.now() - costStarted) / 1000).toFixed(1)} s)`);
  console.log(formatTurnCostJson(cost, quick, performance.now() - costStarted));
}

async function store(quick: boolean): Promise<void> {
  const storeStarted = performance.now();
  const storeReport = await benchStore(
    quick
      ? { claims: 200, flows: 50, warmup: 20, concurrency: 20 }
      : { claims: 2000, flows: 500, warmup: 100, concurrency: 20 },
  );
  console.log(`\n${formatStoreTable(storeReport, quick)}`);
  console.log(`\n(store total ${((performance.now() - storeStarted) / 1000).toFixed(1)} s)`);
  console.log(formatStoreJson(storeReport, quick, performance.now() - storeStarted));
}

async function notices(quick: boolean): Promise<void> {
  const noticesStarted = performance.now();
  const noticesReport = await benchNotices(noticesBenchOptions(quick));
  console.log(`\n${formatNoticesTable(noticesReport, quick)}`);
  console.log(`\n(notices total ${((performance.now() - noticesStarted) / 1000).toFixed(1)} s)`);
  console.log(formatNoticesJson(noticesReport, quick, performance.now() - noticesStarted));
}

async function bulk(quick: boolean): Promise<void> {
  const bulkStarted = performance.now();
  const bulkReport = await benchBulk(bulkBenchOptions(quick));
  console.log(`\n${formatBulkTable(bulkReport, quick)}`);
  console.log(`\n(bulk total ${((performance.now() - bulkStarted) / 1000).toFixed(1)} s)`);
  console.log(formatBulkJson(bulkReport, quick, performance.now() - bulkStarted));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
