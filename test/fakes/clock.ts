// A clock the test sets and moves; implements the Clock port (src/clock.ts), sync included.
import type { Clock } from '../../src/clock.js';

export class FakeClock implements Clock {
  /** The time now() answers; set it directly or with set() / advance(). */
  current: Date;
  /** How many times sync() was called (the bot calls it once per turn). */
  syncs = 0;
  /** What the next sync() does, e.g. move the clock as an external time source would, or throw. */
  onSync?: (clock: FakeClock, signal?: AbortSignal) => void | Promise<void>;

  constructor(start: Date | string = '2026-05-04T10:00:00.000Z') {
    this.current = new Date(start);
  }

  now(): Date {
    // A copy: a caller mutating the Date it got must not move the clock.
    return new Date(this.current.getTime());
  }

  async sync(signal?: AbortSignal): Promise<void> {
    this.syncs += 1;
    signal?.throwIfAborted();
    await this.onSync?.(this, signal);
  }

  set(at: Date | string): this {
    this.current = new Date(at);
    return this;
  }

  advance(ms: number): this {
    this.current = new Date(this.current.getTime() + ms);
    return this;
  }

  advanceSeconds(s: number): this {
    return this.advance(s * 1000);
  }

  advanceMinutes(m: number): this {
    return this.advance(m * 60_000);
  }

  /** now() as an ISO string, for building rows. */
  iso(): string {
    return this.current.toISOString();
  }
}
