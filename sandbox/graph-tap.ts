import type { SandboxContext } from './context.js';
import type { FixtureUser } from './fixture.js';
import { AppPermissions, Scopes, callerObjectId, permits } from './graph-auth.js';
import { callError, type GraphCall, type GraphRoute } from './graph-call.js';
import { TapMessages, notFoundMessage } from './graph-errors.js';
import { jsonResponse, type SandboxResponse } from './http.js';
import { generatePassCode } from './random.js';
import type { StoredPass } from './state.js';
import { parseTapCreateBody } from './tap-body.js';
import {
  lifetimeBounds,
  mayManageTarget,
  passUsability,
  policyAllowsUser,
  tapReaderRoles,
  tapWriterRoles,
} from './tap-rules.js';

const tapPath = 'authentication/temporaryAccessPassMethods';
const denied = (call: GraphCall) => callError(call, 403, 'accessDenied', TapMessages.accessDenied);
const badRequest = (call: GraphCall, message: string) => callError(call, 400, 'badRequest', message);

/** The Graph object for a stored pass; the code only when `withCode` (the create response). */
function passView(ctx: SandboxContext, pass: StoredPass, withCode: boolean): Record<string, unknown> {
  return {
    id: pass.id,
    temporaryAccessPass: withCode ? pass.code : null,
    createdDateTime: pass.createdDateTime.toISOString(),
    startDateTime: pass.startDateTime.toISOString(),
    lifetimeInMinutes: pass.lifetimeInMinutes,
    isUsableOnce: pass.isUsableOnce,
    ...passUsability(pass, ctx.state.policy, ctx.clock.now()),
  };
}

/**
 * Authorization before lookup, as Graph does: scope (or application permission), then the caller's
 * role, then the target (404 if unknown), then target-specific rules when managing. App-only callers
 * are judged by their application permission alone: no role, no target rule (contract next-wave §1.2).
 * Returns the target or an error.
 */
function authorize(
  ctx: SandboxContext,
  call: GraphCall,
  ref: string,
  mode: 'read' | 'manage',
): FixtureUser | SandboxResponse {
  const { caller } = call;
  const allowed =
    mode === 'read'
      ? permits(caller, Scopes.readTap, AppPermissions.readTap)
      : permits(caller, Scopes.writeTap, AppPermissions.writeTap);
  if (!allowed) return denied(call);
  if (caller.kind === 'app') {
    return (
      ctx.directory.findUser(ref) ?? callError(call, 404, 'Request_ResourceNotFound', notFoundMessage(ref))
    );
  }
  if (!ctx.directory.hasAnyRole(caller.user, mode === 'read' ? tapReaderRoles : tapWriterRoles))
    return denied(call);
  const target = ref === 'me' ? caller.user : ctx.directory.findUser(ref);
  if (!target) return callError(call, 404, 'Request_ResourceNotFound', notFoundMessage(ref));
  if (mode === 'manage' && !mayManageTarget(ctx.directory, caller.user, target)) return denied(call);
  return target;
}

