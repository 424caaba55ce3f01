/**
 * Graph throttles per app and tenant, not per request: once one item hears 429 + Retry-After,
 * every worker waits it out before sending again ("retry after the longest Retry-After").
 */
export class ThrottleGate {
  private openAt = 0;
  waits = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  block(retryAfterSeconds: number | undefined): void {
    // Graph always sends Retry-After with a 429; one second is its documented minimum back-off.
    const until = this.now() + Math.max(0.05, retryAfterSeconds ?? 1) * 1000;
    if (until > this.openAt) this.openAt = until;
  }

  async pass(): Promise<void> {
    for (;;) {
      const wait = this.openAt - this.now();
      if (wait <= 0) return;
      this.waits += 1;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** Runs `work` over `items` with at most `limit` in flight; the first error is thrown after all settle. */
export async function forEachConcurrent<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        await work(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
}

/**
 * How many creates may be in flight across all workers. Retry-After says when to come back, not how
 * much will fit then: re-sending every throttled row each time wastes most of the budget on 429s and
 * can starve a chunk. So the window halves when a batch sent after the last cut hears 429 (once per
 * round of congestion) and grows by one row per clean batch: it settles near what the write budget
 * takes per round trip, and stays wide open while Graph does not throttle at all.
 */
export class SendWindow {
  private size: number;
  private inFlight = 0;
  private lastCut = -Infinity;
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly max: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.size = max;
  }

  get current(): number {
    return Math.floor(this.size);
  }

  /** Waits for room; returns how many of `wanted` rows may be sent now (at least one) and when. */
  async take(wanted: number): Promise<{ count: number; at: number }> {
    while (this.inFlight >= this.current) await new Promise<void>((resolve) => this.waiters.push(resolve));
    const count = Math.max(1, Math.min(wanted, this.current - this.inFlight));
    this.inFlight += count;
    return { count, at: this.now() };
  }

  /** Reports a batch taken at `at`: `throttled` of its `sent` rows heard 429. */
  done(sent: number, throttled: number, at: number): void {
    this.inFlight -= sent;
    if (throttled > 0) {
      if (at >= this.lastCut) {
        this.size = Math.max(1, this.size / 2);
        this.lastCut = this.now();
      }
    } else this.size = Math.min(this.max, this.size + 1);
    for (const wake of this.waiters.splice(0)) wake();
  }
}
