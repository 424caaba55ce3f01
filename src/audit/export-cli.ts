// `npm run audit:export`: the whole audit table as CSV on stdout, newest first. Reads the same
// STORE / SQLITE_PATH / AZURE_TABLES_* settings as the bot and nothing else, so it can run anywhere
// the store is reachable (for example an App Service SSH session with the managed identity).
import { openStore } from '../store/open.js';
import { readStoreSettings } from '../store/settings.js';
import { AUDIT_CSV_EOL, auditCsvHeader, auditCsvRow } from './csv.js';
import { AuditLog } from './log.js';

async function main(): Promise<void> {
  const { settings, problems } = readStoreSettings(process.env);
  if (!settings) {
    process.stderr.write(`audit:export cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(2);
  }
  const store = await openStore(settings);
  try {
    const audit = new AuditLog(store, () => new Date());
    process.stdout.write(`${auditCsvHeader()}${AUDIT_CSV_EOL}`);
    let count = 0;
    for await (const event of audit.all()) {
      process.stdout.write(`${auditCsvRow(event)}${AUDIT_CSV_EOL}`);
      count += 1;
    }
    process.stderr.write(
      `audit:export wrote ${count} events from ${settings.kind === 'sqlite' ? settings.path : 'Azure Tables'}\n`,
    );
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`audit:export failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});
