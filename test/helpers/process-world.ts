import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { addNewHires } from '../../sandbox/new-hires.js';
import { actionData, cardOf, message, postTo } from './activities.js';
import { spawnBot, type BotProcess } from './bot-process.js';
import { RecordingConnector } from './connector.js';
import { sandboxState } from './sandbox-admin.js';

/**
 * The sandbox tenant and a recording connector in the test process, with TapDesk as separate OS
 * processes that can be killed and restarted, as Entra and Teams outlive any bot instance.
 */
export interface ProcessWorld {
  sandbox: SandboxHandle;
  connector: RecordingConnector;
  dir: string;
  startBot(env: Record<string, string>): Promise<BotProcess>;
  user(upn: string): SandboxHandle['tenant']['users'][number];
  /** Posts an issue command as the user and returns the confirmation card's request id. */
  showCard(bot: BotProcess, upn: string, text: string): Promise<string>;
  passesFor(upn: string): Promise<unknown[]>;
  close(): Promise<void>;
}

export async function startProcessWorld(options: { newHires?: number } = {}): Promise<ProcessWorld> {
  const sandbox = await startSandbox({ fixture: (f) => void addNewHires(f, options.newHires ?? 0) });
  const connector = new RecordingConnector();
  await connector.start();
  const dir = mkdtempSync(join(tmpdir(), 'tapdesk-proc-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, sandbox.caPem);
  const running: BotProcess[] = [];
  const world: ProcessWorld = {
    sandbox,
    connector,
    dir,
    async startBot(env) {
      const bot = await spawnBot(sandbox, caFile, env);
      running.push(bot);
      return bot;
    },
    user(upn) {
      const found = sandbox.tenant.users.find((u) => u.userPrincipalName === upn);
      if (!found) throw new Error(`no sandbox user ${upn}`);
      return found;
    },
    async showCard(bot, upn, text) {
      const before = connector.sent().length;
      await postTo(bot.url, message(world, world.user(upn), text));
      return actionData(cardOf(connector.sent()[before]!.activity), 'tap.confirm').requestId as string;
    },
    async passesFor(upn) {
      return (await sandboxState(world)).passes.filter((p) => p.userPrincipalName === upn);
    },
    async close() {
      await Promise.all(running.map((b) => b.kill()));
      await connector.close();
      await sandbox.close();
    },
  };
  return world;
}
