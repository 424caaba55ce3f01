import type { SandboxContext } from './context.js';
import { graphAudiences } from './context.js';
import type { FixtureClientApp } from './fixture.js';
import { jsonResponse, type SandboxResponse } from './http.js';
import { oauthError } from './oauth-errors.js';
import { VERIFIED_ID_RESOURCE } from './verified-id-auth.js';
import { ACS_AUDIENCE } from './sms.js';

/** The audience of the app tokens the sandbox issues for Microsoft Graph (as Entra's v1 Graph tokens). */
const graphAudience = 'https://graph.microsoft.com';

/** Which resource a `{resource}/.default` scope names: Graph, TapDesk's own API, the Verified ID Request Service, or none. */
function resourceOf(
  ctx: SandboxContext,
  resource: string,
): 'graph' | 'tapdesk' | 'verifiedid' | 'acs' | undefined {
  const key = resource.replace(/\/+$/, '').toLowerCase();
  if (graphAudiences.some((a) => a.replace(/\/+$/, '').toLowerCase() === key)) return 'graph';
  // ACS is asked for as `https://communication.azure.com//.default`; access comes from an Azure role, not `roles`.
  if (key === ACS_AUDIENCE) return 'acs';
  if (key === VERIFIED_ID_RESOURCE) return 'verifiedid';
  const api = [ctx.app.ssoResource, ctx.app.appId, `api://${ctx.app.appId}`];
  if (api.some((a) => a.toLowerCase() === key)) return 'tapdesk';
  return undefined;
}

/**
 * The TapDesk app roles assigned to a client that TapDesk's app defines for applications: an
 * assignment of a role the API no longer defines (or defines for users only) gives nothing, as in Entra.
 */
function assignedAppRolesOf(ctx: SandboxContext, app: FixtureClientApp): string[] {
  const defined = new Set(
    (ctx.app.appRoles ?? []).filter((r) => r.allowedMemberTypes.includes('Application')).map((r) => r.value),
  );
  return (app.assignedAppRoles ?? []).filter((role) => defined.has(role));
}

/**
 * The `client_credentials` grant (already past the client id and secret checks): an app-only v2
 * access token for `{resource}/.default`. For Graph its `roles` are the application permissions
 * consented for the app; for TapDesk's API (apps[0].ssoResource) the TapDesk app roles assigned to
 * the client. An app with none still gets a token, without `roles`, as Entra issues it; the resource
 * refuses it. No `scp`, `idtyp: app`, `oid`/`sub` = the app's service principal.
 */
export async function grantClientCredentials(
  ctx: SandboxContext,
  app: FixtureClientApp,
  form: URLSearchParams,
  correlationId?: string,
  /** Only the sandbox admin API's `app-token` passes another lifetime (negative: already expired). */
  lifetimeSeconds = 3600,
): Promise<SandboxResponse> {
  const scope = (form.get('scope') ?? '').trim();
  if (scope === '') {
    return oauthError(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'scope'.",
      correlationId,
    );
  }
  const items = scope.split(/\s+/);
  const only = items.length === 1 ? items[0] : undefined;
  if (only === undefined || !only.toLowerCase().endsWith('/.default')) {
    return oauthError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      correlationId,
    );
  }
  const resource = only.slice(0, -'/.default'.length);
  const kind = resourceOf(ctx, resource);
  if (!kind) {
    return oauthError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${ctx.fixture.tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      correlationId,
    );
  }
  const roles =
    kind === 'acs'
      ? []
      : kind === 'graph'
        ? (app.consentedApplicationPermissions ?? [])
        : kind === 'verifiedid'
          ? (app.verifiedIdRoles ?? [])
          : assignedAppRolesOf(ctx, app);
  const servicePrincipalId = ctx.directory.servicePrincipalId(app.appId);
  // v2 tokens for an API carry its client id as audience; Graph's tokens carry its resource URI.
  const audience =
    kind === 'graph'
      ? graphAudience
      : kind === 'verifiedid'
        ? VERIFIED_ID_RESOURCE
        : kind === 'acs'
          ? ACS_AUDIENCE
          : ctx.app.appId;
  const accessToken = await ctx.signer.sign(
    {
      tid: ctx.tenantId,
      oid: servicePrincipalId,
      sub: servicePrincipalId,
      azp: app.appId,
      appid: app.appId,
      azpacr: '1',
      appidacr: '1',
      idtyp: 'app',
      ...(roles.length > 0 ? { roles: [...roles] } : {}),
    },
    audience,
    lifetimeSeconds,
  );
  const expiresIn = Math.max(0, lifetimeSeconds - 1);
  return jsonResponse(
    200,
    { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: accessToken },
    { 'Cache-Control': 'no-store' },
  );
}
