import type { SandboxContext } from './context.js';
import { jsonResponse, type SandboxRequest, type SandboxResponse } from './http.js';
import { oauthError } from './oauth-errors.js';
import { grantClientCredentials } from './client-credentials.js';
import { grantOnBehalfOf } from './obo.js';

const oboGrantType = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const clientCredentialsGrantType = 'client_credentials';

/** True when the path segment names this tenant (id or one of its domains). */
function isOurTenant(ctx: SandboxContext, tenant: string): boolean {
  const key = tenant.toLowerCase();
  return key === ctx.tenantId || ctx.fixture.tenant.domains.some((d) => d.toLowerCase() === key);
}

/** The OpenID discovery document MSAL reads before its first token request. */
function openIdConfiguration(ctx: SandboxContext): Record<string, unknown> {
  const base = `${ctx.origin}/${ctx.tenantId}`;
  return {
    issuer: ctx.signer.issuer,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    userinfo_endpoint: `${ctx.graphBaseUrl}/oidc/userinfo`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'name', 'oid', 'tid', 'preferred_username'],
    request_uri_parameter_supported: false,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'sandbox.invalid',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: new URL(ctx.origin).host,
  };
}

/** Client credentials from the form body or an HTTP Basic header (client_secret_basic). */
function clientCredentials(req: SandboxRequest, form: URLSearchParams): { id?: string; secret?: string } {
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1] ?? '', 'base64')
      .toString('utf8')
      .split(':');
    return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
  }
  return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
}

/** `POST /{tenant}/oauth2/v2.0/token`: client checks (any app of the fixture), then the OBO or client credentials grant. */
async function tokenEndpoint(ctx: SandboxContext, req: SandboxRequest): Promise<SandboxResponse> {
  const correlationId = req.headers['client-request-id'];
  const form = new URLSearchParams(req.body ?? '');
  const client = clientCredentials(req, form);
  if (!client.id) {
    return oauthError(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'client_id'.",
      correlationId,
    );
  }
  const app = ctx.fixture.apps.find((a) => a.appId.toLowerCase() === client.id?.toLowerCase());
  if (!app) {
    return oauthError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${client.id}' was not found in the directory '${ctx.fixture.tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      correlationId,
    );
  }
  if (!client.secret) {
    return oauthError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      correlationId,
    );
  }
  if (client.secret !== app.clientSecret) {
    return oauthError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`,
      correlationId,
    );
  }
  const grantType = form.get('grant_type') ?? '';
  if (grantType === clientCredentialsGrantType) return grantClientCredentials(ctx, app, form, correlationId);
  if (grantType !== oboGrantType) {
    return oauthError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
      correlationId,
    );
  }
  if (form.get('requested_token_use') !== 'on_behalf_of') {
    return oauthError(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'requested_token_use' with value 'on_behalf_of'.",
      correlationId,
    );
  }
  // Only TapDesk receives SSO assertions (their audience is its API); another client presenting one
  // gets Entra's audience mismatch.
  if (app !== ctx.app) {
    return oauthError(
      400,
      'invalid_grant',
      50013,
      `Assertion audience does not match the Client app presenting the assertion. The expected audience is '${app.appId}' or one of the Application Id URIs of this application.`,
      correlationId,
    );
  }
  return grantOnBehalfOf(ctx, form, correlationId);
}

/** Routes the token-service paths; returns undefined for paths it does not own. */
export async function handleTokenService(
  ctx: SandboxContext,
  req: SandboxRequest,
): Promise<SandboxResponse | undefined> {
  const match =
    /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token)$/i.exec(
      req.path,
    );
  if (!match) return undefined;
  const [, tenant = '', endpoint = ''] = match;
  if (!isOurTenant(ctx, decodeURIComponent(tenant))) {
    return oauthError(
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      req.headers['client-request-id'],
    );
  }
  const kind = endpoint.toLowerCase();
  if (kind.endsWith('openid-configuration') && req.method === 'GET')
    return jsonResponse(200, openIdConfiguration(ctx));
  if (kind.endsWith('keys') && req.method === 'GET') return jsonResponse(200, ctx.signer.jwks());
  if (kind.endsWith('token') && req.method === 'POST') return tokenEndpoint(ctx, req);
  return oauthError(
    405,
    'invalid_request',
    900561,
    `The endpoint only accepts ${kind.endsWith('token') ? 'POST' : 'GET'} requests.`,
    req.headers['client-request-id'],
  );
}