function createPass(ctx: SandboxContext, call: GraphCall, ref: string): SandboxResponse {
  if (!permits(call.caller, Scopes.writeTap, AppPermissions.writeTap)) return denied(call);
  const body = parseTapCreateBody(call.body);
  if (typeof body === 'string') return callError(call, 400, 'BadRequest', body);
  const target = authorize(ctx, call, ref, 'manage');
  if ('status' in target) return target;
  if (ctx.directory.isGuest(target)) return badRequest(call, TapMessages.guest);
  const policy = ctx.state.policy;
  if (!policyAllowsUser(ctx.directory, policy, target)) return badRequest(call, TapMessages.policyDenied);
  if (policy.isUsableOnce && body.isUsableOnce === false) return badRequest(call, TapMessages.policyDenied);
  const { min, max } = lifetimeBounds(policy);
  const lifetime = body.lifetimeInMinutes ?? policy.defaultLifetimeInMinutes;
  if (lifetime < min || lifetime > max) return badRequest(call, TapMessages.lifetime(min, max));

  const now = ctx.clock.now();
  const pass: StoredPass = {
    id: ctx.state.passRandom.uuid(),
    userId: target.id,
    userPrincipalName: target.userPrincipalName,
    code: ctx.state.queuedPassCodes.shift() ?? generatePassCode(ctx.state.passRandom, policy.defaultLength),
    createdDateTime: now,
    startDateTime: body.startDateTime ?? now,
    lifetimeInMinutes: lifetime,
    isUsableOnce: body.isUsableOnce ?? policy.isUsableOnce,
    createdBy: callerObjectId(call.caller),
  };
  // One pass per user: a new create silently replaces the old one (contract §1).
  ctx.state.passes.set(target.id, pass);
  return jsonResponse(201, passView(ctx, pass, true));
}

function listPasses(ctx: SandboxContext, call: GraphCall, ref: string): SandboxResponse {
  const target = authorize(ctx, call, ref, 'read');
  if ('status' in target) return target;
  const pass = ctx.state.passes.get(target.id);
  return jsonResponse(200, { value: pass ? [passView(ctx, pass, false)] : [] });
}

function findPass(
  ctx: SandboxContext,
  call: GraphCall,
  target: FixtureUser,
  methodId: string,
): StoredPass | SandboxResponse {
  const pass = ctx.state.passes.get(target.id);
  if (pass && pass.id === methodId.toLowerCase()) return pass;
  return callError(call, 404, 'Request_ResourceNotFound', notFoundMessage(methodId));
}

function getPass(ctx: SandboxContext, call: GraphCall, ref: string, methodId: string): SandboxResponse {
  const target = authorize(ctx, call, ref, 'read');
  if ('status' in target) return target;
  const pass = findPass(ctx, call, target, methodId);
  return 'status' in pass ? pass : jsonResponse(200, passView(ctx, pass, false));
}

function deletePass(ctx: SandboxContext, call: GraphCall, ref: string, methodId: string): SandboxResponse {
  const target = authorize(ctx, call, ref, 'manage');
  if ('status' in target) return target;
  const pass = findPass(ctx, call, target, methodId);
  if ('status' in pass) return pass;
  ctx.state.passes.delete(target.id);
  return { status: 204, headers: {} };
}

/** Temporary Access Pass method routes for `/users/{id|UPN}` and `/me` (where the self rule answers 403). */
export const tapRoutes: GraphRoute[] = [
  {
    method: 'POST',
    template: `/users/:id/${tapPath}`,
    handler: (ctx, call, [id = '']) => createPass(ctx, call, id),
  },
  {
    method: 'GET',
    template: `/users/:id/${tapPath}`,
    handler: (ctx, call, [id = '']) => listPasses(ctx, call, id),
  },
  {
    method: 'GET',
    template: `/users/:id/${tapPath}/:methodId`,
    handler: (ctx, call, [id = '', m = '']) => getPass(ctx, call, id, m),
  },
  {
    method: 'DELETE',
    template: `/users/:id/${tapPath}/:methodId`,
    handler: (ctx, call, [id = '', m = '']) => deletePass(ctx, call, id, m),
  },
  { method: 'POST', template: `/me/${tapPath}`, handler: (ctx, call) => createPass(ctx, call, 'me') },
  { method: 'GET', template: `/me/${tapPath}`, handler: (ctx, call) => listPasses(ctx, call, 'me') },
  {
    method: 'GET',
    template: `/me/${tapPath}/:methodId`,
    handler: (ctx, call, [m = '']) => getPass(ctx, call, 'me', m),
  },
  {
    method: 'DELETE',
    template: `/me/${tapPath}/:methodId`,
    handler: (ctx, call, [m = '']) => deletePass(ctx, call, 'me', m),
  },
];
