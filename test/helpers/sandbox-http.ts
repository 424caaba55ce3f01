// Test helpers that talk to a running sandbox over real HTTPS, trusting only its CA.
import { Agent, request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { INetworkModule, NetworkResponse } from '@azure/msal-node';
import type { SandboxHandle } from '../../sandbox/index.js';

// Response bodies are arbitrary JSON; tests index into them freely and assert on the values.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: Json;
  text: string;
}

const agents = new Map<string, Agent>();

/** A keep-alive HTTPS agent trusting exactly this sandbox's CA. */
export function sandboxAgent(sb: Pick<SandboxHandle, 'caPem'>): Agent {
  let agent = agents.get(sb.caPem);
  if (!agent) {
    agent = new Agent({ ca: sb.caPem, keepAlive: true });
    agents.set(sb.caPem, agent);
  }
  return agent;
}

/** One HTTPS request; a non-string body is sent as JSON. */
export function httpsJson(
  sb: Pick<SandboxHandle, 'caPem'>,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const allHeaders: Record<string, string> = { ...headers };
  if (payload !== undefined && !Object.keys(allHeaders).some((h) => h.toLowerCase() === 'content-type')) {
    allHeaders['Content-Type'] = 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: allHeaders, agent: sandboxAgent(sb) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let parsed: Json;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Calls the admin API (`/_sandbox/...`). */
export function admin(sb: SandboxHandle, method: string, path: string, body?: unknown): Promise<HttpResult> {
  return httpsJson(sb, method, `${sb.sandboxUrl}${path}`, body);
}

/** Posts a raw OBO form to the token endpoint (what @azure/identity would send). */
export function postOboForm(sb: SandboxHandle, fields: Record<string, string>): Promise<HttpResult> {
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    requested_token_use: 'on_behalf_of',
    client_id: sb.app.appId,
    client_secret: sb.app.clientSecret,
    scope: 'https://graph.microsoft.com/.default',
    ...fields,
  });
  return httpsJson(sb, 'POST', `${sb.authorityHost}/${sb.tenantId}/oauth2/v2.0/token`, form.toString(), {
    'Content-Type': 'application/x-www-form-urlencoded',
  });
}

const tokenCache = new Map<string, string>();

/** A Graph access token for the user: SSO assertion from the sandbox, then a direct OBO form post. */
export async function graphTokenFor(sb: SandboxHandle, user: string, scopes?: string[]): Promise<string> {
  const scope = (scopes ?? ['https://graph.microsoft.com/.default']).join(' ');
  const key = `${sb.origin}|${user}|${scope}`;
  const cached = tokenCache.get(key);
  if (cached) return cached;
  const assertion = await sb.ssoToken(user);
  const result = await postOboForm(sb, { assertion, scope });
  if (result.status !== 200) throw new Error(`OBO for ${user} failed: ${result.status} ${result.text}`);
  tokenCache.set(key, result.body.access_token as string);
  return result.body.access_token as string;
}

/** Calls Graph with a given bearer token; `path` is below `/v1.0`. */
export function graphWithToken(
  sb: SandboxHandle,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const auth: Record<string, string> = token === undefined ? {} : { Authorization: `Bearer ${token}` };
  return httpsJson(sb, method, `${sb.graphBaseUrl}${path}`, body, { ...auth, ...headers });
}

/** Calls Graph as a sandbox user (SSO → OBO → Graph); `scopes` defaults to `.default`. */
export async function graphAs(
  sb: SandboxHandle,
  user: string,
  method: string,
  path: string,
  body?: unknown,
  scopes?: string[],
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return graphWithToken(sb, await graphTokenFor(sb, user, scopes), method, path, body, headers);
}

/** An msal-node network client that trusts the sandbox CA (msal-node 7 has no agent option). */
export function msalNetworkClient(sb: Pick<SandboxHandle, 'caPem'>): INetworkModule {
  const send = async <T>(
    method: string,
    url: string,
    options?: { headers?: Record<string, string>; body?: string },
  ) => {
    const result = await httpsJson(sb, method, url, options?.body, options?.headers ?? {});
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers))
      if (value !== undefined) headers[name] = String(value);
    return { status: result.status, headers, body: result.body as T } satisfies NetworkResponse<T>;
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
