import type { Clock } from '../clock.js';
import type { ListedRow } from '../store/port.js';
import type { Backoff } from './backoff.js';
import { DeliveryError, type Notice, type NoticeSender } from './notice.js';
import { toNotice, type Claimed, type GiveUpReason, type NoticeQueue, type NoticeRow } from './queue.js';
import type { RateLimiter, Sleep } from './rate-limiter.js';

/** What one tick did; `lostRace` counts rows another instance held or took first. */
export interface TickStats {
  due: number;
  claimed: number;
  sent: number;
  retried: number;
  gaveUp: number;
  lostRace: number;
  /** Moved later because the rate limits had no slot within `maxWaitMs`; not a failure. */
  deferred: number;
  /** Unexpected errors (store, callback); the row is left leased and retried when the lease ends. */
  errors: number;
}

/** Where a due row goes: a conversation, nowhere (unreachable), or unknown because the lookup threw. */
export type Target = { conversationId: string } | { unreachable: true } | { lookupError: unknown };

/** Everything a delivery needs; built once by the scheduler. */
export interface DeliveryContext {
  queue: NoticeQueue;
  sender: NoticeSender;
  clock: Pick<Clock, 'now'>;
  limiter: RateLimiter;
  onGiveUp(notice: Notice, reason: GiveUpReason): Promise<void> | void;
  onError(error: unknown, notice?: Notice): void;
  maxAttempts: number;
  backoff: Backoff;
  instanceId: string;
  leaseMs: number;
  maxWaitMs: number;
  sendTimeoutMs: number;
  sleep: Sleep;
}

/** Rows that need no send: a give-up or a move an instance did not finish. */
export const isBookkeeping = (row: NoticeRow): boolean =>
  row.giveUp !== undefined || row.movedTo !== undefined;

/**
 * Takes one due row as far as it goes this tick: rate-limit slot, claim, send, then delete, move for a
 * retry, or give up. Never throws; what went wrong lands in `stats` and `onError`.
 */
export async function deliver(
  ctx: DeliveryContext,
  listed: ListedRow<NoticeRow>,
  target: Target,
  stats: TickStats,
  signal?: AbortSignal,
): Promise<void> {
  try {
    const conversationId = 'conversationId' in target ? target.conversationId : undefined;
    // The slot comes before the claim, so a lease covers only the send itself and cannot run out
    // while the notice waits for a slot.
    if (conversationId !== undefined && !isBookkeeping(listed.value)) {
      const granted = await ctx.limiter.acquire(conversationId, {
        maxWaitMs: ctx.maxWaitMs,
        signal,
        sleep: ctx.sleep,
      });
      if (signal?.aborted) return; // stopping: leave the row unclaimed for the next instance or start
      if (!granted) return await defer(ctx, listed, conversationId, stats);
    }
    const claimed = await ctx.queue.claim(listed, ctx.clock.now(), ctx.leaseMs, ctx.instanceId);
    if (claimed === 'leased' || claimed === 'lost') return void stats.lostRace++;
    stats.claimed++;
    await afterClaim(ctx, claimed, target, stats);
  } catch (error) {
    stats.errors++;
    ctx.onError(error, toNotice(listed.value));
  }
}

async function afterClaim(ctx: DeliveryContext, claimed: Claimed, target: Target, stats: TickStats) {
  const row = claimed.row;
  if (row.giveUp) return giveUp(ctx, claimed, row.giveUp, stats);
  if (row.movedTo) {
    if (!(await ctx.queue.finishMove(claimed))) stats.lostRace++;
    return;
  }
  if ('unreachable' in target) return giveUp(ctx, claimed, 'unreachable', stats, 'no conversation');
  if ('lookupError' in target) return failed(ctx, claimed, target.lookupError, stats);
  if (row.attempts >= ctx.maxAttempts) return giveUp(ctx, claimed, 'failed', stats);
  await ctx.queue.dropPredecessor(claimed);
  ctx.limiter.markSending(target.conversationId);
  try {
    await ctx.sender.send(toNotice(row), target.conversationId, AbortSignal.timeout(ctx.sendTimeoutMs));
  } catch (error) {
    return failed(ctx, claimed, error, stats, target.conversationId);
  }
  stats.sent++;
  // Sent but no longer ours: the lease ran out mid-send, so another instance may send it too.
  if (!(await ctx.queue.complete(claimed)))
    ctx.onError(new Error('notice lease lost during send'), toNotice(row));
}

/** A send (or lookup) failed: give up, come back when Teams said, or back off. */
async function failed(
  ctx: DeliveryContext,
  claimed: Claimed,
  error: unknown,
  stats: TickStats,
  conversationId?: string,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  const lastError = message.slice(0, 500);
  const attempts = claimed.row.attempts + 1;
  if (error instanceof DeliveryError && error.permanent) {
    return giveUp(ctx, { ...claimed, row: { ...claimed.row, attempts } }, 'permanent', stats, lastError);
  }
  if (error instanceof DeliveryError && error.retryAfterMs !== undefined) {
    // Throttling is Teams pacing us, not the notice failing: no attempt is counted, and the
    // conversation is paused so nothing else is sent to it before Teams allows.
    const wait = Math.max(0, error.retryAfterMs);
    if (conversationId !== undefined) ctx.limiter.pause(conversationId, ctx.limiter.now() + wait);
    return moveLater(ctx, claimed, wait, { lastError }, stats, 'retried');
  }
  if (attempts >= ctx.maxAttempts) {
    return giveUp(ctx, { ...claimed, row: { ...claimed.row, attempts } }, 'failed', stats, lastError);
  }
  await moveLater(ctx, claimed, ctx.backoff(attempts), { attempts, lastError }, stats, 'retried');
}

/** No rate-limit slot soon enough: claim it and move it to when one should be free. */
async function defer(
  ctx: DeliveryContext,
  listed: ListedRow<NoticeRow>,
  conversationId: string,
  stats: TickStats,
): Promise<void> {
  const claimed = await ctx.queue.claim(listed, ctx.clock.now(), ctx.leaseMs, ctx.instanceId);
  if (claimed === 'leased' || claimed === 'lost') return void stats.lostRace++;
  stats.claimed++;
  await moveLater(ctx, claimed, ctx.limiter.delayMs(conversationId), {}, stats, 'deferred');
}

async function moveLater(
  ctx: DeliveryContext,
  claimed: Claimed,
  delayMs: number,
  change: Partial<Pick<Notice, 'attempts' | 'lastError'>>,
  stats: TickStats,
  counter: 'retried' | 'deferred',
): Promise<void> {
  const dueAt = new Date(ctx.clock.now().getTime() + delayMs);
  if (await ctx.queue.move(claimed, dueAt, change, ctx.leaseMs)) stats[counter]++;
  else stats.lostRace++;
}

/** Marks the row, tells the callback (audit), then deletes it; a crash in between repeats the callback only. */
async function giveUp(
  ctx: DeliveryContext,
  claimed: Claimed,
  reason: GiveUpReason,
  stats: TickStats,
  lastError?: string,
): Promise<void> {
  const marked = claimed.row.giveUp ? claimed : await ctx.queue.markGiveUp(claimed, reason, lastError);
  if (!marked) return void stats.lostRace++;
  await ctx.onGiveUp(toNotice(marked.row), reason);
  if (await ctx.queue.complete(marked)) stats.gaveUp++;
  else stats.lostRace++;
}
