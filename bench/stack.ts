import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { startBot, type RunningBot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import type { GraphCallRecord } from '../src/graph/client.js';
import { createLogger } from '../src/log.js';
import { sandboxBotEnv } from '../sandbox/bot-env.js';
import { sandboxBotSources } from '../sandbox/bot-sources.js';
import { startSandbox, type FixtureUser, type SandboxHandle } from '../sandbox/index.js';
import { addNewHires } from '../sandbox/new-hires.js';
import { BenchConnector } from './connector.js';
import { startEchoBot } from './echo-bot.js';

export interface Stack {
  sandbox: SandboxHandle;
  connector: BenchConnector;
  tapdesk: RunningBot;
  echo: RunningBot;
  /** Every Graph call TapDesk made, as its own telemetry middleware reports it. */
  graphCalls: GraphCallRecord[];
  user(upn: string): FixtureUser;
  /** The sandbox admin API (`/_sandbox/...`) over HTTPS. */
  admin(method: string, path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Sandbox tenant, connector, TapDesk and the echo baseline in this one process, like the test harness,
 * but with logging silenced: pino writing JSON per turn would otherwise be part of what we measure.
 */
export async function startStack(options: { newHires?: number } = {}): Promise<Stack> {
  const sandbox = await startSandbox({ fixture: (f) => void addNewHires(f, options.newHires ?? 0) });
  const dir = mkdtempSync(join(tmpdir(), 'tapdesk-bench-'));
  const caFile = join(dir, 'sandbox-ca.pem');
  writeFileSync(caFile, sandbox.caPem);
  // Hundreds of passes for one person in minutes: TapDesk's own issuance limits would (rightly) stop it.
  const noLimits = {
    TAP_LIMIT_PER_ISSUER_PER_HOUR: '0',
    TAP_LIMIT_PER_TARGET_PER_DAY: '0',
    TAP_LIMIT_TENANT_PER_HOUR: '0',
  };
  const config = loadConfig({ ...sandboxBotEnv(sandbox, caFile), PORT: '0', HOST: '127.0.0.1', ...noLimits });
  const log = createLogger('silent');
  const connector = new BenchConnector();
  await connector.start();
  const graphCalls: GraphCallRecord[] = [];
  const tapdesk = await startBot(config, {
    log,
    onGraphCall: (c) => graphCalls.push(c),
    ...sandboxBotSources(config),
  });
  const echo = await startEchoBot(config, log);
  const adminAgent = new Agent({ connect: { ca: sandbox.caPem } });

  return {
    sandbox,
    connector,
    tapdesk,
    echo,
    graphCalls,
    user(upn) {
      const found = sandbox.tenant.users.find((u) => u.userPrincipalName === upn);
      if (!found) throw new Error(`no sandbox user ${upn}`);
      return found;
    },
    async admin(method, path, body) {
      const response = await fetch(`${sandbox.sandboxUrl}${path}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
        dispatcher: adminAgent,
      } as RequestInit);
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status}`);
      const text = await response.text();
      return text ? (JSON.parse(text) as unknown) : undefined;
    },
    async close() {
      await tapdesk.close();
      await echo.close();
      await connector.close();
      await adminAgent.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
