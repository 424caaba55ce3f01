// Calls TapDesk's request API (POST/GET /api/requests) over real HTTP, with app tokens the sandbox
// token service issues through the client-credentials grant, as ServiceNow or a Logic App would get them.
import type { Harness } from './bot-harness.js';
import { httpsJson, type Json } from './sandbox-http.js';
import { sandboxAdmin } from './sandbox-admin.js';

export interface ApiResult {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}

/** The fixture app whose display name starts with `name`. */
export function fixtureApp(h: Harness, name: string) {
  const app = h.sandbox.tenant.apps.find((a) => a.displayName.startsWith(name));
  if (!app) throw new Error(`no fixture app ${name}`);
  return app;
}

/** TapDesk's API as a client-credentials scope: its Application ID URI with /.default. */
export const apiScope = (h: Harness) => `${h.sandbox.app.ssoResource}/.default`;

/** A client-credentials token for `name`'s app (client_secret_post), for TapDesk's API unless `scope`. */
export async function appToken(h: Harness, name: string, scope = apiScope(h)): Promise<string> {
  const app = fixtureApp(h, name);
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: app.appId,
    client_secret: app.clientSecret,
    scope,
  });
  const result = await httpsJson(
    h.sandbox,
    'POST',
    `${h.sandbox.authorityHost}/${h.sandbox.tenantId}/oauth2/v2.0/token`,
    form.toString(),
    { 'Content-Type': 'application/x-www-form-urlencoded' },
  );
  if (result.status !== 200) throw new Error(`token for ${name}: ${result.status} ${result.text}`);
  return result.body.access_token as string;
}

/** The same token with another lifetime (negative: already expired), from the sandbox admin API. */
export async function appTokenLasting(h: Harness, name: string, lifetimeSeconds: number): Promise<string> {
  const minted = (await sandboxAdmin(h, 'POST', '/app-token', {
    client: fixtureApp(h, name).appId,
    scope: apiScope(h),
    lifetimeSeconds,
  })) as { access_token: string };
  return minted.access_token;
}

/** One call to the bot's request API. */
export async function callApi(
  h: Harness,
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; body?: unknown; key?: string; headers?: Record<string, string> } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.key) headers['idempotency-key'] = options.key;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`http://127.0.0.1:${h.bot.port}${path}`, {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: Json;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** A valid request body for `user`, with the ticket the tests use unless overridden. */
export function requestBody(user: string, extra: Record<string, unknown> = {}) {
  return {
    user,
    reason: 'Lost phone, needs to re-register MFA',
    ticket: { system: 'ServiceNow', number: 'INC0012345' },
    deliverTo: 'approver',
    ...extra,
  };
}
