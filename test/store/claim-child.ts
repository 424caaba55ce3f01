// One claimer in its own process, for the cross-process claim test: opens the SQLite file, reads the row,
// says "ready", waits for "go" on stdin so every process replaces at about the same moment, then prints
// "won" or "lost". Run with `node --import tsx claim-child.ts <file> <partition> <key> <id>`.
import { createInterface } from 'node:readline';
import { ConflictError, TABLES } from '../../src/store/port.js';
import { SqliteRowStore } from '../../src/store/sqlite.js';

const [path, partition, key, id] = process.argv.slice(2) as [string, string, string, string];
const store = SqliteRowStore.open(path);
const row = await store.get(TABLES.requests, partition, key);
if (!row) throw new Error('row missing');
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line === 'go') break;
lines.close();
try {
  await store.replace(TABLES.requests, partition, key, { state: 'issuing', by: `process ${id}` }, row.etag);
  process.stdout.write('won\n');
} catch (error) {
  if (!(error instanceof ConflictError)) throw error;
  process.stdout.write('lost\n');
}
await store.close();
