// A click's process for the crash test: opens the SQLite file, commits the claim unit (claim, audit,
// limit counter) as the bot's first commit, says "committed" and waits to be killed before its second
// commit would run. Run with `node --import tsx unit-child.ts <file> <requestId> <etag>`.
import { SqliteRowStore } from '../../src/store/sqlite.js';
import { claimUnit } from './claim-unit.js';

const [path, id, etag] = process.argv.slice(2) as [string, string, string];
const store = SqliteRowStore.open(path);
const [claimed] = await store.commit(claimUnit(id, etag, { count: 1 }));
process.stdout.write(`committed ${claimed}\n`);
// Never reaches a second commit: the parent sends SIGKILL while this waits.
setInterval(() => undefined, 60_000);
