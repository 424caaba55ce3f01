import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Dispatcher } from 'undici';

/** Entra rolls its signing keys over days; a day-old copy is fresh enough, an unknown kid refetches. */
const MAX_AGE_MS = 24 * 60 * 60_000;
/** A token naming a kid nobody published must not make every request fetch the keys again. */
const REFETCH_COOLDOWN_MS = 5 * 60_000;
const FETCH_TIMEOUT_MS = 5_000;
/** Without any keys, a failed fetch is not tried again for every incoming token, only after this. */
const FAILURE_BACKOFF_MS = 10_000;

/** Thrown when the keys could not be fetched: TapDesk's problem (503), not the caller's token (401). */
export class KeysUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeysUnavailableError';
  }
}

/**
 * The tenant's token-signing keys, from its JWKS document (`{authority}/{tenant}/discovery/v2.0/keys`),
 * kept in memory: fetched on first use, again after a day, and again (at most every five minutes)
 * when a token names a key the copy does not have, which is how a key rollover shows.
 */
export class TenantKeys {
  private keys: { set: JWTVerifyGetKey; kids: Set<string>; at: number } | undefined;
  /** When a token's unknown kid last made us fetch: the cooldown counts from there. */
  private lastUnknownKidFetch = -Infinity;
  private inflight: Promise<void> | undefined;
  private lastFailure = -Infinity;

  constructor(
    readonly url: string,
    private readonly dispatcher?: Dispatcher,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key resolver jose verifies with, fresh enough for a token signed with `kid`. */
  async resolverFor(kid: string | undefined): Promise<JWTVerifyGetKey> {
    const stale = !this.keys || this.now() - this.keys.at > MAX_AGE_MS;
    const unknownKid = !!this.keys && kid !== undefined && !this.keys.kids.has(kid);
    if (unknownKid && !stale && this.now() - this.lastUnknownKidFetch > REFETCH_COOLDOWN_MS) {
      this.lastUnknownKidFetch = this.now();
      await this.refresh();
    } else if (stale) {
      // Anyone can send a token: while the keys cannot be fetched, callers are not each a fetch.
      if (!this.keys && this.now() - this.lastFailure < FAILURE_BACKOFF_MS)
        throw new KeysUnavailableError('signing keys unavailable (backing off)');
      await this.refresh();
    }
    if (!this.keys) throw new KeysUnavailableError('no signing keys');
    return this.keys.set;
  }

  private refresh(): Promise<void> {
    // Concurrent requests share one fetch.
    this.inflight ??= this.fetchKeys().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async fetchKeys(): Promise<void> {
    let body: JSONWebKeySet;
    try {
      const response = await fetch(this.url, {
        redirect: 'error',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      } as RequestInit);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = (await response.json()) as JSONWebKeySet;
      if (!Array.isArray(body?.keys)) throw new Error('no keys array');
    } catch (error) {
      // A copy we still hold keeps working; without one the caller answers 503.
      this.lastFailure = this.now();
      if (this.keys) return;
      throw new KeysUnavailableError(`signing keys unavailable: ${(error as Error).message}`);
    }
    const kids = new Set(body.keys.map((k) => k.kid).filter((k): k is string => typeof k === 'string'));
    this.keys = { set: createLocalJWKSet(body), kids, at: this.now() };
  }
}
