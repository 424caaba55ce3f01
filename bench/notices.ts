import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/clock.js';
import type { Notice, NoticeRecipient, NoticeSender } from '../src/notices/notice.js';
import { NoticeQueue, type NewNotice } from '../src/notices/queue.js';
import { RateLimiter } from '../src/notices/rate-limiter.js';
import { NoticeScheduler } from '../src/notices/scheduler.js';
import { SqliteRowStore } from '../src/store/sqlite.js';

/** Sizes of the notices benchmark. */
export interface NoticesBenchOptions {
  /** Rows in the table for the tick measurements. */
  rows: number;
  /** Notices in the lateness burst, spread over `conversations`. */
  burst: number;
  conversations: number;
}

/** Cost of one scheduler tick with `due` of `totalRows` rows due, averaged over `repeats` ticks. */
export interface TickCost {
  due: number;
  totalRows: number;
  repeats: number;
  cpuMsPerTick: number;
  wallMsPerTick: number;
  cpuUsPerDueNotice: number;
}

/** Everything the notices benchmark measured. */
export interface NoticesReport {
  options: NoticesBenchOptions;
  ticks: TickCost[];
  lateness: { notices: number; conversations: number; p50Ms: number; p99Ms: number; maxMs: number };
}

/** Full: 100,000 rows and a 1,000-notice burst; quick (CI): 20,000 rows and a 200-notice burst. */
export function noticesBenchOptions(quick: boolean): NoticesBenchOptions {
  return quick
    ? { rows: 20_000, burst: 200, conversations: 50 }
    : { rows: 100_000, burst: 1_000, conversations: 50 };
}

/** Records sends in memory: no I/O, so a tick's cost is the engine's and the store's. */
class NullSender implements NoticeSender {
  readonly sentAt: number[] = [];
  async conversationOf(recipient: NoticeRecipient): Promise<string | null> {
    return recipient.kind === 'conversation' ? recipient.conversationId : recipient.userOid;
  }
  async send(_notice: Notice, _conversationId: string): Promise<void> {
    this.sentAt.push(Date.now());
  }
}

const newNotice = (id: string, dueMs: number, conversations: number, i: number): NewNotice => ({
  id,
  kind: 'expiring.issuer',
  dueAt: new Date(dueMs).toISOString(),
  recipient: { kind: 'conversation', conversationId: `conv-${i % conversations}` },
  requestId: `req-${id}`,
  card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: `Notice ${id}` }] },
});

const unlimited = () =>
  new RateLimiter({ conversationRules: [{ limit: 1e9, windowMs: 1_000 }], tenantRatePerSecond: 1e9 });

/**
 * CPU per tick with few vs many rows due among the same total, and the lateness of a burst paced by
 * Teams' limits. SQLite with synchronous=NORMAL, so fsync does not drown the engine's own cost.
 */
