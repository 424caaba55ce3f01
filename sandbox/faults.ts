import type { SeededRandom } from './random.js';

/** Fault settings from `POST /_sandbox/faults`; every field optional, updates merge. */
export interface FaultSettings {
  latencyMs?: number;
  failRate?: number;
  failStatus?: number;
  writeLimitPerMinute?: number;
  /** Capacity of the write bucket (default: writeLimitPerMinute, i.e. one minute of writes at once). */
  writeBurst?: number;
  /** Injected failures (`failRate`) hit only POST/PUT/PATCH/DELETE operations; reads stay clean. */
  failWritesOnly?: boolean;
}

const numberFields = ['latencyMs', 'failRate', 'failStatus', 'writeLimitPerMinute', 'writeBurst'] as const;
type NumberField = (typeof numberFields)[number];
const isNumberField = (key: string): key is NumberField => (numberFields as readonly string[]).includes(key);

/** Validates a faults update; returns an error text for bad input. */
export function parseFaultUpdate(input: unknown): FaultSettings | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return 'body must be a JSON object';
  const update: FaultSettings = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'reset') continue;
    if (key !== 'failWritesOnly' && !isNumberField(key)) return `unknown field ${key}`;
    if (value === null) continue;
    if (key === 'failWritesOnly') {
      if (typeof value !== 'boolean') return 'failWritesOnly must be true or false';
      update.failWritesOnly = value;
      continue;
    }
    const min = key === 'writeBurst' ? 1 : 0;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
      return `${key} must be a number >= ${min}`;
    if (key === 'failRate' && value > 1) return 'failRate must be between 0 and 1';
    if (key === 'failStatus' && (value < 400 || value > 599)) return 'failStatus must be 4xx or 5xx';
    update[key] = value;
  }
  return update;
}

/**
 * Token bucket over Graph writes: `capacity` tokens (default N), refilled continuously at N per 60 s
 * of real time, so a client that waits the returned Retry-After always finds a token.
 */
export class WriteBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;

  constructor(
    private readonly perMinute: number,
    capacity: number = perMinute,
    // Injectable so tests do not depend on how fast the machine runs the takes.
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.last = nowMs();
    // A limit of 0 allows nothing, whatever the burst says.
    this.capacity = perMinute === 0 ? 0 : capacity;
    this.tokens = this.capacity;
  }

  /** Takes one token, or returns the seconds to wait (rounded up to 0.1 s, never 0). */
  take(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.nowMs();
    const ratePerMs = this.perMinute / 60_000;
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * ratePerMs);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    if (ratePerMs === 0) return { ok: false, retryAfterSeconds: 60 };
    const waitSeconds = (1 - this.tokens) / ratePerMs / 1000;
    return { ok: false, retryAfterSeconds: Math.max(0.1, Math.ceil(waitSeconds * 10) / 10) };
  }
}

/** The live fault state: settings, the seeded failure stream and the write bucket. */
export class FaultInjector {
  settings: FaultSettings = {};
  private bucket: WriteBucket | undefined;

  constructor(private readonly random: SeededRandom) {}

  /** Merges an update; an empty update clears everything; a new write limit or burst starts a full bucket. */
  update(update: FaultSettings): void {
    if (Object.keys(update).length === 0) {
      this.settings = {};
      this.bucket = undefined;
      return;
    }
    this.settings = { ...this.settings, ...update };
    if ('writeLimitPerMinute' in update || 'writeBurst' in update) {
      const limit = this.settings.writeLimitPerMinute;
      this.bucket =
        limit === undefined ? undefined : new WriteBucket(limit, this.settings.writeBurst ?? limit);
    }
  }

  /** Waits the configured latency; with `failWritesOnly`, only writes are slowed (reads answer at once). */
  async delay(isWrite: boolean): Promise<void> {
    if (this.settings.failWritesOnly === true && !isWrite) return;
    const ms = this.settings.latencyMs ?? 0;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /**
   * Rolls the seeded dice for one operation; returns the status to fail with, if any. With
   * `failWritesOnly`, reads neither fail nor consume the stream, so write failures stay reproducible.
   */
  injectedFailure(isWrite: boolean): number | undefined {
    const rate = this.settings.failRate ?? 0;
    if (rate <= 0 || (this.settings.failWritesOnly === true && !isWrite)) return undefined;
    return this.random.next() < rate ? (this.settings.failStatus ?? 503) : undefined;
  }

  /** Charges one write against the bucket. */
  chargeWrite(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    return this.bucket ? this.bucket.take() : { ok: true };
  }
}
