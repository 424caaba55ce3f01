import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { appGraphClient, type AppGraphOptions } from './app-client.js';
import { TAP_POLICY_PATH } from './client.js';
import { toGraphFailure } from './failure.js';
import type { TapPolicy } from './port.js';

/** The application permission the app-only policy read needs; without it in APP_PERMISSIONS, none is built. */
export const POLICY_READER_PERMISSION = 'Policy.Read.AuthenticationMethod';

/** How long a policy read is reused: policy edits are rare, and Entra checks every create anyway. */
export const POLICY_CACHE_MS = 5 * 60_000;
/** After a failed app-only read, the delegated read is used this long before trying again. */
export const POLICY_RETRY_MS = 60_000;
const READ_TIMEOUT_MS = 5_000;

export interface PolicyRead {
  read(signal?: AbortSignal): Promise<TapPolicy>;
}

/** The tenant TAP policy read with TapDesk's OWN app-only token (Policy.Read.AuthenticationMethod). */
export class AppPolicyReader implements PolicyRead {
  constructor(private readonly options: AppGraphOptions) {}

  async read(signal?: AbortSignal): Promise<TapPolicy> {
    const client = await appGraphClient(this.options, signal);
    const request = client.api(TAP_POLICY_PATH);
    try {
      return (await (signal ? request.option('signal', signal) : request).get()) as TapPolicy;
    } catch (error) {
      throw toGraphFailure(error);
    }
  }
}

/**
 * The tenant policy for every card, whoever asks: one app-only read shared by all turns for
 * POLICY_CACHE_MS on the bot's clock. Concurrent first reads wait for the same request. When the
 * read fails, `current` answers undefined (the caller then reads it delegated, as before) and the
 * failure is logged once until a read succeeds again.
 */
export class TenantPolicy {
  private cached: { policy: TapPolicy | undefined; until: number } | undefined;
  private inFlight: Promise<TapPolicy | undefined> | undefined;
  private failing = false;

  constructor(
    private readonly reader: PolicyRead,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  current(): Promise<TapPolicy | undefined> {
    const now = this.clock.now().getTime();
    if (this.cached && now < this.cached.until) return Promise.resolve(this.cached.policy);
    // One read at a time; it is not tied to any one turn's signal, so a turn that gives up cannot
    // abort the read every other turn is waiting for.
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async refresh(): Promise<TapPolicy | undefined> {
    try {
      const policy = await this.reader.read(AbortSignal.timeout(READ_TIMEOUT_MS));
      this.cached = { policy, until: this.clock.now().getTime() + POLICY_CACHE_MS };
      if (this.failing) this.log.info({ event: 'policy.app_read_recovered' }, 'policy.app_read_recovered');
      this.failing = false;
      return policy;
    } catch (error) {
      const failure = toGraphFailure(error);
      this.cached = { policy: undefined, until: this.clock.now().getTime() + POLICY_RETRY_MS };
      if (!this.failing)
        this.log.warn(
          { event: 'policy.app_read_failed', status: failure.status, code: failure.code },
          `The app-only read of the TAP policy failed (${failure.status} ${failure.code}); cards use each admin's own read until it works again.`,
        );
      this.failing = true;
      return undefined;
    }
  }
}
