import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { rejectionOf } from '../http/entra-app-token.js';
import { KeysUnavailableError, type TenantKeys } from '../http/tenant-keys.js';

const CLOCK_TOLERANCE_SECONDS = 120;

export interface CalloutTokenRules {
  tenantId: string;
  /** Both forms Entra issues for the tenant: v1 (sts.windows.net) and v2 (login…/v2.0). */
  issuers: string[];
  /** The extension's azureAdTokenAuthentication resourceId: TapDesk's client id (or its App ID URI). */
  audiences: string[];
  /** The one app this route accepts callouts from (ENTRA_EXTENSION_CALLERS). */
  callerAppId: string;
}

export type CalloutTokenCheck =
  { ok: true; callerAppId: string } | { ok: false; status: 401 | 403 | 503; reason: string };

/**
 * A custom extension callout's `Authorization: Bearer` token ("Regular" token security), checked as
 * Entra's docs ask of the Logic App policies: signature from the tenant's keys, issuer of the pinned
 * tenant, audience the extension's resourceId, lifetime, app-only, and `azp`/`appid` the first-party
 * app of that kind of extension. No app role: Entra's first-party apps hold none of TapDesk's.
 */
export async function checkCalloutToken(
  header: string | undefined,
  rules: CalloutTokenRules,
  keys: TenantKeys,
): Promise<CalloutTokenCheck> {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header ?? '');
  if (!match) return { ok: false, status: 401, reason: 'no bearer token' };
  let claims: JWTPayload;
  try {
    const token = match[1]!;
    const resolver = await keys.resolverFor(decodeProtectedHeader(token).kid);
    ({ payload: claims } = await jwtVerify(token, resolver, {
      algorithms: ['RS256'],
      issuer: rules.issuers,
      audience: rules.audiences,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat'],
    }));
  } catch (error) {
    if (error instanceof KeysUnavailableError)
      return { ok: false, status: 503, reason: 'signing keys unavailable' };
    return { ok: false, status: 401, reason: rejectionOf(error) };
  }
  if (claims.tid !== rules.tenantId) return { ok: false, status: 401, reason: 'wrong tenant' };
  if (claims.scp !== undefined || (claims.idtyp !== undefined && claims.idtyp !== 'app'))
    return { ok: false, status: 401, reason: 'not an app-only token' };
  const caller = String(claims.azp ?? claims.appid ?? '').toLowerCase();
  if (caller !== rules.callerAppId)
    return { ok: false, status: 403, reason: 'caller not in ENTRA_EXTENSION_CALLERS' };
  return { ok: true, callerAppId: caller };
}