export async function benchNotices(options: NoticesBenchOptions): Promise<NoticesReport> {
  const dir = mkdtempSync(join(tmpdir(), 'tapdesk-bench-notices-'));
  try {
    const ticks: TickCost[] = [];
    for (const due of [10, 10_000]) ticks.push(await measureTicks(join(dir, `tick-${due}.db`), options, due));
    const lateness = await measureLateness(join(dir, 'burst.db'), options);
    return { options, ticks, lateness };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureTicks(path: string, options: NoticesBenchOptions, due: number): Promise<TickCost> {
  const store = SqliteRowStore.open(path, { synchronous: 'NORMAL' });
  const queue = new NoticeQueue(store);
  const now = Date.parse('2026-11-22T10:00:00.000Z');
  const clock = { now: () => new Date(now) };
  const future = options.rows - due;
  for (let i = 0; i < future; i++) await queue.schedule(newNotice(`f${i}`, now + 3_600_000 + i, 50, i));
  const scheduler = new NoticeScheduler({
    queue,
    sender: new NullSender(),
    clock,
    limiter: unlimited(),
    onGiveUp: () => {},
    batch: due,
  });
  const repeats = due <= 100 ? 50 : 3;
  let cpu = 0;
  let wall = 0;
  for (let r = 0; r < repeats; r++) {
    // Refill what the previous tick sent, so every tick sees `due` due rows among `rows`.
    for (let i = 0; i < due; i++) await queue.schedule(newNotice(`d${r}-${i}`, now - 1 - i, 50, i));
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    const stats = await scheduler.tick();
    wall += performance.now() - wallStart;
    const used = process.cpuUsage(cpuStart);
    cpu += (used.user + used.system) / 1_000;
    if (stats.sent !== due) throw new Error(`tick sent ${stats.sent} of ${due}`);
  }
  await store.close();
  return {
    due,
    totalRows: options.rows,
    repeats,
    cpuMsPerTick: round(cpu / repeats),
    wallMsPerTick: round(wall / repeats),
    cpuUsPerDueNotice: round((cpu * 1_000) / repeats / due),
  };
}

async function measureLateness(path: string, options: NoticesBenchOptions) {
  const store = SqliteRowStore.open(path, { synchronous: 'NORMAL' });
  const queue = new NoticeQueue(store);
  const sender = new NullSender();
  const dueAt = new Map<string, number>();
  const start = Date.now();
  for (let i = 0; i < options.burst; i++) {
    const notice = await queue.schedule(newNotice(`b${i}`, start, options.conversations, i));
    dueAt.set(notice.id, Date.parse(notice.dueAt));
  }
  const late: number[] = [];
  const recording: NoticeSender = {
    conversationOf: (r) => sender.conversationOf(r),
    send: async (notice) => void late.push(Date.now() - dueAt.get(notice.id)!),
  };
  // Teams' real limits: 7/1 s, 8/2 s, 60/30 s, 1,800/h per conversation and 50/s for the instance.
  const scheduler = new NoticeScheduler({
    queue,
    sender: recording,
    clock: systemClock,
    limiter: new RateLimiter(),
    onGiveUp: () => {},
    tickMs: 100,
  });
  scheduler.start();
  while (late.length < options.burst) await new Promise((r) => setTimeout(r, 50));
  await scheduler.stop();
  await store.close();
  late.sort((a, b) => a - b);
  const pct = (p: number) => late[Math.min(late.length - 1, Math.floor((p / 100) * late.length))]!;
  return {
    notices: options.burst,
    conversations: options.conversations,
    p50Ms: pct(50),
    p99Ms: pct(99),
    maxMs: late.at(-1)!,
  };
}

const round = (n: number) => Math.round(n * 1_000) / 1_000;

/** The human-readable table. */
export function formatNoticesTable(r: NoticesReport, quick: boolean): string {
  const header = `${'due'.padStart(7)} ${'rows'.padStart(8)} ${'ticks'.padStart(5)} ${'cpu ms/tick'.padStart(12)} ${'wall ms/tick'.padStart(13)} ${'cpu µs/notice'.padStart(14)}`;
  const lines = r.ticks.map(
    (t) =>
      `${String(t.due).padStart(7)} ${String(t.totalRows).padStart(8)} ${String(t.repeats).padStart(5)} ` +
      `${t.cpuMsPerTick.toFixed(2).padStart(12)} ${t.wallMsPerTick.toFixed(2).padStart(13)} ` +
      `${t.cpuUsPerDueNotice.toFixed(1).padStart(14)}`,
  );
  const l = r.lateness;
  return [
    `Notices benchmark (${quick ? `quick: ${r.options.rows.toLocaleString('en')} rows, not 100,000` : 'full'}): ` +
      'SQLite (synchronous=NORMAL), sender without I/O, rate limits off for the tick rows.',
    'One tick = read due rows, claim (replace), send, delete each; CPU = process.cpuUsage() user+system.',
    '',
    header,
    '-'.repeat(header.length),
    ...lines,
    '',
    `Lateness (send − due) of ${l.notices} notices due at once over ${l.conversations} conversations under ` +
      `Teams' limits (per conversation 7/1 s, 8/2 s; 50/s per instance): p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, ` +
      `max ${l.maxMs} ms.`,
  ].join('\n');
}

/** One machine-readable line; CI can grep for `"bench":"notices"`. */
export function formatNoticesJson(r: NoticesReport, quick: boolean, totalMs: number): string {
  return JSON.stringify({
    bench: 'notices',
    mode: quick ? 'quick' : 'full',
    totalMs: Math.round(totalMs),
    ...r,
  });
}
