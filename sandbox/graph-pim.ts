import { randomUUID } from 'node:crypto';
import type { SandboxContext } from './context.js';
import { AppPermissions, Scopes, permits } from './graph-auth.js';
import { callError, type GraphCall, type GraphRoute } from './graph-call.js';
import { jsonResponse, type SandboxResponse } from './http.js';
import { parseJsonObject } from './json-body.js';
import type { Activation } from './pim-activations.js';
import { pimListRoutes } from './graph-pim-lists.js';
import {
  claimsChallenge,
  failedRules,
  maximumMinutes,
  readSelfActivation,
  type SelfActivation,
} from './pim-request.js';

const policyFailure = (call: GraphCall, rules: string[]) =>
  callError(
    call,
    400,
    'RoleAssignmentRequestPolicyValidationFailed',
    `The following policy rules failed: ${JSON.stringify(rules)}`,
  );

/**
 * The ACRS failure carries the claims request a client would sign in again with (next-wave §2.5). The
 * wording around it is the sandbox's; the URL-encoded `&claims=` part is what clients look for.
 */
const acrsFailure = (ctx: SandboxContext, call: GraphCall, claimValue: string) =>
  callError(
    call,
    400,
    'RoleAssignmentRequestAcrsValidationFailed',
    `The Role assignment request requires the authentication context '${claimValue}'. Sign in again: ${ctx.origin}/${ctx.tenantId}/oauth2/v2.0/authorize?client_id=${ctx.app.appId}&claims=${encodeURIComponent(claimsChallenge(claimValue))}`,
  );

function responseBody(ctx: SandboxContext, a: Activation, request: SelfActivation): Record<string, unknown> {
  const minutes = Math.round((a.endDateTime.getTime() - a.startDateTime.getTime()) / 60_000);
  return {
    '@odata.context': `${ctx.graphBaseUrl}/$metadata#roleManagement/directory/roleAssignmentScheduleRequests/$entity`,
    id: a.requestId,
    status: a.status,
    createdDateTime: a.createdDateTime.toISOString(),
    completedDateTime: a.status === 'Granted' ? a.createdDateTime.toISOString() : null,
    approvalId: a.approvalId,
    customData: null,
    action: 'selfActivate',
    principalId: a.principalId,
    roleDefinitionId: a.roleTemplateId,
    directoryScopeId: a.directoryScopeId,
    appScopeId: null,
    isValidationOnly: request.isValidationOnly,
    targetScheduleId: a.requestId,
    justification: a.justification,
    createdBy: { application: null, device: null, user: { displayName: null, id: a.principalId } },
    scheduleInfo: {
      startDateTime: a.startDateTime.toISOString(),
      recurrence: null,
      expiration: { type: 'afterDuration', endDateTime: null, duration: `PT${minutes}M` },
    },
    ticketInfo: { ticketNumber: a.ticketNumber, ticketSystem: a.ticketSystem },
  };
}

/**
 * `POST roleAssignmentScheduleRequests` with `action: selfActivate`, checked as next-wave §2.7 says:
 * scope, the caller as principal, a matching eligibility, not already active or pending, the role's
 * rules (expiration, justification, ticket, MFA), its authentication context; then Granted (active on
 * the sandbox clock for the duration) or PendingApproval. Admin actions are not simulated.
 */
function createRequest(ctx: SandboxContext, call: GraphCall): SandboxResponse {
  const { caller } = call;
  if (!permits(caller, Scopes.writeRoleAssignmentSchedules, AppPermissions.writeRoleAssignmentSchedules))
    return callError(
      call,
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
  const body = parseJsonObject(call.body);
  if (typeof body === 'string') return callError(call, 400, 'BadRequest', body);
  const action = typeof body.action === 'string' ? body.action : '';
  if (action.toLowerCase() !== 'selfactivate')
    return callError(
      call,
      400,
      'BadRequest',
      `The sandbox only simulates the selfActivate action, not '${action}'.`,
    );
  if (caller.kind !== 'delegated')
    return callError(
      call,
      400,
      'BadRequest',
      'selfActivate is only valid with delegated authentication flow.',
    );
  const now = ctx.clock.now();
  const request = readSelfActivation(body, now);
  if (typeof request === 'string') return callError(call, 400, 'BadRequest', request);
  // Self actions act for the signed-in user only (a sandbox [choice] of status and wording).
  if (request.principalId.toLowerCase() !== caller.user.id.toLowerCase())
    return callError(
      call,
      403,
      'Authorization_RequestDenied',
      'A selfActivate request must name the signed-in user as principalId.',
    );
  const eligible = (caller.user.eligibleRoles ?? []).find(
    (r) =>
      r.roleTemplateId.toLowerCase() === request.roleDefinitionId.toLowerCase() &&
      (r.directoryScopeId ?? '/') === request.directoryScopeId,
  );
  if (!eligible) return policyFailure(call, ['EligibilityRule']);
  const { pim } = ctx.state;
  if (pim.activeFor(caller.user.id, eligible.roleTemplateId, request.directoryScopeId, now))
    return callError(call, 400, 'RoleAssignmentExists', 'The Role assignment already exists.');
  // Wording from ARM PIM's table; Graph's is not documented (a sandbox [choice]).
  if (pim.pendingFor(caller.user.id, eligible.roleTemplateId, request.directoryScopeId))
    return callError(
      call,
      400,
      'PendingRoleAssignmentRequest',
      'There is already an existing pending Role assignment request.',
    );
  const failed = failedRules(eligible, request, caller.amr ?? []);
  if (failed.length > 0) return policyFailure(call, failed);
  const context = eligible.authenticationContext;
  if (context && !(caller.acrs ?? []).includes(context)) return acrsFailure(ctx, call, context);

  const start = request.startDateTime && request.startDateTime > now ? request.startDateTime : now;
  const minutes = request.minutes ?? maximumMinutes(eligible);
  const pending = eligible.requiresApproval === true;
  const activation: Activation = {
    requestId: randomUUID(),
    principalId: caller.user.id,
    roleTemplateId: eligible.roleTemplateId,
    displayName: eligible.displayName,
    directoryScopeId: request.directoryScopeId,
    status: pending ? 'PendingApproval' : 'Granted',
    approvalId: pending ? randomUUID() : null,
    createdDateTime: now,
    startDateTime: start,
    endDateTime: new Date(start.getTime() + minutes * 60_000),
    justification: request.justification,
    ticketNumber: request.ticketNumber,
    ticketSystem: request.ticketSystem,
  };
  // Validation only: every rule was checked, nothing is created.
  if (!request.isValidationOnly) pim.add(activation);
  return jsonResponse(201, responseBody(ctx, activation, request));
}

/** PIM for Entra roles beyond the read-only lists of graph-roles.ts. */
export const pimRoutes: GraphRoute[] = [
  {
    method: 'POST',
    template: '/roleManagement/directory/roleAssignmentScheduleRequests',
    handler: createRequest,
  },
  ...pimListRoutes,
];
