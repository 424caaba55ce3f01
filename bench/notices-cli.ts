import { benchNotices, formatNoticesJson, formatNoticesTable, noticesBenchOptions } from './notices.js';

/** `tsx bench/notices-cli.ts [--quick]`: only the notices benchmark (bench/run.ts runs it with the rest). */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const started = performance.now();
  const report = await benchNotices(noticesBenchOptions(quick));
  console.log(formatNoticesTable(report, quick));
  console.log(formatNoticesJson(report, quick, performance.now() - started));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
