import { appGraphClient, type AppGraphOptions } from '../graph/app-client.js';
import type { TapRequest } from '../tap/request.js';
import { CALLBACK_PATH } from './lifecycle-body.js';

/** Request states after which nobody can still issue this request's pass. */
const SETTLED = new Set(['issued', 'rejected', 'expired', 'failed', 'unknown', 'cancelled']);

export interface ResumeCall {
  path: string;
  body: Record<string, unknown>;
  /** What the resume tells Entra, for the log. */
  decision: 'continue' | 'denied' | 'completed' | 'failed';
}

/**
 * The Graph resume a waiting Entra request needs once its approval has settled, or undefined while
 * it is open. Only an issued pass lets it go on (access package) or completes it (lifecycle task);
 * rejected, expired, failed or an unknown outcome deny or fail it. The detail Entra shows its own
 * approvers names the outcome and who decided, never the pass.
 */
export function resumeCallFor(request: TapRequest): ResumeCall | undefined {
  const callout = request.source?.callout;
  if (!callout || !SETTLED.has(request.state)) return undefined;
  // A pass for the manager (a joiner) or by SMS is done only once it was delivered: the approver's
  // create comes first, and a delivery that fails revokes it, so Entra must hear the delivery's end.
  const channel = request.approval?.deliverTo;
  const delivered = request.approval?.delivery?.outcome;
  const needsDelivery = channel === 'manager' || channel === 'sms';
  if (request.state === 'issued' && needsDelivery && delivered === undefined) return undefined;
  const issued = request.state === 'issued' && (!needsDelivery || delivered === 'delivered');
  if (callout.kind === 'lifecycle-task') {
    // Checked again here: this path goes to Graph with TapDesk's own token.
    if (!CALLBACK_PATH.test(callout.callbackUriPath)) return undefined;
    return {
      path: callout.callbackUriPath,
      decision: issued ? 'completed' : 'failed',
      body: {
        source: 'TapDesk',
        type: 'lifecycleEvent',
        data: { operationStatus: issued ? 'completed' : 'failed' },
      },
    };
  }
  const decider = request.approval?.decidedBy?.name;
  const detail = issued
    ? `TapDesk: ${decider ?? 'an approver'} approved and issued the Temporary Access Pass`
    : `TapDesk: the pass request ended ${request.state}${decider ? ` (${decider})` : ''}; no pass`;
  return {
    path: `/identityGovernance/entitlementManagement/assignmentRequests/${callout.assignmentRequestId}/resume`,
    decision: issued ? 'continue' : 'denied',
    body: {
      source: 'TapDesk',
      type: `microsoft.graph.accessPackageCustomExtensionStage.${callout.stage}`,
      data: {
        '@odata.type': 'microsoft.graph.accessPackageAssignmentRequestCallbackData',
        stage: callout.stage,
        customExtensionStageInstanceId: callout.stageInstanceId,
        customExtensionStageInstanceDetail: detail.slice(0, 250),
        ...(issued ? {} : { state: 'denied' }),
      },
    },
  };
}

/**
 * Resumes Entra with TapDesk's own app-only token. No Graph application permission is asked for:
 * for an access package TapDesk's service principal is "Access package assignment manager" on the
 * catalog (the least privilege Entra documents); a lifecycle task needs none for the extension's
 * resourceId app, which is TapDesk. Never retried blindly: a failure is logged, and Entra's own
 * callback timeout then ends the request.
 */
export async function resumeEntra(options: AppGraphOptions, call: ResumeCall): Promise<void> {
  const client = await appGraphClient(options, AbortSignal.timeout(10_000));
  await client.api(call.path).post(call.body);
}
