/** The bot's sense of time; the sandbox can move it so expiry paths are testable without waiting. */
export interface Clock {
  now(): Date;
  /** Refreshes an external time source; called once at the start of each turn. */
  sync(signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sync: async () => {},
};

/** Follows the sandbox tenant's clock offset (POST /_sandbox/clock) so bot and tenant agree on "now". */
export class SandboxClock implements Clock {
  private offsetMs = 0;

  constructor(
    private readonly sandboxUrl: string,
    private readonly fetchJson: (url: string, signal?: AbortSignal) => Promise<unknown>,
  ) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  async sync(signal?: AbortSignal): Promise<void> {
    const body = (await this.fetchJson(`${this.sandboxUrl}/clock`, signal)) as { offsetMinutes?: unknown };
    if (typeof body.offsetMinutes === 'number') this.offsetMs = body.offsetMinutes * 60_000;
  }
}
