import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../src/audit/log.js';
import { OnBehalfOfTokens } from '../src/auth/obo.js';
import { bulkDepsFrom, type BulkDeps } from '../src/bulk/deps.js';
import { ITEMS_PER_CHUNK } from '../src/bulk/job.js';
import type { PassRow } from '../src/bulk/results.js';
import { claimBulk, runBulk } from '../src/bulk/run.js';
import { validateBulk } from '../src/bulk/validate.js';
import { GRAPH_SCOPES, loadConfig } from '../src/config.js';
import { GraphTapClient } from '../src/graph/client.js';
import { GraphFailure } from '../src/graph/failure.js';
import { dispatcherTrusting } from '../src/http-json.js';
import { sandboxBotEnv } from '../sandbox/bot-env.js';
import { TenantClock } from '../sandbox/bot-sources.js';
import { startSandbox, type FixtureUser, type SandboxHandle } from '../sandbox/index.js';
import { addNewHires } from '../sandbox/new-hires.js';
import type { GraphLogEntry } from '../sandbox/state.js';
import { SqliteRowStore } from '../src/store/sqlite.js';
import { IssueLimiter } from '../src/tap/limits.js';
import type { Person } from '../src/tap/request.js';
import { sandboxAdmin } from '../test/helpers/sandbox-admin.js';
import { round } from './stats.js';

export interface BulkBenchOptions {
  /** New hires in the sandbox, all of them issued by each contender in each run. */
  users: number;
  /** Sandbox latency per HTTP request (a `$batch` POST is one request, whatever it holds). */
  latencyMs: number;
  /** Graph's documented write budget per app and tenant: 3,000 per 150 s, i.e. 20/s. */
  writesPerSecond: number;
  /** Capacity of the sandbox's write bucket in run (2); see `LIMITED` below for why it is one second's. */
  writeBurst: number;
  /** Users issued untimed by both contenders (latency 0) before anything is measured, to warm the JIT. */
  warmupUsers: number;
}

/** Full: 1,000 new hires; quick (CI): 100. Both at 100 ms per request, as the issue asks. */
export function bulkBenchOptions(quick: boolean): BulkBenchOptions {
  return { users: quick ? 100 : 1_000, latencyMs: 100, writesPerSecond: 20, writeBurst: 20, warmupUsers: 20 };
}

/** What the sandbox tenant shows after one contender's run (its Graph log and passes alone). */
export interface TenantCheck {
  users: number;
  /** Users with exactly one successful (201) create. */
  createdOnce: number;
  /** Users with more than one 201, or posted again after any answer other than 429. */
  duplicates: number;
  /** Users without a pass in the tenant, or whose pass the contender did not get back (code hash differs). */
  lost: number;
  /** Create items answered 429 (not run by Graph). */
  throttled: number;
  /** The most create POSTs any one user got (TapDesk gives a row up as throttled after 30). */
  maxPostsPerUser: number;
  /** Create items answered anything but 201 or 429. */
  otherFailures: number;
  /** Creates for users outside the list: must be 0. */
  strayCreates: number;
  /** Item-level operations the sandbox ran: create POSTs (any answer) and GETs. */
  createPosts: number;
  reads: number;
  /** Top-level HTTP requests the Graph client sent (a `$batch` counts once). */
  httpRequests: number;
  /** From the sandbox log: first create item handled to last 201, and first 201 to last 201 (ms). */
  firstCreateToLastOkMs: number;
  firstOkToLastOkMs: number;
}

export interface SerialRun {
  ms: number;
  created: number;
  failed: number;
  /** 429 answers waited out (Retry-After) and posted again. */
  retriedAfter429: number;
  writesPerSec: number;
  check: TenantCheck;
}

export interface TapDeskRun {
  validateMs: number;
  /** claimBulk: the click's conditional writes before the run. */
  claimMs: number;
  /** runBulk: re-check reads, creates, per-item audit, the job's final state. */
  runMs: number;
  /** claim + run: what the confirm click starts. */
  issueMs: number;
  /** validate + claim + run. */
  totalMs: number;
  ready: number;
  issued: number;
  failed: number;
  unknown: number;
  notStarted: number;
  failures: { code: string; count: number }[];
  /** Issued passes per second of issuance (claim + run). */
  writesPerSec: number;
  check: TenantCheck;
}

