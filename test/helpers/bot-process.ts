import { spawn, type ChildProcess } from 'node:child_process';
import { sandboxBotEnv } from '../../sandbox/bot-env.js';
import type { SandboxHandle } from '../../sandbox/index.js';

/**
 * TapDesk as a separate OS process (the sandbox's bot entry, `sandbox/bot-entry.ts`, through tsx: the
 * production process with the sandbox's clock and assertions), so tests can SIGKILL it.
 */
export interface BotProcess {
  url: string;
  logLines: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the bot process against a running sandbox with extra env (store settings) and waits until it listens. */
export async function spawnBot(
  sandbox: SandboxHandle,
  caFile: string,
  env: Record<string, string>,
): Promise<BotProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'sandbox/bot-entry.ts'], {
    env: {
      ...process.env,
      ...sandboxBotEnv(sandbox, caFile),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`bot process did not listen within 60 s: ${stderr.slice(-2000)}`)),
      60_000,
    );
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        logLines.push(line);
        const listening = /"event":"bot.listening","port":(\d+)/.exec(line);
        if (listening) {
          clearTimeout(timer);
          resolve(Number(listening[1]));
        }
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`bot process exited with ${code}: ${stderr.slice(-2000)}`)),
    );
  });
  return {
    url: `http://127.0.0.1:${port}/api/messages`,
    logLines,
    async kill(signal = 'SIGKILL') {
      // A process ended by a signal keeps exitCode null; signalCode tells it is gone.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}
