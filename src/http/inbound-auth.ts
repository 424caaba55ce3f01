import type { IncomingMessage } from 'node:http';
import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Refusal } from './inbound-body.js';

/** The part of the library's Bot Framework authentication the early check uses. */
export type TokenCheck = Pick<ConfigurationBotFrameworkAuthentication, 'authenticateStreamingRequest'>;

/** TapDesk is a Teams app; its tokens must be endorsed for the Teams channel. */
const CHANNEL_ID = 'msteams';

/** jsonwebtoken's errors for a bad signature, audience or lifetime, which the library rethrows as they are. */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

function isTokenRejection(error: unknown): boolean {
  const e = error as { statusCode?: unknown; name?: unknown } | undefined;
  return e?.statusCode === 401 || e?.statusCode === 403 || TOKEN_ERRORS.has(String(e?.name));
}

/**
 * Checks the Bot Framework token before the body is read, with the library's own validation (issuer,
 * signature, audience = our app id, lifetime, Teams endorsement), so nothing unauthenticated costs a
 * read or a parse. The only check left for the adapter is the one that needs the activity: that the
 * token's serviceUrl claim matches the activity's, which it does when it validates again.
 */
export async function refuseUnauthenticated(auth: TokenCheck, req: IncomingMessage): Promise<Refusal | null> {
  const header = req.headers.authorization ?? '';
  if (!/^Bearer\s+\S+$/i.test(header)) return { status: 401, reason: 'no_bearer_token' };
  try {
    await auth.authenticateStreamingRequest(header, CHANNEL_ID);
    return null;
  } catch (error) {
    if (isTokenRejection(error)) return { status: 401, reason: 'token_rejected' };
    // The signing keys could not be fetched: our problem, worth a retry by the channel.
    return { status: 503, reason: 'token_check_unavailable', detail: String((error as Error)?.name) };
  }
}
