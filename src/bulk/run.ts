import { problem, type Problem } from '../errors/catalog.js';
import { problemForGraphFailure } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import { MAX_CREATES_PER_BATCH, type BatchCreateResult, type TapGraph } from '../graph/port.js';
import { ConflictError, writtenBy, type StoredRow } from '../store/port.js';
import { UnitOfWork } from '../store/unit.js';
import type { Charge } from '../tap/limits.js';
import type { NewAuditEvent } from '../audit/log.js';
import { auditAfterTheFact } from '../tap/audit-events.js';
import { createBody } from '../tap/confirm.js';
import { limitProblem } from '../tap/limit-problem.js';
import type { Person } from '../tap/request.js';
import { privilegedAmong } from './privileged.js';
import { barrierFor } from '../tap/eligibility.js';
import type { BulkDeps } from './deps.js';
import type { BulkChunk, BulkItem, BulkJob } from './job.js';
import { lookupAll } from './lookups.js';
import { passRow, resultOf, type PassRow } from './results.js';
import { forEachConcurrent, SendWindow, ThrottleGate } from './throttle.js';
import { bulkEvent } from './validate.js';
import { expireBulk } from './expiry.js';
import type { DeviceWriteGraph } from '../graph/device-port.js';
import { newDeviceRun, setDevices, type DeviceRun } from './onboard-run.js';

export interface BulkProgress {
  total: number;
  issued: number;
  failed: number;
  unknown: number;
}

/** A create batch gets longer than a single create: 20 passes, and Graph may queue them. */
const BATCH_TIMEOUT_MS = 30_000;
/** Rows still throttled this long after their chunk's first create give up rather than hold the bulk forever. */
const THROTTLED_GIVE_UP_MS = 10 * 60_000;

/**
 * Claims a bulk for issuing: only from 'pending' (small bulks) or 'approved', only by its requester,
 * once (conditional write), and only if the hourly limits have room for every ready pass.
 */
export async function claimBulk(
  deps: BulkDeps,
  id: string,
  clicker: Person,
): Promise<{ ok: true; row: StoredRow<BulkJob> } | { ok: false; problem: Problem; job?: BulkJob }> {
  const found = await requesterRow(deps, id, clicker);
  if (!found.ok) return found;
  const { row } = found;
  const job = row.value;
  const now = deps.clock.now();
  const startable = job.state === (job.needsApproval ? 'approved' : 'pending');
  if (!startable)
    return { ok: false, problem: problem('BULK_STATE_CHANGED', { decision: stateText(job) }), job };
  if (now.getTime() > Date.parse(job.expiresAt)) return expireBulk(deps, row, clicker);
  const at = now.toISOString();
  const claimed: BulkJob = {
    ...job,
    state: 'issuing',
    run: { by: clicker, startedAt: at, instance: deps.instanceId, heartbeatAt: at },
  };
  // One commit before any create: the bulk listed as issuing (for recovery), the claim, every pass of
  // the bulk counted against the hourly windows, and its trail. On Azure Tables the index row goes
  // first and alone: a listed bulk that is not issuing is only dropped by recovery, while an issuing
  // bulk missing from the index would never be recovered.
  for (let attempt = 1; ; attempt += 1) {
    const unit = new UnitOfWork();
    deps.bulk.markIssuingIn(unit, id);
    const slot = deps.bulk.updateIn(unit, row, claimed);
    const charge = await deps.limiter.chargeIssuanceIn(unit, clicker.oid, job.counts.ready, now, {
      approved: job.needsApproval,
    });
    if (!('slots' in charge))
      return { ok: false, problem: limitProblem(charge, { timeZone: job.timeZone, now }), job };
    deps.audit.appendIn(unit, bulkEvent('bulk.started', claimed, clicker, `${job.counts.ready} passes`));
    try {
      const etags = await deps.bulk.commit(unit);
      return { ok: true, row: { value: claimed, etag: etags[slot]! } };
    } catch (error) {
      const outcome = await claimNotCommitted(deps, { row, claimed, clicker, slot, charge, error });
      // A counter moved meanwhile and nothing landed: read the counters again (the claim still holds).
      if (outcome !== 'retry') return outcome;
      const latest = await deps.bulk.get(id);
      if (latest?.etag !== row.etag) return alreadyIssuing();
      if (attempt >= MAX_CLAIM_ATTEMPTS) throw error;
    }
  }
}

