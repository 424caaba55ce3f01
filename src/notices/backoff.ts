/** Milliseconds to wait before the next try, given how many tries have failed so far (1, 2, ...). */
export type Backoff = (failures: number) => number;

/** Tuning of exponentialBackoff. */
export interface BackoffOptions {
  baseMs?: number;
  factor?: number;
  capMs?: number;
  /** ±fraction of the delay, so notices that failed together do not all come back in the same second. */
  jitter?: number;
  random?: () => number;
}

/** base × factor^(failures-1), capped, jittered: 5 s, 15 s, 45 s, 2¼ min, 6¾ min, then 15 min by default. */
export function exponentialBackoff(options: BackoffOptions = {}): Backoff {
  const { baseMs = 5_000, factor = 3, capMs = 15 * 60_000, jitter = 0.2, random = Math.random } = options;
  return (failures) => {
    const plain = Math.min(capMs, baseMs * factor ** Math.max(0, failures - 1));
    return Math.max(1, Math.round(plain * (1 + jitter * (2 * random() - 1))));
  };
}
