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
