import type { SandboxContext } from './context.js';
import { jsonResponse, type SandboxResponse } from './http.js';

const adminError = (status: number, code: string, message: string) =>
  jsonResponse(status, { error: { code, message } });

/**
 * `POST /_sandbox/pim/approve {"requestId"}`: plays the approver of an activation waiting for approval
 * (the sandbox simulates no approver of its own). The role is active from now, for the length asked.
 */
export function approveActivation(ctx: SandboxContext, body: Record<string, unknown>): SandboxResponse {
  const { requestId } = body;
  if (typeof requestId !== 'string') return adminError(400, 'badRequest', 'Expected {"requestId":"<id>"}.');
  const approved = ctx.state.pim.approve(requestId, ctx.clock.now());
  if (!approved)
    return adminError(404, 'notFound', `No activation request ${requestId} waiting for approval.`);
  return jsonResponse(200, { requestId, status: 'Granted' });
}