export interface BulkReport {
  options: BulkBenchOptions;
  /** TapDesk's settings as loaded by loadConfig (BULK_CONCURRENCY may be set in the environment). */
  concurrency: number;
  itemsPerBatch: number;
  setupMs: number;
  /** Failed best-effort writes (audit, heartbeat) during the runs: should be empty. */
  backgroundErrors: string[];
  unlimited: {
    serial: SerialRun;
    tapdesk: TapDeskRun;
    /** serial creates ÷ TapDesk issuance (claim + run). */
    ratioIssue: number;
    /** serial creates ÷ TapDesk validation + issuance: the honest headline. */
    ratioEndToEnd: number;
  };
  limited: {
    writeLimitPerMinute: number;
    serial: SerialRun;
    tapdesk: TapDeskRun;
    /** TapDesk's writes/s ÷ the limit (20/s). */
    tapdeskFraction: number;
    /** Creates after the bucket's initial burst ÷ (last 201 − first 201), ÷ the limit: ≤ 1 for any client. */
    tapdeskSteadyFraction: number;
    serialFraction: number;
  };
}

const CREATE_PATH = /^\/v1\.0\/users\/([^/?]+)\/authentication\/temporaryAccessPassMethods$/;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TenantState {
  passes: { userId: string; passSha256: string }[];
  graphLog: GraphLogEntry[];
}

interface Contenders {
  sandbox: SandboxHandle;
  deps: BulkDeps;
  graph: GraphTapClient;
  dana: Person;
  /** Top-level Graph requests since the last reset of the counter. */
  requests: { count: number };
  admin(method: string, path: string, body?: unknown): Promise<unknown>;
}

/**
 * TapDesk's bulk path (validateBulk → claimBulk → runBulk) against a serial loop of single creates,
 * over ONE GraphTapClient for Dana, in one process, in two runs: (1) latency only; (2) latency plus
 * Graph's write budget. Each contender starts from a clean tenant (sandbox reset; the new hires are
 * the fixture and survive it) and its Graph log is checked afterwards: one 201 per user, nobody posted
 * again after an answer other than 429, every user's pass in the tenant and back in the caller's hands.
 */
