// `npm run sandbox`: the local Contoso tenant, TapDesk against it, and the Microsoft 365 Agents
// Playground as the Teams client. Logs go to stderr; stdout carries exactly one JSON "ready" line
// (design §5) so scripts and tests can wait for it and read the addresses.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBot } from '../src/bot.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import {
  sandboxBotEnv,
  sandboxExtensionEnv,
  sandboxFaceCheckEnv,
  sandboxRequestApiClients,
} from './bot-env.js';
import { sandboxBotSources } from './bot-sources.js';
import { startSandbox } from './index.js';
import { addNewHires } from './new-hires.js';
import { playgroundArgs } from './playground-cli.js';

const SANDBOX_NEW_HIRES = 60;

const PLAYGROUND_PORT = Number(process.env.PLAYGROUND_PORT || 56150);
const withPlayground = !process.argv.includes('--no-playground');

/** Starts the Playground CLI on loopback only and waits until it listens. */
async function startPlayground(botUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, playgroundArgs(botUrl, PLAYGROUND_PORT), {
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: process.env.TEAMSAPPTESTER_BROWSER ?? 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the Agents Playground did not start within 60 s')),
      60_000,
    );
    const watch = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      process.stderr.write(text.replace(/^/gm, '[playground] '));
      if (text.includes(`Listening on ${PLAYGROUND_PORT}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    child.once('exit', (code) =>
      reject(
        new Error(
          `the Agents Playground exited with code ${code} (is port ${PLAYGROUND_PORT} free? set PLAYGROUND_PORT)`,
        ),
      ),
    );
  });
  return child;
}

async function main(): Promise<void> {
  // 60 generated new hires (newhire0001@contoso.com …) give bulk issuance something to work on, as
  // in samples/onboarding-wave.csv; the fixture's own people stay exactly as they are.
  const sandbox = await startSandbox({
    port: Number(process.env.SANDBOX_PORT || 0),
    fixture: (fixture) => void addNewHires(fixture, SANDBOX_NEW_HIRES),
  });
  const dataDir = join(process.cwd(), '.data');
  mkdirSync(dataDir, { recursive: true });
  const caFile = join(dataDir, 'sandbox-ca.pem');
  writeFileSync(caFile, sandbox.caPem);

  // The sandbox tenant starts from the fixture every time, so the bot's state starts fresh too:
  // requests, limit counters and notices of a previous run would refer to passes that no longer exist.
  const sqlitePath = process.env.SQLITE_PATH || join(dataDir, 'sandbox.db');
  if (!process.env.SQLITE_PATH)
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqlitePath}${suffix}`, { force: true });

  const config = loadConfig({
    ...sandboxBotEnv(sandbox, caFile),
    // The request API on for the fixture's callers holding TapDesk.Request (docs/request-api.md).
    REQUEST_API_CLIENTS: sandboxRequestApiClients(sandbox.tenant),
    // Face Check is on in the sandbox: its Request Service calls the bot back on its own port.
    ...sandboxFaceCheckEnv(sandbox, Number(process.env.PORT || 3978)),
    // Both Entra custom extensions on, signed as Entra's first-party apps (docs/entra-extensions.md).
    ...sandboxExtensionEnv(),
    STORE: 'sqlite',
    SQLITE_PATH: sqlitePath,
    PORT: process.env.PORT || '3978',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
  });
  const log = createLogger(config.logLevel, process.stderr);
  const bot = await startBot(config, { log, ...sandboxBotSources(config) });
  // The sandbox's Entra sends the custom extension callouts to this bot.
  sandbox.setBotOrigin(`http://127.0.0.1:${bot.port}`);
  const playground = withPlayground ? await startPlayground(bot.url) : undefined;

  const ready = {
    event: 'ready',
    bot: bot.url,
    graph: sandbox.graphBaseUrl,
    authority: sandbox.authorityHost,
    sandbox: sandbox.sandboxUrl,
    ...(playground ? { playground: `http://127.0.0.1:${PLAYGROUND_PORT}` } : {}),
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  if (playground) {
    process.stderr.write(
      `\nTapDesk sandbox is ready: open http://127.0.0.1:${PLAYGROUND_PORT} and, as Dana Reyes, type: issue TAP for alice@contoso.com for 2h\n\n`,
    );
  }

  const stop = async () => {
    playground?.kill('SIGTERM');
    await bot.close();
    await sandbox.close();
    process.exit(0);
  };
  // A failed shutdown still ends the process, with the reason on stderr.
  const stopOrExit = (): void => {
    stop().catch((error: unknown) => {
      process.stderr.write(`shutdown failed: ${String((error as Error)?.stack ?? error)}\n`);
      process.exit(1);
    });
  };
  process.once('SIGINT', stopOrExit);
  process.once('SIGTERM', stopOrExit);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error)}\n`,
  );
  process.exit(1);
});