/** A claim whose counters kept losing to other charges this often is given up as an error. */
const MAX_CLAIM_ATTEMPTS = 20;

const alreadyIssuing = () => ({
  ok: false as const,
  problem: problem('BULK_STATE_CHANGED', { decision: 'already being issued' }),
});

/**
 * The claim's unit failed. When the claim itself lost, someone else is issuing. On Azure Tables
 * the claim may have landed while another part did not: a counter that lost to a racing charge is
 * counted on its own (or the claim handed back when the window is now full), and the issuing index
 * and the trail are written again. Anything else is thrown, with nothing claimed on SQLite.
 */
async function claimNotCommitted(
  deps: BulkDeps,
  c: {
    row: StoredRow<BulkJob>;
    claimed: BulkJob;
    clicker: Person;
    slot: number;
    charge: Charge;
    error: unknown;
  },
): Promise<{ ok: true; row: StoredRow<BulkJob> } | { ok: false; problem: Problem; job?: BulkJob } | 'retry'> {
  const written = writtenBy(c.error);
  if (!written.includes(c.slot)) {
    if (!(c.error instanceof ConflictError)) throw c.error;
    return c.error.index === c.slot ? alreadyIssuing() : 'retry';
  }
  const claimedRow = await deps.bulk.get(c.claimed.id);
  if (!claimedRow) throw c.error;
  const hit = await deps.limiter.settle(c.charge, written);
  if (hit) {
    const back = await deps.bulk.update(claimedRow, { ...c.row.value });
    return {
      ok: false,
      problem: limitProblem(hit, { timeZone: c.row.value.timeZone, now: deps.clock.now() }),
      job: back.value,
    };
  }
  await deps.bulk.markIssuing(c.claimed.id);
  await auditAfterTheFact(
    deps,
    bulkEvent('bulk.started', c.claimed, c.clicker, `${c.claimed.counts.ready} passes`),
  );
  return { ok: true, row: claimedRow };
}

/** The stored bulk, if the clicker is the one who asked for it: the card's id is never proof. */
export async function requesterRow(
  deps: BulkDeps,
  id: string,
  clicker: Person,
): Promise<{ ok: true; row: StoredRow<BulkJob> } | { ok: false; problem: Problem; job?: BulkJob }> {
  const row = await deps.bulk.get(id);
  if (!row) return { ok: false, problem: problem('REQUEST_NOT_FOUND') };
  if (row.value.requester.oid !== clicker.oid)
    return {
      ok: false,
      problem: problem('BULK_NOT_YOURS', { requesterName: row.value.requester.name }),
      job: row.value,
    };
  return { ok: true, row };
}

export function stateText(job: BulkJob): string {
  switch (job.state) {
    case 'pending':
      return 'waiting for its confirmation';
    case 'awaiting':
      return 'waiting for a second admin to approve it';
    case 'approved':
      return `approved by ${job.approval?.decidedBy?.name ?? 'a second admin'}`;
    case 'issuing':
      return 'being issued';
    default:
      return job.state;
  }
}

/**
 * Issues a claimed bulk: chunks of up to 20 creates in one $batch each, `concurrency` at a time, on
 * behalf of the clicker. Rows are marked 'posting' before their batch is sent; a 429 puts a row back
 * to 'ready' (Graph did not run it), every worker waits out Retry-After and the shared send window
 * narrows to what the write budget takes; a row whose outcome Graph did not report is 'unknown' and
 * never sent again. Created passes go to `passes` only.
 */
