/** One sliding-window rule: at most `limit` sends in any `windowMs`. */
export interface RateRule {
  limit: number;
  windowMs: number;
}

/** Teams' documented per-bot, per-conversation limits (graph-tap-contract.md §7). */
export const TEAMS_CONVERSATION_RULES: readonly RateRule[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];

/** Teams allows about this many requests per second per app per tenant, across all instances. */
export const TEAMS_TENANT_RATE_PER_SECOND = 50;

/** Tuning of a RateLimiter; the defaults are Teams' documented limits. */
export interface RateLimiterOptions {
  conversationRules?: readonly RateRule[];
  /**
   * This instance's share of the tenant-wide limit. The limiter only sees its own sends, so with N
   * instances set it to about 50 / N (NOTICE_TENANT_RATE_PER_SECOND in config.ts).
   */
  tenantRatePerSecond?: number;
  /** Added to every window: a send we time at t reaches Teams a little later, and timers can fire early. */
  marginMs?: number;
  /** Wall-clock milliseconds; Teams counts in real time even when the bot's clock is the sandbox's. */
  now?: () => number;
}

/** Sorted send times of one conversation (or of the whole instance), oldest first. */
type Times = number[];

/**
 * In-memory sliding windows per conversation and for the instance, plus "do not send before" times
 * from Retry-After. Callers check and record in one synchronous step (`tryAcquire`), so concurrent
 * senders in this process cannot both take the last slot.
 */
export class RateLimiter {
  private readonly rules: readonly RateRule[];
  private readonly tenantRule: RateRule;
  private readonly margin: number;
  private readonly longestMs: number;
  private readonly sent = new Map<string, Times>();
  private readonly tenant: Times = [];
  private readonly pausedUntil = new Map<string, number>();
  private globalPauseUntil = 0;
  /** Wall-clock milliseconds used by every method; injectable for tests. */
  readonly now: () => number;

  constructor(options: RateLimiterOptions = {}) {
    this.rules = options.conversationRules ?? TEAMS_CONVERSATION_RULES;
    const rate = options.tenantRatePerSecond ?? TEAMS_TENANT_RATE_PER_SECOND;
    if (!(rate > 0)) throw new Error(`tenantRatePerSecond must be positive, got ${rate}`);
    // Rounded down: 50 / 3 instances must not add up to 51 per second.
    this.tenantRule = { limit: Math.max(1, Math.floor(rate)), windowMs: 1_000 };
    this.margin = options.marginMs ?? 50;
    this.longestMs = Math.max(this.tenantRule.windowMs, ...this.rules.map((r) => r.windowMs)) + this.margin;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until a send to this conversation would respect every window and pause (0 = now). */
  delayMs(conversationId: string, at = this.now()): number {
    let wait = Math.max(0, (this.pausedUntil.get(conversationId) ?? 0) - at, this.globalPauseUntil - at);
    const own = this.sent.get(conversationId) ?? [];
    for (const rule of this.rules) wait = Math.max(wait, this.ruleDelay(own, rule, at));
    return Math.max(wait, this.ruleDelay(this.tenant, this.tenantRule, at));
  }

  /** Records a send now if no window or pause forbids it; returns 0 then, else the delay and records nothing. */
  tryAcquire(conversationId: string): number {
    const at = this.now();
    const wait = this.delayMs(conversationId, at);
    if (wait > 0) return wait;
    let own = this.sent.get(conversationId);
    if (!own) this.sent.set(conversationId, (own = []));
    own.push(at);
    this.tenant.push(at);
    this.prune(own, at);
    this.prune(this.tenant, at);
    return 0;
  }

  /**
   * The slot granted last for this conversation is being used now: re-times it to now. Between the
   * grant and the send the row is claimed (a durable write), which on a busy machine can outlast the
   * margin, and Teams counts sends when they arrive. A conversation's sends are sequential, so its
   * newest time is the slot being used; re-timing only ever moves a time later (more waiting).
   */
  markSending(conversationId: string): void {
    const own = this.sent.get(conversationId);
    const granted = own?.at(-1);
    const at = this.now();
    if (!own || granted === undefined || at <= granted) return;
    own[own.length - 1] = at;
    const index = this.tenant.lastIndexOf(granted);
    if (index < 0) return;
    this.tenant.splice(index, 1);
    let insertAt = this.tenant.length;
    while (insertAt > 0 && this.tenant[insertAt - 1]! > at) insertAt--;
    this.tenant.splice(insertAt, 0, at);
  }

  /**
   * Waits for a slot and takes it. Returns false, taking nothing, when the slot is more than
   * `maxWaitMs` away (the caller reschedules instead of holding a tick) or the signal aborts.
   */
  async acquire(
    conversationId: string,
    options: { maxWaitMs?: number; signal?: AbortSignal; sleep?: Sleep } = {},
  ): Promise<boolean> {
    const deadline = this.now() + (options.maxWaitMs ?? Infinity);
    const sleep = options.sleep ?? realSleep;
    for (;;) {
      if (options.signal?.aborted) return false;
      const wait = this.tryAcquire(conversationId);
      if (wait === 0) return true;
      if (this.now() + wait > deadline) return false;
      await sleep(wait, options.signal);
    }
  }

  /** Teams answered 429 for this conversation: nothing goes to it before `untilMs`. */
  pause(conversationId: string, untilMs: number): void {
    this.pausedUntil.set(conversationId, Math.max(untilMs, this.pausedUntil.get(conversationId) ?? 0));
  }

  /** Teams throttled the whole app: nothing goes anywhere before `untilMs`. */
  pauseAll(untilMs: number): void {
    this.globalPauseUntil = Math.max(this.globalPauseUntil, untilMs);
  }

  /** Forgets conversations with no send inside the longest window and expired pauses (bounds memory). */
  sweep(): void {
    const at = this.now();
    for (const [id, times] of this.sent) {
      this.prune(times, at);
      if (times.length === 0) this.sent.delete(id);
    }
    for (const [id, until] of this.pausedUntil) if (until <= at) this.pausedUntil.delete(id);
  }

  /** How long until the oldest of the last `limit` sends leaves the window ending at `at`. */
  private ruleDelay(times: Times, rule: RateRule, at: number): number {
    if (times.length < rule.limit) return 0;
    const oldestCounted = times[times.length - rule.limit]!;
    return Math.max(0, oldestCounted + rule.windowMs + this.margin - at);
  }

  /** Drops times older than every window, so each list holds at most about 1,800 entries. */
  private prune(times: Times, at: number): void {
    let stale = 0;
    while (stale < times.length && times[stale]! <= at - this.longestMs) stale++;
    if (stale > 0) times.splice(0, stale);
  }
}

/** Waits `ms` (or until the signal aborts); injectable so tests can run without real delays. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** setTimeout as a promise that settles early, without throwing, when the signal aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
