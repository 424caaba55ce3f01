import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startBot, type RunningBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import type { GraphCallRecord } from '../../src/graph/client.js';
import { createLogger } from '../../src/log.js';
import type { RowStore } from '../../src/store/port.js';
import { SqliteRowStore } from '../../src/store/sqlite.js';
import { existsSync, readFileSync } from 'node:fs';
import { sandboxBotEnv } from '../../sandbox/bot-env.js';
import { sandboxBotSources } from '../../sandbox/bot-sources.js';
import {
  startSandbox,
  type SandboxHandle,
  type FixtureUser,
  type TenantFixture,
} from '../../sandbox/index.js';
import { RecordingConnector } from './connector.js';
import { addNewHires } from '../../sandbox/new-hires.js';

export interface Harness {
  sandbox: SandboxHandle;
  bot: RunningBot;
  connector: RecordingConnector;
  store: SqliteRowStore;
  dbPath: string;
  /** True when the raw SQLite file (and its WAL) contains the text anywhere, in UTF-8 or UTF-16. */
  storageContains(text: string): boolean;
  logLines: string[];
  graphCalls: GraphCallRecord[];
  user(upn: string): FixtureUser;
  /** Stops the bot and starts a fresh one on the same config, store and sandbox (memory is lost). */
  restartBot(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the sandbox tenant, a recording connector and the bot, all in this process on loopback. */
export async function startHarness(
  overrides: Record<string, string> = {},
  options: {
    store?: (path: string) => SqliteRowStore;
    /** A store the bot runs on instead of the SQLite file (e.g. Azure Tables); `store` stays for the scans. */
    botStore?: RowStore;
    newHires?: number;
    /** Changes the tenant before the sandbox starts (extra users, hostile names). */
    fixture?: (fixture: TenantFixture) => void;
    /** Settings that need the running sandbox (its addresses), applied after `overrides`. */
    env?: (sandbox: SandboxHandle) => Record<string, string>;
  } = {},
): Promise<Harness> {
  const sandbox = await startSandbox({
    fixture: (fixture) => {
      addNewHires(fixture, options.newHires ?? 0);
      options.fixture?.(fixture);
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'tapdesk-'));
  const caFile = join(dir, 'sandbox-ca.pem');
  writeFileSync(caFile, sandbox.caPem);
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig({
    ...sandboxBotEnv(sandbox, caFile),
    PORT: '0',
    HOST: '127.0.0.1',
    ...overrides,
    ...options.env?.(sandbox),
  });
  const connector = new RecordingConnector();
  await connector.start();
  const dbPath = join(dir, 'tapdesk.db');
  const store = options.store ? options.store(dbPath) : SqliteRowStore.open(dbPath);
  const graphCalls: GraphCallRecord[] = [];
  const start = () =>
    startBot(config, {
      log: createLogger('debug', sink),
      store: options.botStore ?? store,
      onGraphCall: (c) => graphCalls.push(c),
      ...sandboxBotSources(config),
    });
  const harness: Harness = {
    sandbox,
    bot: await start(),
    connector,
    store,
    dbPath,
    storageContains(text) {
      store.checkpoint();
      const files = [dbPath, `${dbPath}-wal`].filter((f) => existsSync(f));
      const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
      return bytes.includes(Buffer.from(text, 'utf8')) || bytes.includes(Buffer.from(text, 'utf16le'));
    },
    logLines,
    graphCalls,
    user(upn) {
      const found = sandbox.tenant.users.find((u) => u.userPrincipalName === upn);
      if (!found) throw new Error(`no sandbox user ${upn}`);
      return found;
    },
    async restartBot() {
      await harness.bot.close();
      harness.bot = await start();
    },
    async close() {
      await harness.bot.close();
      await store.close();
      await connector.close();
      await sandbox.close();
    },
  };
  return harness;
}
