import type { SandboxContext } from './context.js';
import { autopilotRoutes } from './graph-autopilot.js';
import { entitlementRoutes } from './graph-entitlement.js';
import { authenticateGraphCall, callerObjectId, isResponse } from './graph-auth.js';
import { handleBatch } from './graph-batch.js';
import { callError, matchTemplate, type GraphCall, type GraphRoute } from './graph-call.js';
import { graphError } from './graph-errors.js';
import { policyRoutes } from './graph-policy.js';
import { roleManagementRoutes } from './graph-roles.js';
import { pimRoutes } from './graph-pim.js';
import { tapRoutes } from './graph-tap.js';
import { userRoutes } from './graph-users.js';
import { teamsInstallRoutes } from './teams-install.js';
import type { SandboxRequest, SandboxResponse } from './http.js';

const routes: GraphRoute[] = [
  ...userRoutes,
  ...tapRoutes,
  ...policyRoutes,
  ...roleManagementRoutes,
  ...pimRoutes,
  ...autopilotRoutes,
  ...entitlementRoutes,
  ...teamsInstallRoutes,
];
const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The path used in the Graph log: `/v1.0/...` plus the query string, if any. */
function logPath(call: Pick<GraphCall, 'path' | 'query'>): string {
  const query = call.query.toString();
  return `/v1.0${call.path}${query ? `?${query}` : ''}`;
}

function route(ctx: SandboxContext, call: GraphCall): Promise<SandboxResponse> | SandboxResponse {
  // An app-only token has no signed-in user, so `/me` means nobody (Graph's own wording).
  if (call.caller.kind === 'app' && /^\/me(\/|$)/i.test(call.path))
    return callError(
      call,
      400,
      'BadRequest',
      '/me request is only valid with delegated authentication flow.',
    );
  let pathMatched = false;
  for (const candidate of routes) {
    const params = matchTemplate(candidate.template, call.path);
    if (!params) continue;
    pathMatched = true;
    if (candidate.method === call.method) return candidate.handler(ctx, call, params);
  }
  if (pathMatched)
    return callError(
      call,
      405,
      'Request_BadRequest',
      `Specified HTTP method is not allowed for the request uri.`,
    );
  const segment = call.path.split('/').filter(Boolean)[0] ?? '';
  return callError(call, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}

/**
 * Runs one authenticated Graph operation (top-level or `$batch` item): injected failures, the
 * write limit, then the handler. Every outcome lands in the Graph log.
 */
export async function runGraphOperation(ctx: SandboxContext, call: GraphCall): Promise<SandboxResponse> {
  const response = await runUnlogged(ctx, call);
  ctx.state.log(call.method, logPath(call), callerObjectId(call.caller), response.status);
  return response;
}

async function runUnlogged(ctx: SandboxContext, call: GraphCall): Promise<SandboxResponse> {
  const faults = ctx.state.faults;
  const isWrite = writeMethods.has(call.method);
  const injected = faults.injectedFailure(isWrite);
  if (injected !== undefined) {
    const retry: Record<string, string> = injected === 503 || injected === 429 ? { 'Retry-After': '1' } : {};
    const code = injected === 429 ? 'TooManyRequests' : 'serviceNotAvailable';
    return graphError(
      injected,
      code,
      'The service is temporarily unavailable (sandbox fault injection).',
      call.clientRequestId,
      retry,
    );
  }
  if (isWrite) {
    const charge = faults.chargeWrite();
    if (!charge.ok) {
      const seconds = String(charge.retryAfterSeconds);
      return graphError(
        429,
        'TooManyRequests',
        `Too many requests. Retry after ${seconds} seconds.`,
        call.clientRequestId,
        {
          'Retry-After': seconds,
        },
      );
    }
  }
  try {
    return await route(ctx, call);
  } catch (error) {
    return callError(call, 500, 'generalException', `Sandbox handler failed: ${(error as Error).message}`);
  }
}

/** Entry point for HTTP requests under `/v1.0`: latency, bearer check, then `$batch` or one operation. */
export async function handleGraphRequest(ctx: SandboxContext, req: SandboxRequest): Promise<SandboxResponse> {
  ctx.state.graphInFlight += 1;
  try {
    return await answerGraphRequest(ctx, req);
  } finally {
    ctx.state.graphInFlight -= 1;
  }
}

async function answerGraphRequest(ctx: SandboxContext, req: SandboxRequest): Promise<SandboxResponse> {
  await ctx.state.faults.delay(req.method !== 'GET');
  const path = req.path.replace(/^\/v1\.0/i, '') || '/';
  const clientRequestId = req.headers['client-request-id'];
  const caller = await authenticateGraphCall(ctx, req.headers.authorization, clientRequestId);
  if (isResponse(caller)) {
    ctx.state.log(req.method, logPath({ path, query: req.query }), null, caller.status);
    return caller;
  }
  const call: GraphCall = {
    method: req.method,
    path,
    query: req.query,
    headers: req.headers,
    body: req.body,
    caller,
    clientRequestId,
  };
  if (matchTemplate('/$batch', path)) {
    const response =
      req.method === 'POST'
        ? await handleBatch(ctx, call, runGraphOperation)
        : callError(
            call,
            405,
            'Request_BadRequest',
            'Specified HTTP method is not allowed for the request uri.',
          );
    ctx.state.log(call.method, logPath(call), callerObjectId(caller), response.status);
    return response;
  }
  return runGraphOperation(ctx, call);
}
