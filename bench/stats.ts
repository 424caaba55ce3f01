/** One timed run: per-turn latencies plus the wall time they took together. */
export interface RunResult {
  latenciesMs: number[];
  wallMs: number;
  failures: number;
}

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  turnsPerSec: number;
  failures: number;
}

/** A turn to time: resolves true when it did what it should (checked after the clock stops). */
export type Turn = (i: number) => Promise<() => boolean>;

/**
 * Runs `warmup` untimed turns, then `n` timed turns with at most `concurrency` in flight.
 * Latency is measured per turn; throughput is n over the wall time of the timed part only.
 */
export async function runTurns(
  turn: Turn,
  n: number,
  warmup: number,
  concurrency: number,
): Promise<RunResult> {
  let failures = 0;
  const timed = async (i: number, record: boolean) => {
    const started = performance.now();
    const check = await turn(i).catch(() => () => false);
    const ms = performance.now() - started;
    if (!check()) failures++;
    if (record) latencies.push(ms);
  };
  const latencies: number[] = [];
  for (let i = 0; i < warmup; i++) await timed(i, false);
  failures = 0;
  let next = warmup;
  const end = warmup + n;
  const started = performance.now();
  const worker = async () => {
    while (next < end) await timed(next++, true);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { latenciesMs: latencies, wallMs: performance.now() - started, failures };
}

/** Nearest-rank percentile; with 30 samples p99 is simply the slowest, which the report says. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(run: RunResult): Summary {
  const sorted = [...run.latenciesMs].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    turnsPerSec: round((sorted.length / run.wallMs) * 1000),
    failures: run.failures,
  };
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
