import { callError, type GraphCall, type GraphRoute } from './graph-call.js';
import { jsonResponse, type SandboxResponse } from './http.js';
import type { SandboxContext } from './context.js';

/** The catalog role Entra documents as the least privilege for resuming an access package request. */
const ASSIGNMENT_MANAGER = 'Access package assignment manager';

function bodyOf(call: GraphCall): { data?: Record<string, unknown> } | undefined {
  try {
    const parsed: unknown = JSON.parse(call.body ?? '');
    return parsed && typeof parsed === 'object' ? (parsed as { data?: Record<string, unknown> }) : undefined;
  } catch {
    return undefined;
  }
}

/** The waiting request, or why the resume is refused (404 unknown, 400 no longer waiting). */
function waiting(
  ctx: SandboxContext,
  call: GraphCall,
  kind: 'access-package' | 'lifecycle-task',
  id: string,
) {
  const found = ctx.state.waitingCallouts.get(id.toLowerCase());
  if (!found || found.kind !== kind)
    return callError(call, 404, 'ResourceNotFound', `No request with id '${id}' is waiting for a callback.`);
  if (Date.parse(found.waitingUntil) < ctx.clock.now().getTime())
    return callError(call, 400, 'BadRequest', 'The callback timed out; the request is no longer waiting.');
  return found;
}

function record(ctx: SandboxContext, kind: 'access-package' | 'lifecycle-task', id: string, state: string) {
  ctx.state.waitingCallouts.delete(id.toLowerCase());
  ctx.state.resumes.push({ kind, id: id.toLowerCase(), state, at: ctx.clock.now().toISOString() });
  return jsonResponse(204, undefined);
}

/**
 * `assignmentRequests/{id}/resume`: EntitlementManagement.ReadWrite.All or the catalog role; 404 for
 * a request not waiting, 400 for another stage instance; `state` denied/canceled, else it goes on
 * (recorded `approved`).
 */
function resumeAccessPackage(ctx: SandboxContext, call: GraphCall, id: string): SandboxResponse {
  const allowed =
    call.caller.kind === 'app' &&
    (call.caller.roles.has('EntitlementManagement.ReadWrite.All') ||
      (call.caller.app.catalogRoles ?? []).includes(ASSIGNMENT_MANAGER));
  if (!allowed)
    return callError(
      call,
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
  const found = waiting(ctx, call, 'access-package', id);
  if (!('kind' in found)) return found;
  const data = bodyOf(call)?.data;
  if (data?.customExtensionStageInstanceId !== found.stageInstanceId)
    return callError(
      call,
      400,
      'BadRequest',
      'customExtensionStageInstanceId does not match the waiting callout.',
    );
  const state = typeof data?.state === 'string' ? data.state.toLowerCase() : 'approved';
  if (!['approved', 'denied', 'canceled'].includes(state))
    return callError(call, 400, 'BadRequest', `Invalid state '${state}'.`);
  return record(ctx, 'access-package', id, state);
}

/**
 * `taskProcessingResults/{id}/resume`: only the extension's resourceId app (TapDesk) needs no
 * permission; anyone else is refused. `operationStatus` completed or failed.
 */
function resumeLifecycleTask(ctx: SandboxContext, call: GraphCall, id: string): SandboxResponse {
  if (call.caller.kind !== 'app' || call.caller.app.appId !== ctx.app.appId)
    return callError(call, 403, 'Forbidden', 'The caller is not authorized to resume this task.');
  const found = waiting(ctx, call, 'lifecycle-task', id);
  if (!('kind' in found)) return found;
  const status = bodyOf(call)?.data?.operationStatus;
  const state = typeof status === 'string' ? status.toLowerCase() : '';
  if (state !== 'completed' && state !== 'failed')
    return callError(call, 400, 'BadRequest', 'data.operationStatus must be completed or failed.');
  return record(ctx, 'lifecycle-task', id, state);
}

export const entitlementRoutes: GraphRoute[] = [
  {
    method: 'POST',
    template: '/identityGovernance/entitlementManagement/assignmentRequests/:id/resume',
    handler: (ctx, call, [id = '']) => resumeAccessPackage(ctx, call, id),
  },
  {
    method: 'POST',
    template:
      '/identityGovernance/lifecycleWorkflows/workflows/:wf/tasks/:task/taskProcessingResults/:id/resume',
    handler: (ctx, call, [, , id = '']) => resumeLifecycleTask(ctx, call, id),
  },
];
