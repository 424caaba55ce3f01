/** The sandbox clock: real time plus an offset that tests move forward to expire passes. */
export class SandboxClock {
  private offsetMs = 0;

  /** Current sandbox time. */
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves the sandbox clock by n minutes (negative moves it back). */
  advanceMinutes(n: number): void {
    this.offsetMs += n * 60_000;
  }

  /** Offset from real time, in minutes. */
  get offsetMinutes(): number {
    return this.offsetMs / 60_000;
  }

  /** Back to real time. */
  reset(): void {
    this.offsetMs = 0;
  }
}