export async function runBulk(
  deps: BulkDeps,
  graph: TapGraph,
  claimed: StoredRow<BulkJob>,
  passes: PassRow[],
  onProgress: (progress: BulkProgress) => void,
  /** An onboarding bulk's device writes, with the clicker's DeviceManagementServiceConfig.ReadWrite.All token. */
  devices?: DeviceWriteGraph,
): Promise<BulkJob> {
  const job = claimed.value;
  const clicker = job.run!.by;
  const gate = new ThrottleGate();
  const window = new SendWindow(deps.concurrency * MAX_CREATES_PER_BATCH);
  const progress: BulkProgress = { total: job.counts.ready, issued: 0, failed: 0, unknown: 0 };
  const heartbeat = setInterval(
    () => {
      deps.bulk
        .patch(job.id, (j) =>
          j.state === 'issuing' && j.run?.instance === deps.instanceId
            ? { ...j, run: { ...j.run, heartbeatAt: deps.clock.now().toISOString() } }
            : null,
        )
        .catch((error: unknown) => deps.onBackgroundError('bulk.heartbeat', error));
    },
    Math.max(200, Math.min(5_000, (deps.leaseSeconds * 1000) / 3)),
  );
  const indexes = Array.from({ length: job.chunkCount }, (_, i) => i);
  const deviceRun = devices ? newDeviceRun(devices) : undefined;
  const run: BulkRun = { deps, graph, job, clicker, gate, window, passes, progress, onProgress, deviceRun };
  try {
    await forEachConcurrent(indexes, deps.concurrency, async (index) => {
      const row = await deps.bulk.getChunk(job.id, index);
      if (row) await issueChunk(run, row);
    });
  } catch (error) {
    // A chunk that broke (the store, a read that kept failing) leaves its rows 'ready' (not started)
    // or 'posting' (unknown); the others finished. The bulk still ends here, and the passes created
    // so far still go to the clicker.
    deps.onBackgroundError('bulk.chunk', error);
  } finally {
    clearInterval(heartbeat);
  }
  const chunks = (await deps.bulk.chunks(job)).map((c) => c.value);
  // An onboarding bulk's file also says which devices were set, so it is offered without passes too.
  const holding = passes.length > 0 || chunks.some((c) => c.items.some((i) => i.device?.part === 'updated'));
  const result = resultOf(chunks, deps.clock.now().toISOString(), holding ? 'waiting' : 'none');
  const done = await deps.bulk.patch(job.id, (j) =>
    j.state === 'issuing' ? { ...j, state: 'done', result } : null,
  );
  await deps.bulk
    .unmarkIssuing(job.id)
    .catch((error: unknown) => deps.onBackgroundError('bulk.unmark', error));
  await auditAfterTheFact(
    deps,
    bulkEvent(
      'bulk.finished',
      job,
      clicker,
      `${result.issued} issued, ${result.failed} failed, ${result.unknown} unknown, ${result.notStarted} not started`,
    ),
  );
  return done?.value ?? { ...job, state: 'done', result };
}

/** One running bulk, as every chunk of it sees it: built once per run, shared by the chunks. */
interface BulkRun {
  deps: BulkDeps;
  /** The clicker's delegated Graph access: every create is theirs. */
  graph: TapGraph;
  job: BulkJob;
  clicker: Person;
  /** Shared pacing: one gate honours the longest Retry-After, one window bounds creates in flight. */
  gate: ThrottleGate;
  window: SendWindow;
  /** Created passes, in memory only, for the clicker's file. */
  passes: PassRow[];
  progress: BulkProgress;
  onProgress: (progress: BulkProgress) => void;
  /** Onboarding bulks: the device part, run for each chunk before its creates. */
  deviceRun?: DeviceRun;
}

async function issueChunk(run: BulkRun, start: StoredRow<BulkChunk>): Promise<void> {
  const { deps, graph, job, clicker, gate, window, progress, onProgress } = run;
  let row = await recheckChunk(deps, graph, job, start, gate);
  await report(
    deps,
    job,
    clicker,
    row.value.items.filter((i) => i.state === 'failed'),
    progress,
  );
  if (job.onboarding) {
    // Never a pass without its device part: no device client means nothing of this chunk is sent.
    if (!run.deviceRun) throw new Error('An onboarding bulk runs only with a device client');
    const parts = await setDevices(deps, run.deviceRun, job, clicker, row);
    row = parts.row;
    progress.failed += parts.failed;
  }
  onProgress({ ...progress });
  const giveUpAt = performance.now() + THROTTLED_GIVE_UP_MS;
  for (;;) {
    const ready = row.value.items.filter(
      (i) => i.state === 'ready' && (!job.onboarding || i.device?.part === 'updated'),
    );
    if (ready.length === 0) return;
    if (performance.now() > giveUpAt) {
      row = await setItems(deps, job.id, row, ready, () => ({ state: 'failed', code: 'TAP_THROTTLED' }));
      const gaveUp = new Set(ready.map((i) => i.target.id));
      await report(
        deps,
        job,
        clicker,
        row.value.items.filter((i) => gaveUp.has(i.target.id)),
        progress,
      );
      return;
    }
    const slot = await window.take(ready.length);
    let throttled = 0;
    try {
      await gate.pass();
      row = await setItems(deps, job.id, row, ready.slice(0, slot.count), (i) => ({
        state: 'posting',
        posts: i.posts + 1,
      }));
      const sent = row.value.items.filter((i) => i.state === 'posting');
      const results = await sendCreates(graph, sent);
      throttled = results.filter((r) => !r.ok && r.failure.status === 429).length;
      row = await recordResults(run, row, sent, results);
    } finally {
      window.done(slot.count, throttled, slot.at);
    }
    onProgress({ ...progress });
  }
}

