import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { ListedRow } from '../store/port.js';
import { exponentialBackoff, type Backoff } from './backoff.js';
import { deliver, isBookkeeping, type DeliveryContext, type Target, type TickStats } from './delivery.js';
import type { Notice, NoticeSender } from './notice.js';
import type { GiveUpReason, NoticeQueue, NoticeRow } from './queue.js';
import { realSleep, type RateLimiter, type Sleep } from './rate-limiter.js';

/** Dependencies and tuning of a NoticeScheduler; only the first five are required. */
export interface NoticeSchedulerOptions {
  queue: NoticeQueue;
  sender: NoticeSender;
  /** Due times and leases follow this clock (the sandbox's, when sandboxed); rate limits use real time. */
  clock: Pick<Clock, 'now'>;
  limiter: RateLimiter;
  /** Called once per notice given up on (write the audit event here); a throw retries it later. */
  onGiveUp(notice: Notice, reason: GiveUpReason): Promise<void> | void;
  /** Unexpected errors (store down, callback threw); the engine keeps going. Default: ignored. */
  onError?(error: unknown, notice?: Notice): void;
  /** Tries in all, the first included, before giving up. */
  maxAttempts?: number;
  backoff?: Backoff;
  tickMs?: number;
  /** Due rows read per tick. */
  batch?: number;
  /** Conversations served at once; one conversation's notices always go one after another. */
  concurrency?: number;
  instanceId?: string;
  leaseMs?: number;
  /** Longest a tick waits for a rate-limit slot before moving the notice to a later due time. */
  maxWaitMs?: number;
  /** A send still running after this is abandoned (and retried); well under the lease. */
  sendTimeoutMs?: number;
  /** Waits between ticks and for rate-limit slots; injectable for tests. */
  sleep?: Sleep;
}

const emptyStats = (): TickStats => ({
  due: 0,
  claimed: 0,
  sent: 0,
  retried: 0,
  gaveUp: 0,
  lostRace: 0,
  deferred: 0,
  errors: 0,
});

/**
 * Sends due notices: each tick reads what is due, claims each row just before its send (a lease, so
 * only one instance sends it), paces sends with the rate limiter and retries or gives up on failures.
 * Several instances may run one each against the same store.
 *
 * Delivery is exactly once except in one window: Teams has accepted a send but the row is not yet
 * deleted (the process dies, the store call fails, or the send outlived its lease). The lease then
 * expires and another tick sends the notice again. The window is one store call long; sends are cut
 * off at `sendTimeoutMs` (half the lease) so a slow send rarely outlives the lease. Moving a row for a
 * retry and giving up are written so that a crash at any step causes neither a second send nor a loss.
 */
export class NoticeScheduler {
  private readonly ctx: DeliveryContext;
  private readonly tickMs: number;
  private readonly batch: number;
  private readonly concurrency: number;
  private running?: { abort: AbortController; loop: Promise<void> };
  private lastSweep = 0;

  constructor(options: NoticeSchedulerOptions) {
    const leaseMs = options.leaseMs ?? 60_000;
    this.ctx = {
      queue: options.queue,
      sender: options.sender,
      clock: options.clock,
      limiter: options.limiter,
      onGiveUp: options.onGiveUp,
      onError: options.onError ?? (() => {}),
      maxAttempts: options.maxAttempts ?? 6,
      backoff: options.backoff ?? exponentialBackoff(),
      instanceId: options.instanceId ?? randomUUID(),
      leaseMs,
      maxWaitMs: options.maxWaitMs ?? 5_000,
      sendTimeoutMs: options.sendTimeoutMs ?? Math.floor(leaseMs / 2),
      sleep: options.sleep ?? realSleep,
    };
    this.tickMs = options.tickMs ?? 1_000;
    this.batch = options.batch ?? 200;
    this.concurrency = options.concurrency ?? 8;
  }

  /** One pass over what is due now. Rejects only if the due rows cannot be read. */
  async tick(signal?: AbortSignal): Promise<TickStats> {
    const stats = emptyStats();
    const rows = await this.ctx.queue.due(this.ctx.clock.now(), this.batch);
    stats.due = rows.length;
    const now = this.ctx.clock.now().getTime();
    // Rows another instance is sending are skipped without a write; their lease says so.
    const free = rows.filter((r) => {
      const held = r.value.leaseUntil !== undefined && Date.parse(r.value.leaseUntil) > now;
      if (held) stats.lostRace++;
      return !held;
    });
    const targets = await mapBounded(free, this.concurrency, (row) => this.targetOf(row.value));
    // One lane per conversation keeps its notices in due order; lanes run side by side.
    const lanes = new Map<string, { row: ListedRow<NoticeRow>; target: Target }[]>();
    free.forEach((row, i) => {
      const target = targets[i]!;
      const lane = 'conversationId' in target ? `c:${target.conversationId}` : `n:${row.key}`;
      let list = lanes.get(lane);
      if (!list) lanes.set(lane, (list = []));
      list.push({ row, target });
    });
    await mapBounded([...lanes.values()], this.concurrency, async (lane) => {
      for (const { row, target } of lane) {
        if (signal?.aborted) return;
        await deliver(this.ctx, row, target, stats, signal);
      }
    });
    // Sweeping walks every conversation seen this hour; once a minute keeps ticks proportional to due rows.
    if (this.ctx.limiter.now() - this.lastSweep > 60_000) {
      this.ctx.limiter.sweep();
      this.lastSweep = this.ctx.limiter.now();
    }
    return stats;
  }

  /** Ticks every `tickMs` until `stop()`; a failed tick is reported to onError and the next one runs. */
  start(): void {
    if (this.running) return;
    const abort = new AbortController();
    const loop = (async () => {
      while (!abort.signal.aborted) {
        try {
          await this.tick(abort.signal);
        } catch (error) {
          this.ctx.onError(error);
        }
        await this.ctx.sleep(this.tickMs, abort.signal);
      }
    })();
    this.running = { abort, loop };
  }

  /**
   * Stops ticking and resolves once the tick in flight has finished. Sends already started are left
   * to finish (aborting one Teams may have accepted would only cause a duplicate); waits end at once.
   */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    running.abort.abort();
    await running.loop;
    this.running = undefined;
  }

  private async targetOf(row: NoticeRow): Promise<Target> {
    if (isBookkeeping(row)) return { unreachable: true }; // not sent; the lane is the row's own
    try {
      const conversationId = await this.ctx.sender.conversationOf(row.recipient);
      return conversationId === null ? { unreachable: true } : { conversationId };
    } catch (lookupError) {
      return { lookupError };
    }
  }
}

/** `task` over `items` with at most `width` in flight; results in input order. */
async function mapBounded<I, R>(items: I[], width: number, task: (item: I) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}
