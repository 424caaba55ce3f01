import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startBot, type RunningBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import type { GraphCallRecord } from '../../src/graph/client.js';
import { createLogger } from '../../src/log.js';
import { MemoryRowStore } from '../../src/store/memory.js';
import { startSandbox, type SandboxHandle, type FixtureUser } from '../../src/sandbox/index.js';
import { RecordingConnector } from './connector.js';

export interface Harness {
  sandbox: SandboxHandle;
  bot: RunningBot;
  connector: RecordingConnector;
  store: MemoryRowStore;
  logLines: string[];
  graphCalls: GraphCallRecord[];
  user(upn: string): FixtureUser;
  close(): Promise<void>;
}

/** The env a sandbox run gets; the same loadConfig as production validates it. */
export function sandboxEnv(sandbox: SandboxHandle, caFile: string): Record<string, string> {
  return {
    TAPDESK_MODE: 'sandbox',
    PORT: '0',
    HOST: '127.0.0.1',
    SANDBOX_URL: sandbox.sandboxUrl,
    TAPDESK_CA_FILE: caFile,
    AAD_APP_CLIENT_ID: sandbox.app.appId,
    AAD_APP_CLIENT_SECRET: sandbox.app.clientSecret,
    AAD_APP_TENANT_ID: sandbox.tenantId,
    AAD_APP_OAUTH_AUTHORITY_HOST: sandbox.authorityHost,
    GRAPH_BASE_URL: sandbox.graphBaseUrl,
    SSO_RESOURCE: sandbox.app.ssoResource,
    LOG_LEVEL: 'debug',
  };
}

/** Starts the sandbox tenant, a recording connector and the bot, all in this process on loopback. */
export async function startHarness(overrides: Record<string, string> = {}): Promise<Harness> {
  const sandbox = await startSandbox();
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
  const config = loadConfig({ ...sandboxEnv(sandbox, caFile), ...overrides });
  const connector = new RecordingConnector();
  await connector.start();
  const store = new MemoryRowStore();
  const graphCalls: GraphCallRecord[] = [];
  const bot = await startBot(config, {
    log: createLogger('debug', sink),
    store,
    onGraphCall: (c) => graphCalls.push(c),
  });
  return {
    sandbox,
    bot,
    connector,
    store,
    logLines,
    graphCalls,
    user(upn) {
      const found = sandbox.tenant.users.find((u) => u.userPrincipalName === upn);
      if (!found) throw new Error(`no sandbox user ${upn}`);
      return found;
    },
    async close() {
      await bot.close();
      await connector.close();
      await sandbox.close();
    },
  };
}
