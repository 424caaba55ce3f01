import { callError, type GraphCall, type GraphRoute } from './graph-call.js';
import { jsonResponse } from './http.js';

/** The catalog role Entra documents as the least privilege for resuming an access package request. */
const ASSIGNMENT_MANAGER = 'Access package assignment manager';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether the caller may resume: EntitlementManagement.ReadWrite.All, or the catalog role for its app. */
function mayResume(call: GraphCall): boolean {
  if (call.caller.kind !== 'app') return false;
  if (call.caller.roles.has('EntitlementManagement.ReadWrite.All')) return true;
  const catalogRoles = call.caller.app.catalogRoles ?? [];
  return catalogRoles.includes(ASSIGNMENT_MANAGER);
}

/**
 * POST …/assignmentRequests/{id}/resume: records `{kind, id, state, at}` in /_sandbox/state.resumes;
 * `state` is the callback's (denied, canceled) or `approved` when it lets the request go on. 204.
 */
export const entitlementRoutes: GraphRoute[] = [
  {
    method: 'POST',
    template: '/identityGovernance/entitlementManagement/assignmentRequests/:id/resume',
    handler: (ctx, call, [id = '']) => {
      if (!mayResume(call))
        return callError(
          call,
          403,
          'Authorization_RequestDenied',
          'Insufficient privileges to complete the operation.',
        );
      let body: { data?: Record<string, unknown> } | undefined;
      try {
        body = JSON.parse(call.body ?? '') as typeof body;
      } catch {
        body = undefined;
      }
      const data = body?.data;
      if (!GUID.test(id) || !data || typeof data.customExtensionStageInstanceId !== 'string')
        return callError(call, 400, 'BadRequest', 'data.customExtensionStageInstanceId is required.');
      const state = typeof data.state === 'string' ? data.state.toLowerCase() : 'approved';
      ctx.state.resumes.push({ kind: 'access-package', id, state, at: ctx.clock.now().toISOString() });
      return jsonResponse(204, undefined);
    },
  },
];