/** One $batch of creates; a failure of the whole request becomes every row's failure. */
async function sendCreates(graph: TapGraph, sent: BulkItem[]): Promise<BatchCreateResult[]> {
  try {
    return await graph.createTaps(
      sent.map((i) => ({ userId: i.target.id, body: createBody(i.plan) })),
      AbortSignal.timeout(BATCH_TIMEOUT_MS),
    );
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    return sent.map((i) => ({ userId: i.target.id, ok: false, failure: error }));
  }
}

/**
 * Writes what Graph said about each sent row: issued (the pass goes to `passes` only), back to
 * 'ready' after a 429 (Graph did not run it), 'unknown' when Graph did not say, else 'failed'. The
 * chunk and the audit events of the rows that ended are one commit.
 */
async function recordResults(
  run: BulkRun,
  row: StoredRow<BulkChunk>,
  sent: BulkItem[],
  results: BatchCreateResult[],
): Promise<StoredRow<BulkChunk>> {
  const { deps, job, clicker, gate, passes, progress } = run;
  const byUser = new Map(results.map((r) => [r.userId, r]));
  const next = changedChunk(row, sent, (item) => {
    const r = byUser.get(item.target.id);
    if (!r) return { state: 'unknown', code: 'TAP_OUTCOME_UNKNOWN' };
    if (r.ok) {
      const expiresAt = new Date(
        Date.parse(r.pass.startDateTime) + r.pass.lifetimeInMinutes * 60_000,
      ).toISOString();
      passes.push(passRow(item, r.pass, expiresAt));
      return { state: 'issued', methodId: r.pass.id, startDateTime: r.pass.startDateTime, expiresAt };
    }
    if (r.failure.status === 429) {
      gate.block(r.failure.retryAfterSeconds);
      return { state: 'ready' };
    }
    if (r.failure.outcomeUnknown) return { state: 'unknown', code: 'TAP_OUTCOME_UNKNOWN' };
    const code = problemForGraphFailure(r.failure, {
      operation: 'create',
      targetName: item.target.displayName,
      who: item.target.userPrincipalName,
    }).code;
    return { state: 'failed', code };
  });
  const sentIds = new Set(sent.map((i) => i.target.id));
  const ended = next.items.filter((i) => sentIds.has(i.target.id) && i.state !== 'ready');
  const unit = new UnitOfWork();
  const slot = deps.bulk.updateChunkIn(unit, job.id, row, next);
  for (const event of endedEvents(job, clicker, ended)) deps.audit.appendIn(unit, event);
  try {
    const etags = await deps.bulk.commit(unit);
    countEnded(progress, ended);
    return { value: next, etag: etags[slot]! };
  } catch (error) {
    const written = writtenBy(error);
    countEnded(progress, ended);
    if (written.includes(slot)) {
      // Azure Tables: the chunk landed, part of its trail did not: that part once more.
      deps.onBackgroundError('bulk.results', error);
      const rest = new UnitOfWork();
      unit.writes.forEach((w, i) => (written.includes(i) ? undefined : rest.add(w)));
      await deps.bulk.commit(rest).catch((again: unknown) => deps.onBackgroundError('bulk.results', again));
      const chunk = await deps.bulk.getChunk(job.id, next.index);
      if (!chunk) throw error;
      return chunk;
    }
    // Nothing landed: the chunk on its own (a lost condition throws, as it always did), then the trail.
    const chunk = await deps.bulk.updateChunk(job.id, row, next);
    await auditAll(deps, endedEvents(job, clicker, ended));
    return chunk;
  }
}

/** Audit events whose action already happened, as one commit; each is reported when that fails. */
async function auditAll(deps: BulkDeps, events: NewAuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  const unit = new UnitOfWork();
  for (const event of events) deps.audit.appendIn(unit, event);
  try {
    await deps.bulk.commit(unit);
  } catch (error) {
    for (const event of events) deps.onBackgroundError(`audit.${event.type}`, error);
  }
}

