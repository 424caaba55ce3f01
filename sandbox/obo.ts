import { decodeJwt, type JWTPayload } from 'jose';
import type { SandboxContext } from './context.js';
import { jsonResponse, type SandboxResponse } from './http.js';
import { oauthError } from './oauth-errors.js';
import { pairwiseSubject } from './sso.js';

const graphResource = 'https://graph.microsoft.com';
const oidcScopes = new Set(['openid', 'profile', 'offline_access', 'email']);

type ScopeResult = { ok: true; scopes: string[] } | { ok: false; response: SandboxResponse };

/** Reads a claim of a token without verifying it (only for error messages). */
function unverifiedClaim(token: string, claim: string): string {
  try {
    const value = decodeJwt(token)[claim];
    return Array.isArray(value) ? value.join(',') : String(value ?? '');
  } catch {
    return '';
  }
}

/** Resolves the requested `scope` into consented Graph delegated scopes, like Entra's v2 endpoint. */
function resolveScopes(ctx: SandboxContext, requested: string, correlationId?: string): ScopeResult {
  const fail = (status: number, error: string, code: number, message: string): ScopeResult => ({
    ok: false,
    response: oauthError(status, error, code, message, correlationId),
  });
  const items = requested.split(/\s+/).filter((s) => s !== '' && !oidcScopes.has(s.toLowerCase()));
  if (items.length === 0)
    return fail(400, 'invalid_scope', 70011, "The provided request must include a 'scope' input parameter.");
  const names: string[] = [];
  for (const item of items) {
    let name = item;
    if (/^https?:\/\//i.test(item) || item.startsWith('api://') || item.includes('/')) {
      const cut = item.lastIndexOf('/');
      const resource = item.slice(0, cut).replace(/\/$/, '');
      if (resource.toLowerCase() !== graphResource && resource !== '00000003-0000-0000-c000-000000000000') {
        return fail(
          400,
          'invalid_resource',
          500011,
          `The resource principal named ${resource} was not found in the tenant named ${ctx.fixture.tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
        );
      }
      name = item.slice(cut + 1);
    }
    names.push(name);
  }
  if (names.some((n) => n === '.default')) {
    if (names.length > 1) {
      return fail(
        400,
        'invalid_scope',
        70011,
        `The provided value for the input parameter 'scope' is not valid. The scope ${requested} is not valid. .default scope can't be combined with resource-specific scopes.`,
      );
    }
    return { ok: true, scopes: [...ctx.app.consentedDelegatedScopes] };
  }
  const granted: string[] = [];
  for (const name of names) {
    const consented = ctx.app.consentedDelegatedScopes.find((s) => s.toLowerCase() === name.toLowerCase());
    if (!consented) {
      return fail(
        400,
        'invalid_grant',
        65001,
        `The user or administrator has not consented to use the application with ID '${ctx.app.appId}' named '${ctx.app.displayName}'. Send an interactive authorization request for this user and resource.`,
      );
    }
    if (!granted.includes(consented)) granted.push(consented);
  }
  return { ok: true, scopes: granted };
}

/** Checks the user assertion the way Entra does for OBO; returns its claims or an error response. */
async function checkAssertion(
  ctx: SandboxContext,
  assertion: string,
  correlationId?: string,
): Promise<{ ok: true; claims: JWTPayload } | { ok: false; response: SandboxResponse }> {
  const fail = (code: number, message: string) => ({
    ok: false as const,
    response: oauthError(400, 'invalid_grant', code, message, correlationId),
  });
  const verified = await ctx.signer.verify(assertion, [ctx.app.ssoResource, ctx.app.appId]);
  if (!verified.ok) {
    switch (verified.reason) {
      case 'audience':
        return fail(
          50013,
          `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${unverifiedClaim(assertion, 'aud')}' and the expected audience is '${ctx.app.appId}' or one of the Application Id URIs of this application.`,
        );
      case 'expired':
      case 'notYetValid':
        return fail(
          500133,
          `Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: ${new Date().toISOString()}, expiry time of assertion ${new Date(Number(unverifiedClaim(assertion, 'exp')) * 1000).toISOString()}.`,
        );
      case 'issuer':
        return fail(
          50013,
          'Assertion failed signature validation. [Reason - The provided issuer is not trusted for this tenant.]',
        );
      default:
        return fail(50013, 'Assertion failed signature validation. [Reason - The key was not found.]');
    }
  }
  const claims = verified.claims;
  if (claims.tid !== ctx.tenantId) return fail(50013, 'Assertion contains an invalid tenant identifier.');
  const scp = String(claims.scp ?? '').split(' ');
  if (!scp.includes(ctx.app.ssoScope)) {
    return fail(
      50013,
      `Assertion does not carry the scope '${ctx.app.ssoScope}' exposed by this application.`,
    );
  }
  return { ok: true, claims };
}

/** The jwt-bearer on_behalf_of grant: assertion + scopes → Graph access token, id token, client_info. */
export async function grantOnBehalfOf(
  ctx: SandboxContext,
  form: URLSearchParams,
  correlationId?: string,
): Promise<SandboxResponse> {
  const assertion = form.get('assertion');
  if (!assertion) {
    return oauthError(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'assertion'.",
      correlationId,
    );
  }
  const checked = await checkAssertion(ctx, assertion, correlationId);
  if (!checked.ok) return checked.response;
  const user = ctx.directory.findUser(String(checked.claims.oid ?? ''));
  if (!user) {
    return oauthError(
      400,
      'invalid_grant',
      50034,
      `The user account ${String(checked.claims.oid)} does not exist in the ${ctx.tenantId} directory.`,
      correlationId,
    );
  }
  if (!user.accountEnabled) {
    return oauthError(400, 'invalid_grant', 50057, 'The user account is disabled.', correlationId);
  }
  const scopes = resolveScopes(ctx, form.get('scope') ?? '', correlationId);
  if (!scopes.ok) return scopes.response;

  const identity = {
    oid: user.id,
    tid: ctx.tenantId,
    preferred_username: user.userPrincipalName,
    name: user.displayName,
  };
  const accessToken = await ctx.signer.sign(
    {
      ...identity,
      sub: pairwiseSubject(graphResource, user.id),
      upn: user.userPrincipalName,
      scp: scopes.scopes.join(' '),
      appid: ctx.app.appId,
      azp: ctx.app.appId,
      appidacr: '1',
      azpacr: '1',
      idtyp: 'user',
      wids: ctx.directory.rolesOf(user).map((r) => r.roleTemplateId),
      // The sign-in's methods pass through OBO; no `acrs`, since TapDesk never answers a claims challenge.
      amr: Array.isArray(checked.claims.amr) ? checked.claims.amr : [],
    },
    graphResource,
    3600,
  );
  const idToken = await ctx.signer.sign(
    { ...identity, sub: pairwiseSubject(ctx.app.appId, user.id) },
    ctx.app.appId,
    3600,
  );
  const clientInfo = Buffer.from(JSON.stringify({ uid: user.id, utid: ctx.tenantId })).toString('base64url');
  return jsonResponse(
    200,
    {
      token_type: 'Bearer',
      scope: scopes.scopes.map((s) => `${graphResource}/${s}`).join(' '),
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: accessToken,
      id_token: idToken,
      client_info: clientInfo,
    },
    { 'Cache-Control': 'no-store' },
  );
}