export async function benchBulk(options: BulkBenchOptions): Promise<BulkReport> {
  const setupStarted = performance.now();
  let hires: FixtureUser[] = [];
  const sandbox = await startSandbox({ fixture: (f) => void (hires = addNewHires(f, options.users)) });
  const backgroundErrors: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'tapdesk-bench-bulk-'));
  const caFile = join(dir, 'sandbox-ca.pem');
  writeFileSync(caFile, sandbox.caPem);
  const store = SqliteRowStore.open(join(dir, 'bulk.db'));
  const dispatcher = dispatcherTrusting(sandbox.caPem);
  try {
    // The bot's own config path: BULK_CONCURRENCY's default (4) unless the environment sets it; TapDesk's
    // issuance limits off (thousands of passes for one admin in minutes), no approval for a 1,000-row bulk.
    const config = loadConfig({
      ...sandboxBotEnv(sandbox, caFile),
      PORT: '0',
      HOST: '127.0.0.1',
      TAP_LIMIT_PER_ISSUER_PER_HOUR: '0',
      TAP_LIMIT_PER_TARGET_PER_DAY: '0',
      TAP_LIMIT_TENANT_PER_HOUR: '0',
      BULK_APPROVAL_ABOVE: '5000',
      ...(process.env.BULK_CONCURRENCY ? { BULK_CONCURRENCY: process.env.BULK_CONCURRENCY } : {}),
    });
    const clock = new TenantClock(config.sandboxUrl!, dispatcher);
    await clock.sync();
    const deps = bulkDepsFrom(config, {
      store,
      audit: new AuditLog(store, () => clock.now()),
      // Best-effort writes (audit after the fact, heartbeats) report failures here; counted, never thrown.
      onBackgroundError: (what, error) => void backgroundErrors.push(`${what}: ${(error as Error).message}`),
      clock,
      limiter: new IssueLimiter(store, config.limits),
      instanceId: `bench-${process.pid}`,
    });
    // Dana's delegated token as the bot gets it: her SSO assertion, then On-Behalf-Of.
    const danaUser = sandbox.tenant.users.find((u) => u.userPrincipalName === 'dana@contoso.com')!;
    const tokens = new OnBehalfOfTokens({
      tenantId: sandbox.tenantId,
      clientId: sandbox.app.appId,
      clientSecret: sandbox.app.clientSecret,
      authorityHost: sandbox.authorityHost,
      scopes: GRAPH_SCOPES,
      caPem: sandbox.caPem,
    });
    const accessToken = await tokens.graphToken(await sandbox.ssoToken(danaUser.id));
    const requests = { count: 0 };
    const graph = new GraphTapClient(accessToken, {
      baseUrl: sandbox.graphBaseUrl,
      dispatcher,
      onCall: () => void (requests.count += 1),
    });
    const c: Contenders = {
      sandbox,
      deps,
      graph,
      dana: { oid: danaUser.id, name: danaUser.displayName },
      requests,
      admin: (method, path, body) => sandboxAdmin({ sandbox }, method, path, body),
    };

    // Warm-up, untimed, latency 0: both code paths once, so neither pays the JIT in its timed run.
    const warm = hires.slice(0, options.warmupUsers);
    await cleanTenant(c, {});
    await serialLoop(c, warm);
    await cleanTenant(c, {});
    await tapdeskBulk(c, warm);
    const setupMs = performance.now() - setupStarted;

    // (1) No write limit: only the latency per request.
    const latency = { latencyMs: options.latencyMs };
    const serial1 = await measureSerial(c, hires, latency);
    const tapdesk1 = await measureTapDesk(c, hires, latency);

    // (2) Graph's budget is 3,000 writes per 150 s per app and tenant, i.e. 20/s. As a bucket of 3,000
    // it would let all 1,000 creates through in one burst and measure nothing, so the sandbox gets the
    // same 20/s sustained rate with a bucket of one second's worth (20): every write beyond the first
    // 20 must be paced to the limit, which is what this run asks of each contender.
    const writeLimitPerMinute = options.writesPerSecond * 60;
    const limited = { ...latency, writeLimitPerMinute, writeBurst: options.writeBurst };
    const serial2 = await measureSerial(c, hires, limited);
    const tapdesk2 = await measureTapDesk(c, hires, limited);
    await c.admin('POST', '/reset');

    const perSec = options.writesPerSecond;
    const steady =
      tapdesk2.check.firstOkToLastOkMs > 0
        ? (tapdesk2.issued - options.writeBurst) / (tapdesk2.check.firstOkToLastOkMs / 1000)
        : 0;
    return {
      options,
      concurrency: deps.concurrency,
      itemsPerBatch: ITEMS_PER_CHUNK,
      setupMs: round(setupMs, 0),
      backgroundErrors,
      unlimited: {
        serial: serial1,
        tapdesk: tapdesk1,
        ratioIssue: round(serial1.ms / tapdesk1.issueMs, 1),
        ratioEndToEnd: round(serial1.ms / tapdesk1.totalMs, 1),
      },
      limited: {
        writeLimitPerMinute,
        serial: serial2,
        tapdesk: tapdesk2,
        tapdeskFraction: round(tapdesk2.writesPerSec / perSec, 3),
        tapdeskSteadyFraction: round(steady / perSec, 3),
        serialFraction: round(serial2.writesPerSec / perSec, 3),
      },
    };
  } finally {
    await store.close();
    await dispatcher?.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A clean tenant (no passes, empty Graph log, faults cleared) with these faults applied. */
async function cleanTenant(c: Contenders, faults: Record<string, number>): Promise<void> {
  // Reset clears passes, the log, faults and the clock offset; the directory is the fixture and stays.
  await c.admin('POST', '/reset');
  if (Object.keys(faults).length > 0) await c.admin('POST', '/faults', faults);
  await c.deps.clock.sync();
  c.requests.count = 0;
}

/** The baseline: one create at a time; a 429 (Graph did not run it) is waited out and posted again. */
async function serialLoop(c: Contenders, users: FixtureUser[]) {
  const codes = new Map<string, string>();
  let failed = 0;
  let retriedAfter429 = 0;
  for (const user of users) {
    for (;;) {
      try {
        const pass = await c.graph.createTap(user.id, { lifetimeInMinutes: 60, isUsableOnce: true });
        codes.set(user.id, pass.temporaryAccessPass);
        break;
      } catch (error) {
        if (!(error instanceof GraphFailure)) throw error;
        if (error.status !== 429) {
          failed += 1;
          break;
        }
        retriedAfter429 += 1;
        await sleep((error.retryAfterSeconds ?? 1) * 1000);
      }
    }
  }
  return { codes, failed, retriedAfter429 };
}

async function measureSerial(
  c: Contenders,
  users: FixtureUser[],
  faults: Record<string, number>,
): Promise<SerialRun> {
  await cleanTenant(c, faults);
  const started = performance.now();
  const run = await serialLoop(c, users);
  const ms = performance.now() - started;
  const check = await checkTenant(c, users, run.codes);
  return {
    ms: round(ms, 0),
    created: run.codes.size,
    failed: run.failed,
    retriedAfter429: run.retriedAfter429,
    writesPerSec: round(run.codes.size / (ms / 1000), 2),
    check,
  };
}

/** What Dana's CSV of the new hires does: validate (the card), then confirm (claim + run). */
async function tapdeskBulk(c: Contenders, users: FixtureUser[]) {
  const asks = users.map((u, i) => ({
    line: i + 2,
    user: u.userPrincipalName,
    lifetimeMinutes: 60,
    usableOnce: true,
  }));
  const t0 = performance.now();
  const outcome = await validateBulk(c.deps, c.graph, {
    requester: c.dana,
    timeZone: 'UTC',
    utcOffsetMinutes: 0,
    conversationId: `a:1:${c.dana.oid}`,
    source: { kind: 'csv', fileName: 'new-hires.csv' },
    asks,
    rowErrors: [],
  });
  const t1 = performance.now();
  if (outcome.kind !== 'ready') throw new Error(`validation refused the bulk: ${outcome.problem.code}`);
  const claimed = await claimBulk(c.deps, outcome.job.id, c.dana);
  if (!claimed.ok) throw new Error(`claim refused: ${claimed.problem.code}`);
  const t2 = performance.now();
  const passes: PassRow[] = [];
  const done = await runBulk(c.deps, c.graph, claimed.row, passes, () => {});
  const t3 = performance.now();
  return {
    ready: outcome.job.counts.ready,
    done,
    passes,
    validateMs: t1 - t0,
    claimMs: t2 - t1,
    runMs: t3 - t2,
  };
}

async function measureTapDesk(
  c: Contenders,
  users: FixtureUser[],
  faults: Record<string, number>,
): Promise<TapDeskRun> {
  await cleanTenant(c, faults);
  const run = await tapdeskBulk(c, users);
  const byUpn = new Map(users.map((u) => [u.userPrincipalName, u.id]));
  const codes = new Map(
    run.passes.map((p) => [byUpn.get(p.userPrincipalName) ?? p.userPrincipalName, p.pass]),
  );
  const check = await checkTenant(c, users, codes);
  const result = run.done.result!;
  const issueMs = run.claimMs + run.runMs;
  return {
    validateMs: round(run.validateMs, 0),
    claimMs: round(run.claimMs, 0),
    runMs: round(run.runMs, 0),
    issueMs: round(issueMs, 0),
    totalMs: round(run.validateMs + issueMs, 0),
    ready: run.ready,
    issued: result.issued,
    failed: result.failed,
    unknown: result.unknown,
    notStarted: result.notStarted,
    failures: result.failures,
    writesPerSec: round(result.issued / (issueMs / 1000), 2),
    check,
  };
}

/** Reads the tenant's passes and Graph log and checks every user against what the contender got back. */
async function checkTenant(
  c: Contenders,
  users: FixtureUser[],
  delivered: Map<string, string>,
): Promise<TenantCheck> {
  const httpRequests = c.requests.count;
  const state = (await c.admin('GET', '/state')) as TenantState;
  const wanted = new Set(users.map((u) => u.id));
  const statuses = new Map<string, number[]>();
  let strayCreates = 0;
  let reads = 0;
  let createPosts = 0;
  let firstCreate = Infinity;
  let firstOk = Infinity;
  let lastOk = -Infinity;
  for (const entry of state.graphLog) {
    if (entry.method === 'GET') reads += 1;
    const m = CREATE_PATH.exec(entry.path);
    if (entry.method !== 'POST' || !m) continue;
    createPosts += 1;
    const id = decodeURIComponent(m[1]!).toLowerCase();
    if (!wanted.has(id)) {
      strayCreates += 1;
      continue;
    }
    statuses.set(id, [...(statuses.get(id) ?? []), entry.status]);
    const at = Date.parse(entry.at);
    firstCreate = Math.min(firstCreate, at);
    if (entry.status === 201) {
      firstOk = Math.min(firstOk, at);
      lastOk = Math.max(lastOk, at);
    }
  }
  const passOf = new Map(state.passes.map((p) => [p.userId, p.passSha256]));
  const check: TenantCheck = {
    users: users.length,
    createdOnce: 0,
    duplicates: 0,
    lost: 0,
    throttled: 0,
    maxPostsPerUser: 0,
    otherFailures: 0,
    strayCreates,
    createPosts,
    reads,
    httpRequests,
    firstCreateToLastOkMs: Number.isFinite(lastOk) ? lastOk - firstCreate : 0,
    firstOkToLastOkMs: Number.isFinite(lastOk) ? lastOk - firstOk : 0,
  };
  for (const user of users) {
    const answers = statuses.get(user.id) ?? [];
    const ok = answers.filter((s) => s === 201).length;
    if (ok === 1) check.createdOnce += 1;
    check.maxPostsPerUser = Math.max(check.maxPostsPerUser, answers.length);
    // Only a 429 may be followed by another post for the same user: anything else may have run.
    const firstFinal = answers.findIndex((s) => s !== 429);
    if (ok > 1 || (firstFinal >= 0 && firstFinal < answers.length - 1)) check.duplicates += 1;
    check.throttled += answers.filter((s) => s === 429).length;
    check.otherFailures += answers.filter((s) => s !== 201 && s !== 429).length;
    const code = delivered.get(user.id);
    if (!code || passOf.get(user.id) !== sha256(code)) check.lost += 1;
  }
  return check;
}