/**
 * The directory may have changed since the confirmation card (minutes, or an hour of approval):
 * re-read every row just before its first create, and count it against the person's daily limit.
 */
async function recheckChunk(
  deps: BulkDeps,
  graph: TapGraph,
  job: BulkJob,
  row: StoredRow<BulkChunk>,
  gate: ThrottleGate,
): Promise<StoredRow<BulkChunk>> {
  const fresh = row.value.items.filter((i) => i.state === 'ready' && i.posts === 0);
  if (fresh.length === 0) return row;
  // Both read batches of a chunk at once: the re-check costs one round trip, not two.
  const found = await lookupAll(
    graph,
    fresh.map((i) => i.target.id),
    2,
    gate,
  );
  const people = fresh.flatMap((i) => {
    const hit = found.get(i.target.id);
    return hit?.user ? [{ id: hit.user.id, roles: hit.roles }] : [];
  });
  const privileged = await privilegedAmong(people, deps.roleReader, deps.concurrency);
  const now = deps.clock.now();
  const codes = new Map<string, string>();
  for (const item of fresh) {
    const user = found.get(item.target.id)?.user;
    const barrier = barrierFor(user, job.requester.oid, !!user && privileged.has(user.id), 'direct');
    if (barrier) codes.set(item.target.id, barrier);
    else if (await deps.limiter.takeTarget(item.target.id, now))
      codes.set(item.target.id, 'LIMIT_TARGET_DAY');
  }
  if (codes.size === 0) return row;
  return setItems(
    deps,
    job.id,
    row,
    fresh.filter((i) => codes.has(i.target.id)),
    (i) => ({
      state: 'failed',
      code: codes.get(i.target.id)!,
    }),
  );
}

/** Writes new states for some items of a chunk with one conditional write. */
async function setItems(
  deps: BulkDeps,
  jobId: string,
  row: StoredRow<BulkChunk>,
  items: readonly BulkItem[],
  change: (item: BulkItem) => Partial<BulkItem>,
): Promise<StoredRow<BulkChunk>> {
  return deps.bulk.updateChunk(jobId, row, changedChunk(row, items, change));
}

/** The chunk with `change` applied to some of its items. */
function changedChunk(
  row: StoredRow<BulkChunk>,
  items: readonly BulkItem[],
  change: (item: BulkItem) => Partial<BulkItem>,
): BulkChunk {
  const ids = new Set(items.map((i) => i.target.id));
  return {
    ...row.value,
    items: row.value.items.map((item) => (ids.has(item.target.id) ? { ...item, ...change(item) } : item)),
  };
}

/** Counts ended items and audits each one, as a single pass would be. */
async function report(
  deps: BulkDeps,
  job: BulkJob,
  clicker: Person,
  items: BulkItem[],
  progress: BulkProgress,
) {
  countEnded(progress, items);
  for (const event of endedEvents(job, clicker, items)) await auditAfterTheFact(deps, event);
}

function countEnded(progress: BulkProgress, items: readonly BulkItem[]): void {
  for (const item of items) {
    if (item.state === 'issued') progress.issued += 1;
    else if (item.state === 'unknown') progress.unknown += 1;
    else if (item.state === 'failed') progress.failed += 1;
  }
}

/** The audit event of each ended item, as a single pass's would be. */
function endedEvents(job: BulkJob, clicker: Person, items: readonly BulkItem[]): NewAuditEvent[] {
  return items.flatMap((item): NewAuditEvent[] => {
    if (item.state !== 'issued' && item.state !== 'unknown' && item.state !== 'failed') return [];
    const type =
      item.state === 'issued'
        ? 'tap.issued'
        : item.state === 'unknown'
          ? 'tap.outcome_unknown'
          : 'tap.failed';
    return [
      {
        type,
        requestId: job.id,
        actor: { oid: clicker.oid, name: clicker.name },
        target: item.target,
        ...(item.plan.lifetimeMinutes !== undefined ? { lifetimeMinutes: item.plan.lifetimeMinutes } : {}),
        ...(item.plan.isUsableOnce !== undefined ? { isUsableOnce: item.plan.isUsableOnce } : {}),
        ...(item.startDateTime ? { startDateTime: item.startDateTime } : {}),
        ...(item.expiresAt ? { expiresAt: item.expiresAt } : {}),
        ...(item.methodId ? { methodId: item.methodId } : {}),
        ...(item.code ? { code: item.code } : {}),
        reason: 'bulk',
      },
    ];
  });
}
