/** Intune's enrollment-service window (next-wave §3.6). */
export const intuneWindowMs = 20_000;

/** Requests per 20 s: writes (POST/PUT/PATCH/DELETE) and all requests, per app and per tenant. */
export const IntuneLimits = {
  writesPerApp: 100,
  writesPerTenant: 200,
  requestsPerApp: 1_000,
  requestsPerTenant: 2_000,
} as const;

/** Timestamps (ms) of the requests admitted in the last window, oldest first. */
class SlidingWindow {
  private stamps: number[] = [];

  constructor(private readonly limit: number) {}

  /** Milliseconds until a request fits, 0 when one fits now. */
  waitMs(now: number): number {
    while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= now - intuneWindowMs) this.stamps.shift();
    if (this.stamps.length < this.limit) return 0;
    return (this.stamps[this.stamps.length - this.limit] ?? now) + intuneWindowMs - now;
  }

  add(now: number): void {
    this.stamps.push(now);
  }
}

/**
 * Intune's documented limits applied to Autopilot calls: a sliding 20 s window per app (the token's
 * client) and per tenant, for writes and for all requests. Time is the sandbox clock's, so a test
 * moves it forward instead of waiting. Refused requests are not counted, so the Retry-After it
 * returns is exactly when the oldest admitted request leaves the window.
 */
export class IntuneThrottle {
  private readonly windows = new Map<string, SlidingWindow>();

  private window(key: string, limit: number): SlidingWindow {
    let found = this.windows.get(key);
    if (!found) {
      found = new SlidingWindow(limit);
      this.windows.set(key, found);
    }
    return found;
  }

  /** Admits one request of `appId` at `now` (ms), or returns the whole seconds to wait (at least 1). */
  admit(
    appId: string,
    isWrite: boolean,
    now: number,
  ): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const windows = [
      this.window(`all:app:${appId}`, IntuneLimits.requestsPerApp),
      this.window('all:tenant', IntuneLimits.requestsPerTenant),
    ];
    if (isWrite)
      windows.push(
        this.window(`write:app:${appId}`, IntuneLimits.writesPerApp),
        this.window('write:tenant', IntuneLimits.writesPerTenant),
      );
    const waitMs = Math.max(...windows.map((w) => w.waitMs(now)));
    if (waitMs > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    for (const w of windows) w.add(now);
    return { ok: true };
  }
}
