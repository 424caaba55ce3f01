import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadTenantFixture } from '../sandbox/fixture.js';
import { playgroundArgs } from '../sandbox/playground-cli.js';

/**
 * The Agents Playground has one signed-in person per server: its web client takes `currentUser` from
 * the config file the server read at startup and offers no way to change it. Chatting as someone else
 * is what the README tells a person to do (swap `currentUser` in `.m365agentsplayground.yml`), done
 * without touching that file: a copy with another `currentUser` in a temporary directory, handed to
 * a second Playground server through M365_AGENTS_PLAYGROUND_CONFIG_PATH, against the same bot.
 */
export interface PlaygroundProcess {
  url: string;
  stop(): Promise<void>;
}

interface PlaygroundUser {
  id: string;
  name: string;
  [field: string]: unknown;
}

interface PlaygroundConfig {
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  personalChat?: { id: string };
  [field: string]: unknown;
}

/** A person of the sandbox tenant as the Playground knows people: their Teams id and Entra object id. */
function tenantPerson(name: string): PlaygroundUser | undefined {
  const user = loadTenantFixture().users.find((u) => u.displayName === name);
  if (!user) return undefined;
  const [givenName, ...surname] = name.split(' ');
  return {
    id: user.teamsUserId,
    name,
    userPrincipleName: user.userPrincipalName,
    aadObjectId: user.id,
    givenName,
    surname: surname.join(' '),
    email: user.mail ?? user.userPrincipalName,
  };
}

/**
 * `.m365agentsplayground.yml` with `name` as the current user (Dana moves into `users`). Someone of
 * the sandbox tenant the file does not list (Owen, who onboards) stands in for its last user: the
 * Playground takes exactly five `users`.
 */
export function configAs(name: string, source = '.m365agentsplayground.yml'): PlaygroundConfig {
  const config = parse(readFileSync(source, 'utf8')) as PlaygroundConfig;
  const people = [config.currentUser, ...config.users];
  const me = people.find((p) => p.name === name) ?? tenantPerson(name);
  if (!me)
    throw new Error(
      `${name} is neither one of the Playground's users in ${source} nor in the sandbox tenant`,
    );
  const slug = name.split(' ')[0].toLowerCase();
  return {
    ...config,
    currentUser: me,
    users: people.filter((p) => p !== me).slice(0, config.users.length),
    // Each Playground server is a separate "Teams" with its own connector. TapDesk keeps where a
    // conversation lives by its id, so chats of their own keep Dana's pointing at Dana's server
    // (in Teams, ids of 1:1 and group chats differ anyway).
    personalChat: { id: `sandbox-personal-chat-${slug}` },
    groupChat: { ...(config.groupChat as object), id: `sandbox-group-chat-${slug}` },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A second Playground server, signed in as `name`, talking to the bot at `botUrl`. */
export async function startPlaygroundAs(name: string, botUrl: string): Promise<PlaygroundProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'tapdesk-playground-'));
  const configPath = join(dir, '.m365agentsplayground.yml');
  writeFileSync(configPath, stringify(configAs(name)));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    // On loopback only, like `npm run sandbox`'s own Playground.
    playgroundArgs(botUrl, port),
    {
      cwd: dir,
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: join(dir, 'm365agentsplayground.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the Playground as ${name} did not start within 60 s:\n${output}`)),
        60_000,
      );
      const watch = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes(`Listening on ${port}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', watch);
      child.stderr!.on('data', watch);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the Playground as ${name} exited with ${code}:\n${output}`));
      });
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
