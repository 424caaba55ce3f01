import type { ApprovalSettings } from '../tap/core-deps.js';
import { neutraliseChat } from '../text/plain.js';
import { answersText, type AccessPackageCallout } from './access-package-body.js';
import type { LifecycleCallout } from './lifecycle-body.js';
import type { CalloutDraft } from './submit-callout.js';

/**
 * An access package callout: the requestor (a manager asking on behalf of a report) is the asker,
 * so four eyes keeps them from approving it; the assignment's subject is the person. The stage
 * instance id is what Entra's retries share.
 */
export function accessPackageDraft(
  callerAppId: string,
  callout: AccessPackageCallout,
  settings: Pick<ApprovalSettings, 'deliverTo'>,
): CalloutDraft {
  const packageName = neutraliseChat(callout.AccessPackage.DisplayName, 80);
  const answers = answersText(callout.Answers);
  const stageInstanceId = callout.CustomExtensionStageInstanceId.toLowerCase();
  return {
    callerAppId,
    key: stageInstanceId,
    requester: {
      oid: callout.Requestor.ObjectId.toLowerCase(),
      name: neutraliseChat(callout.Requestor.DisplayName, 60),
    },
    userId: callout.Assignment.Target.ObjectId.toLowerCase(),
    reason: neutraliseChat(
      `Access package '${packageName}' requested for ${callout.Assignment.Target.DisplayName}${answers ? `: ${answers}` : ''}`,
      400,
    ),
    ticket: `Access package ${packageName}`,
    source: {
      kind: 'access-package',
      clientId: callerAppId,
      ticket: { system: 'Access package', number: packageName },
      callout: {
        kind: 'access-package',
        assignmentRequestId: callout.AccessPackageAssignmentRequestId.toLowerCase(),
        stageInstanceId,
        stage: callout.Stage,
      },
    },
    deliverTo: settings.deliverTo,
  };
}

/**
 * A joiner's Lifecycle Workflows task: the workflow is the asker (no person asked), the subject the
 * person, the pass for their manager (from Graph, never from the callout) and starting at their hire
 * date, which the approver's check reads. The task processing result id is what retries share.
 */
export function lifecycleDraft(callerAppId: string, callout: LifecycleCallout): CalloutDraft {
  const { data } = callout;
  const workflowName = neutraliseChat(data.workflow.displayName, 80);
  return {
    callerAppId,
    key: data.taskProcessingResult.id.toLowerCase(),
    requester: { oid: callerAppId, name: 'Lifecycle Workflows' },
    userId: data.subject.id.toLowerCase(),
    reason: neutraliseChat(`Joiner workflow '${workflowName}' for ${data.subject.displayName}`, 400),
    ticket: `Lifecycle workflow ${workflowName}`,
    source: {
      kind: 'lifecycle-task',
      clientId: callerAppId,
      ticket: { system: 'Lifecycle workflow', number: workflowName },
      callout: { kind: 'lifecycle-task', callbackUriPath: data.callbackUriPath },
    },
    deliverTo: 'manager',
  };
}
