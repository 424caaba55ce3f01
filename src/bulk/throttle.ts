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
