// One measurement of what TapDesk's turns cost its store, for `bench/turn-cost.ts`: run as
// `node --import tsx bench/turn-cost-child.ts <json options>` with `root` naming the checkout whose
// bot, store and sandbox are measured (this one, or an older one unpacked elsewhere), so "before" is
// the old code itself. The sandbox, connector, echo baseline and counters are the same for both.
// Prints one JSON line (TurnCostResult) on stdout.
import { accessSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { FixtureUser } from '../sandbox/index.js';
import type { RowStore } from '../src/store/port.js';
import { countingStore, type CountedWrite } from '../test/helpers/counting-store.js';
import { startAzurite } from '../test/helpers/azurite.js';
import { actionData, click, closeClient, conversationOf, message, post, type Target } from './activities.js';
import { BenchConnector } from './connector.js';
import { startEchoBot } from './echo-bot.js';
import { round, runTurns, summarize, type Summary } from './stats.js';

export interface TurnCostOptions {
  root: string;
  /** Added to every Azure Tables request (tables only), the same in every run. */
  latencyMs: number;
  /** Message + click pairs whose store work is counted, one at a time. */
  counted: number;
  /** Clicks timed against the echo bot's. */
  timed: number;
  warmup: number;
  /** A file whose access marks each counted turn's start and end, for strace to split fsyncs by. */
  markerPrefix?: string;
}

/** Per turn kind: averages over the counted turns. */
export interface TurnCounts {
  commits: number;
  /** Every store method call (reads and writes); on SQLite each is one synchronous call. */
  storeCalls: number;
  /** HTTP requests to Azure Tables (tables only). */
  httpRequests?: number;
}

/** Both stores, measured one after the other in one process on one sandbox. */
export interface TurnCostResult {
  sqlite: StoreCost;
  tables: StoreCost;
}

export interface StoreCost {
  message: TurnCounts;
  click: TurnCounts;
  clickLatency: { tapdesk: Summary; echo: Summary };
  /** Turns that did not do what they should (no card, no pass); 0 in a valid run. */
  missing: number;
}

const ISSUE = (n: number) => `issue TAP for newhire${String(n).padStart(4, '0')}@contoso.com for 2h`;

async function main(o: TurnCostOptions): Promise<TurnCostResult> {
  const from = (path: string) => import(pathToFileURL(join(o.root, path)).href);
  const { startBot } = await from('src/bot.ts');
  const { loadConfig } = await from('src/config.ts');
  const { createLogger } = await from('src/log.ts');
  const { SqliteRowStore } = await from('src/store/sqlite.ts');
  const { AzureTablesRowStore } = await from('src/store/tables.ts');
  const { sandboxBotEnv } = await from('sandbox/bot-env.ts');
  const { sandboxBotSources } = await from('sandbox/bot-sources.ts');
  const { startSandbox } = await from('sandbox/index.ts');
  const { addNewHires } = await from('sandbox/new-hires.ts');

  const people = 2 * (2 * o.warmup + o.counted + o.timed) + 2;
  const sandbox = await startSandbox({ fixture: (f: unknown) => void addNewHires(f, people) });
  const dir = mkdtempSync(join(tmpdir(), 'tapdesk-turncost-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, sandbox.caPem);
  const config = loadConfig({
    ...sandboxBotEnv(sandbox, caFile),
    PORT: '0',
    HOST: '127.0.0.1',
    TAP_LIMIT_PER_ISSUER_PER_HOUR: '0',
    TAP_LIMIT_PER_TARGET_PER_DAY: '0',
    TAP_LIMIT_TENANT_PER_HOUR: '0',
  });
  const log = createLogger('silent');
  const connector = new BenchConnector();
  await connector.start();
  const azurite = await startAzurite();
  const proxy = await latencyProxy(azurite.connectionString, o.latencyMs);
  const echo = await startEchoBot(config, log);
  const t: Target = { serviceUrl: connector.url, tenantId: sandbox.tenantId };
  const dana = sandbox.tenant.users.find(
    (u: { userPrincipalName: string }) => u.userPrincipalName === 'dana@contoso.com',
  );
  let hire = 0;
  const measure = async (kind: 'sqlite' | 'tables'): Promise<StoreCost> => {
    const inner =
      kind === 'sqlite'
        ? SqliteRowStore.open(join(dir, 'tapdesk.db'))
        : await AzureTablesRowStore.connect({
            connectionString: proxy.connectionString,
            tablePrefix: `b${randomBytes(4).toString('hex')}`,
            allowInsecureConnection: true,
          });
    const counted = countingStore(inner);
    const tapdesk = await startBot(config, { log, store: counted.store, ...sandboxBotSources(config) });
    try {
      return await measureStore({
        o,
        tapdesk,
        echo,
        connector,
        inner,
        counted,
        proxy: kind === 'tables' ? proxy : undefined,
        markers: kind === 'sqlite',
        showCardFor: () => ISSUE(++hire),
        t,
        dana,
      });
    } finally {
      await tapdesk.close();
      await inner.close();
    }
  };
  try {
    return { sqlite: await measure('sqlite'), tables: await measure('tables') };
  } finally {
    await echo.close();
    await closeClient();
    await connector.close();
    await proxy.close();
    await azurite.stop();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface StoreRun {
  o: TurnCostOptions;
  tapdesk: { url: string };
  echo: { url: string };
  connector: BenchConnector;
  inner: RowStore;
  counted: ReturnType<typeof countingStore>;
  proxy: LatencyProxy | undefined;
  /** Mark the counted turns for strace (the SQLite run; Azurite's process never fsyncs anyway). */
  markers: boolean;
  showCardFor: () => string;
  t: Target;
  dana: FixtureUser;
}

async function measureStore(r: StoreRun): Promise<StoreCost> {
  const { o, tapdesk, echo, connector, inner, counted, proxy, t, dana } = r;
  let missing = 0;
  const showCard = async () => {
    const posted = await post(tapdesk.url, message(t, dana, r.showCardFor()));
    const sent = connector.last(conversationOf(dana));
    const data = actionData(sent?.activity, 'tap.confirm');
    if (posted.status !== 200 || typeof data?.requestId !== 'string' || !sent?.id) missing++;
    return { requestId: String(data?.requestId), cardId: sent?.id ?? '' };
  };
  const confirm = async (card: { requestId: string; cardId: string }) => {
    const data = { requestId: card.requestId, verification: 'callback' };
    const answer = await post(tapdesk.url, click(t, dana, 'tap.confirm', data, card.cardId));
    if (!answer.text.includes('Copy it now')) missing++;
  };
  // The notice scheduler sends the new pass's notices on its own timer: wait until it has, so its
  // writes never fall inside the next counted turn.
  const quiet = async () => {
    const soon = `${new Date(Date.now() + 60_000).toISOString()}|\uffff`;
    for (let i = 0; i < 100; i++) {
      const due = await inner.list({ table: 'notices', partition: 'due', to: soon });
      if (due.rows.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const mark = (what: string) => {
    if (!r.markers || !o.markerPrefix) return;
    try {
      accessSync(`${o.markerPrefix}${what}`);
    } catch {
      // The file never exists: only the syscall matters, strace sees its path.
    }
  };

  for (let i = 0; i < o.warmup; i++) await confirm(await showCard());
  await quiet();
  const sums = { message: zero(), click: zero() };
  for (let i = 0; i < o.counted; i++) {
    const before = snapshot(counted, proxy);
    mark(`message-start-${i}`);
    const card = await showCard();
    mark(`message-end-${i}`);
    const between = snapshot(counted, proxy);
    mark(`click-start-${i}`);
    await confirm(card);
    mark(`click-end-${i}`);
    add(sums.message, diff(counted.writes, before, between));
    add(sums.click, diff(counted.writes, between, snapshot(counted, proxy)));
    await quiet();
  }
  const pending: { requestId: string; cardId: string }[] = [];
  for (let i = 0; i < o.timed + o.warmup; i++) pending.push(await showCard());
  await quiet();
  const tapTurn = async (i: number) => {
    await confirm(pending[i]!);
    return () => true;
  };
  const echoTurn = async () => {
    const data = { requestId: 'echo', verification: 'callback' };
    const answer = await post(echo.url, click(t, dana, 'tap.confirm', data));
    return () => answer.status === 200;
  };
  const echoSummary = summarize(await runTurns(echoTurn, o.timed, o.warmup, 1));
  const tapSummary = summarize(await runTurns(tapTurn, o.timed, o.warmup, 1));
  const per = (s: Sums): TurnCounts => ({
    commits: round(s.commits / o.counted),
    storeCalls: round(s.storeCalls / o.counted),
    ...(proxy ? { httpRequests: round(s.http / o.counted) } : {}),
  });
  return {
    message: per(sums.message),
    click: per(sums.click),
    clickLatency: { tapdesk: tapSummary, echo: echoSummary },
    missing,
  };
}

interface Sums {
  commits: number;
  storeCalls: number;
  http: number;
}
const zero = (): Sums => ({ commits: 0, storeCalls: 0, http: 0 });
const add = (to: Sums, d: Sums) => {
  to.commits += d.commits;
  to.storeCalls += d.storeCalls;
  to.http += d.http;
};

interface Snapshot {
  writes: number;
  reads: number;
  http: number;
}

function snapshot(c: ReturnType<typeof countingStore>, proxy: LatencyProxy | undefined): Snapshot {
  return { writes: c.writes.length, reads: c.reads(), http: proxy?.turnRequests() ?? 0 };
}

/** What a turn cost between two snapshots; writes the notice scheduler made on its timer are left out. */
function diff(writes: CountedWrite[], a: Snapshot, b: Snapshot): Sums {
  const own = writes.slice(a.writes, b.writes).filter((w) => !w.background).length;
  return { commits: own, storeCalls: own + (b.reads - a.reads), http: b.http - a.http };
}

interface LatencyProxy {
  connectionString: string;
  /** Requests so far, leaving out the timers' polls (due notices, issuing bulks), which no turn makes. */
  turnRequests(): number;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of Azurite that holds every request `delayMs` before passing it on, as a
 * fixed network distance to Azure Tables, and counts the requests.
 */
async function latencyProxy(connectionString: string, delayMs: number): Promise<LatencyProxy> {
  const target = new URL(/TableEndpoint=([^;]+)/.exec(connectionString)![1]!);
  let requests = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = decodeURIComponent(req.url ?? '');
    const poll = req.method === 'GET' && /PartitionKey eq '(due|_issuing)'/.test(url);
    if (!poll) requests++;
    setTimeout(() => {
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.statusCode = 502;
        res.end();
      });
      req.pipe(upstream);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    connectionString: connectionString.replace(
      /TableEndpoint=http:\/\/127\.0\.0\.1:\d+/,
      `TableEndpoint=http://127.0.0.1:${port}`,
    ),
    turnRequests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

main(JSON.parse(process.argv[2]!) as TurnCostOptions).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
