import { closeClient } from './activities.js';
import { benchNotices, formatNoticesJson, formatNoticesTable, noticesBenchOptions } from './notices.js';
import { formatJson, formatTable } from './report.js';
import { benchStore } from './store.js';
import { formatStoreJson, formatStoreTable } from './store-report.js';
import { benchTurns } from './turns.js';

/**
 * `npm run bench` (full, a few minutes) or `npm run bench -- --quick` (CI, well under a minute).
 * Runs the turn benchmark, then the store benchmark (SQLite vs Azurite), then the notice engine's.
 * Prints numbers only; nothing here asserts on timings, because shared CI machines are too noisy.
 */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const options = quick
    ? { samples: 30, warmup: 10, concurrency: 8 }
    : { samples: 500, warmup: 50, concurrency: 8 };
  const started = performance.now();
  const report = await benchTurns(options);
  await closeClient();
  console.log(formatTable(report, quick));
  console.log(`\n(total ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  console.log(formatJson(report, quick, performance.now() - started));

  const storeStarted = performance.now();
  const storeReport = await benchStore(
    quick
      ? { claims: 200, flows: 50, warmup: 20, concurrency: 20 }
      : { claims: 2000, flows: 500, warmup: 100, concurrency: 20 },
  );
  console.log(`\n${formatStoreTable(storeReport, quick)}`);
  console.log(`\n(store total ${((performance.now() - storeStarted) / 1000).toFixed(1)} s)`);
  console.log(formatStoreJson(storeReport, quick, performance.now() - storeStarted));

  const noticesStarted = performance.now();
  const noticesReport = await benchNotices(noticesBenchOptions(quick));
  console.log(`\n${formatNoticesTable(noticesReport, quick)}`);
  console.log(`\n(notices total ${((performance.now() - noticesStarted) / 1000).toFixed(1)} s)`);
  console.log(formatNoticesJson(noticesReport, quick, performance.now() - noticesStarted));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
