import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { KeysUnavailableError, type TenantKeys } from './tenant-keys.js';

/** The app role a system needs to ask TapDesk for a pass (aad.manifest.json declares it). */
export const REQUEST_APP_ROLE = 'TapDesk.Request';

/** Entra tolerates a few minutes of clock skew; so does TapDesk, a little less. */
const CLOCK_TOLERANCE_SECONDS = 120;

export interface AppTokenRules {
  tenantId: string;
  /** `{authorityHost}/{tenantId}/v2.0`: TapDesk's API accepts v2 tokens only. */
  issuer: string;
  /** TapDesk's client id: a v2 token for an API always carries it as `aud`. */
  audience: string;
  /** REQUEST_API_CLIENTS: client id → the name cards show for that system. */
  clients: ReadonlyMap<string, string>;
}

export type AppTokenCheck =
  | { ok: true; clientId: string; name: string }
  /** 401: no token, or one that is not a valid Entra app token for TapDesk; 403: valid, but not allowed. */
  | { ok: false; status: 401 | 403; error: 'invalid_token' | 'insufficient_scope'; reason: string }
  | { ok: false; status: 503; error: 'temporarily_unavailable'; reason: string };

const refuse = (status: 401 | 403, reason: string): AppTokenCheck => ({
  ok: false,
  status,
  error: status === 401 ? 'invalid_token' : 'insufficient_scope',
  reason,
});

/**
 * Checks an `Authorization: Bearer` header as Entra's docs ask of an API called by daemons: the
 * signature against the tenant's published keys (RS256 only), issuer (pinned tenant, v2), audience,
 * lifetime, then that it is an app-only token (no `scp`, `idtyp` app when present) carrying the
 * TapDesk.Request app role, from a client on the allow-list. `reason` is for the log and the
 * WWW-Authenticate header: it never echoes the token or its claims.
 */
export async function checkAppToken(
  header: string | undefined,
  rules: AppTokenRules,
  keys: TenantKeys,
): Promise<AppTokenCheck> {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header ?? '');
  if (!match) return refuse(401, 'no bearer token');
  const token = match[1]!;
  let claims: JWTPayload;
  try {
    const { kid } = decodeProtectedHeader(token);
    const resolver = await keys.resolverFor(kid);
    ({ payload: claims } = await jwtVerify(token, resolver, {
      algorithms: ['RS256'],
      issuer: rules.issuer,
      audience: rules.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat'],
    }));
  } catch (error) {
    if (error instanceof KeysUnavailableError)
      return { ok: false, status: 503, error: 'temporarily_unavailable', reason: 'signing keys unavailable' };
    return refuse(401, rejectionOf(error));
  }
  if (claims.tid !== rules.tenantId) return refuse(401, 'wrong tenant');
  // A delegated token (a person's) has scp; TapDesk.Request is for applications only.
  if (claims.scp !== undefined || (claims.idtyp !== undefined && claims.idtyp !== 'app'))
    return refuse(401, 'not an app-only token');
  const clientId = typeof claims.azp === 'string' ? claims.azp.toLowerCase() : '';
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  if (!roles.includes(REQUEST_APP_ROLE)) return refuse(403, `missing app role ${REQUEST_APP_ROLE}`);
  const name = rules.clients.get(clientId);
  if (name === undefined) return refuse(403, 'client not in REQUEST_API_CLIENTS');
  return { ok: true, clientId, name };
}

/** Why jose refused it, in a few fixed words (never its message, which may quote claims). */
export function rejectionOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown signing key';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'wrong audience';
    if (error.claim === 'iss') return 'wrong issuer';
    if (error.claim === 'nbf') return 'not yet valid';
    return `bad ${error.claim} claim`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  return 'malformed token';
}
