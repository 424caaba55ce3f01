import type { TurnContext } from 'botbuilder';

/**
 * Where the acting user's SSO assertion (the token Teams hands a bot for its own API) comes from.
 * In Teams it rides on card clicks (value.authentication.token) or arrives via the message-turn
 * token exchange; the sandbox plugs in a source whose local tenant issues the one Teams would have given.
 */
export interface AssertionSource {
  assertionFor(context: TurnContext, userOid: string, signal?: AbortSignal): Promise<string | null>;
  /** Called when Teams delivers a fresh assertion (token exchange) so later message turns can use it. */
  remember(userOid: string, assertion: string): void;
}

/** One entry per signed-in admin; the oldest goes first if a tenant somehow has more. */
const MAX_REMEMBERED = 10_000;

/** The SSO token Teams puts on a card click (value.authentication.token), if any. */
export function clickToken(context: TurnContext): string | null {
  const token = (context.activity.value as { authentication?: { token?: unknown } } | undefined)
    ?.authentication?.token;
  return typeof token === 'string' && token.length > 0 ? token : null;
}

function expiryOf(assertion: string): number {
  try {
    const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

/**
 * Real Teams: a token on the click wins; otherwise the last assertion Teams gave us for this user,
 * kept in memory only and only while it has more than a minute to live. Entra checks it in OBO;
 * reading `exp` here only avoids a round trip for a token that is certainly stale.
 */
export class TeamsAssertions implements AssertionSource {
  private readonly byUser = new Map<string, { assertion: string; expiresAt: number }>();

  async assertionFor(context: TurnContext, userOid: string): Promise<string | null> {
    const fromClick = clickToken(context);
    if (fromClick) return fromClick;
    const cached = this.byUser.get(userOid);
    if (cached && cached.expiresAt - 60_000 > Date.now()) return cached.assertion;
    this.byUser.delete(userOid);
    return null;
  }

  remember(userOid: string, assertion: string): void {
    if (this.byUser.size >= MAX_REMEMBERED) this.byUser.delete(this.byUser.keys().next().value!);
    this.byUser.set(userOid, { assertion, expiresAt: expiryOf(assertion) });
  }
}
