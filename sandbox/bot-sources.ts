import { readFileSync } from 'node:fs';
import type { TurnContext } from 'botbuilder';
import type { Dispatcher } from 'undici';
import type { BotOptions } from '../src/bot.js';
import type { Clock } from '../src/clock.js';
import type { TapDeskConfig } from '../src/config.js';
import { dispatcherTrusting } from '../src/http-json.js';
import { clickToken, type AssertionSource } from '../src/teams/assertions.js';

/**
 * What the sandbox plugs into the bot (startBot's options) so it runs against the local tenant:
 * the tenant's clock and the tenant minting the SSO assertions Teams would hand over. The bot itself
 * knows nothing of the sandbox; in production it uses the system clock and Teams' assertions.
 */

/** Small JSON helpers for the sandbox admin API; they fail loudly with the status and URL. */
function jsonClient(dispatcher: Dispatcher | undefined) {
  const call = async (url: string, init: RequestInit, signal?: AbortSignal): Promise<unknown> => {
    const response = await fetch(url, {
      ...init,
      signal,
      ...(dispatcher ? { dispatcher } : {}),
    } as RequestInit);
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}`);
    return response.json();
  };
  return {
    getJson: (url: string, signal?: AbortSignal) => call(url, { method: 'GET' }, signal),
    postJson: (url: string, body: unknown, signal?: AbortSignal) =>
      call(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        signal,
      ),
  };
}

/** Follows the sandbox tenant's clock offset (POST /_sandbox/clock) so bot and tenant agree on "now". */
export class TenantClock implements Clock {
  private offsetMs = 0;
  private readonly getJson: (url: string, signal?: AbortSignal) => Promise<unknown>;

  constructor(
    private readonly sandboxUrl: string,
    dispatcher: Dispatcher | undefined,
  ) {
    this.getJson = jsonClient(dispatcher).getJson;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  async sync(signal?: AbortSignal): Promise<void> {
    const body = (await this.getJson(`${this.sandboxUrl}/clock`, signal)) as { offsetMinutes?: unknown };
    if (typeof body.offsetMinutes === 'number') this.offsetMs = body.offsetMinutes * 60_000;
  }
}

/** The local tenant plays Teams and mints the SSO assertion for the user who acted. */
export class SandboxAssertions implements AssertionSource {
  private readonly postJson: (url: string, body: unknown, signal?: AbortSignal) => Promise<unknown>;

  constructor(
    private readonly sandboxUrl: string,
    dispatcher: Dispatcher | undefined,
  ) {
    this.postJson = jsonClient(dispatcher).postJson;
  }

  async assertionFor(context: TurnContext, userOid: string, signal?: AbortSignal): Promise<string | null> {
    const fromClick = clickToken(context);
    if (fromClick) return fromClick;
    const body = (await this.postJson(`${this.sandboxUrl}/sso-token`, { user: userOid }, signal)) as {
      token?: unknown;
    };
    return typeof body.token === 'string' ? body.token : null;
  }

  remember(): void {}
}

/**
 * The clock and assertion source for a bot in sandbox mode (talking to the admin API at SANDBOX_URL,
 * trusting the sandbox CA); nothing for any other config, so the bot keeps its production defaults.
 */
export function sandboxBotSources(config: TapDeskConfig): Pick<BotOptions, 'clock' | 'assertions'> {
  if (config.mode !== 'sandbox' || !config.sandboxUrl) return {};
  const dispatcher = dispatcherTrusting(config.caFile ? readFileSync(config.caFile, 'utf8') : undefined);
  return {
    clock: new TenantClock(config.sandboxUrl, dispatcher),
    assertions: new SandboxAssertions(config.sandboxUrl, dispatcher),
  };
}
