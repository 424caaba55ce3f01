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
  // The last lines of stderr, so a start-up that fails says why.
  const stderrTail: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (/^\{.*"level":(5\d|60)/.test(line)) botErrors.push(line);
      if (line.trim()) stderrTail.push(line.slice(0, 300));
      if (stderrTail.length > 20) stderrTail.shift();
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
    child.once('exit', (code) =>
      reject(new Error(`npm run sandbox exited early with ${code}:\n${stderrTail.join('\n')}`)),
    );
  });
  return {
    ready,
    botErrors,
    async stop() {
      // The whole process group: npm, tsx, the bot and the Playground child.
      if (!child.pid) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
      // npm exits before its children: wait until no process of the group is left, so the next
      // file's sandbox finds the bot's and the Playground's ports free.
      await groupGone(child.pid);
    },
  };
}

/** Resolves once no process of the group is alive (signal 0 then fails with ESRCH), at most 15 s. */
async function groupGone(pgid: number): Promise<void> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Still there: make sure it cannot hold the ports for the next file.
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Gone meanwhile.
  }
}
