import { spawn, type ChildProcess } from 'node:child_process';

export interface ReadyLine {
  bot: string;
  graph: string;
  sandbox: string;
  playground: string;
}

export interface SandboxProcess {
  ready: ReadyLine;
  /** Log lines the bot wrote at error level or above (pino level ≥ 50). */
  botErrors: string[];
  stop(): Promise<void>;
}

/** Runs `npm run sandbox` exactly as the README says and waits for its JSON ready line. */
export async function startSandboxProcess(): Promise<SandboxProcess> {
  const child: ChildProcess = spawn('npm', ['run', '--silent', 'sandbox'], {
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const botErrors: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (/^\{.*"level":(5\d|60)/.test(line)) botErrors.push(line);
    }
  });
  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('npm run sandbox printed no ready line within 90 s')),
      90_000,
    );
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const line = buffer.split('\n').find((l) => l.startsWith('{"event":"ready"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as ReadyLine);
      }
    });
    child.once('exit', (code) => reject(new Error(`npm run sandbox exited early with ${code}`)));
  });
  return {
    ready,
    botErrors,
    async stop() {
      // The whole process group: npm, tsx, the bot and the Playground child.
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
