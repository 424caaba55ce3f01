import { appGraphClient, type AppGraphOptions } from '../graph/app-client.js';
import type { TapRequest } from '../tap/request.js';

/** Request states after which nobody can still issue this request's pass. */
const SETTLED = new Set(['issued', 'rejected', 'expired', 'failed', 'unknown', 'cancelled']);

export interface ResumeCall {
  path: string;
  body: Record<string, unknown>;
  /** What the resume tells Entra, for the log and the audit. */
  decision: 'continue' | 'denied';
}

/**
 * The Graph resume an access package request waits for, once its approval has settled: it goes on
 * only when the approver issued the pass; rejected, expired, failed or an unknown outcome deny it.
 * The detail is shown to Entra's approvers: it names the outcome, never the pass.
 */
export function resumeCallFor(request: TapRequest): ResumeCall | undefined {
  const callout = request.source?.callout;
  if (!callout || !SETTLED.has(request.state)) return undefined;
  const issued = request.state === 'issued';
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
 * TapDesk's service principal is made "Access package assignment manager" on the catalog, the
 * least privilege Entra documents for resuming. Never retried blindly: a failure is logged and
 * Entra's own callback timeout ends the request.
 */
export async function resumeAccessPackage(options: AppGraphOptions, call: ResumeCall): Promise<void> {
  const client = await appGraphClient(options, AbortSignal.timeout(10_000));
  await client.api(call.path).post(call.body);
}
