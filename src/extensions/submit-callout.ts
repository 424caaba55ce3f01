import { randomUUID } from 'node:crypto';
import { problem, type Problem } from '../errors/catalog.js';
import { fingerprintOf, IdempotencyKeys } from '../requests/idempotency.js';
import { ConflictError } from '../store/port.js';
import { UnitOfWork } from '../store/unit.js';
import { requestEvent } from '../tap/audit-events.js';
import type { CoreDeps } from '../tap/core-deps.js';
import { MAX_OPEN_APPROVALS_PER_REQUESTER } from '../tap/open-approvals.js';
import { planIssue } from '../tap/plan.js';
import type { Person, TapRequest } from '../tap/request.js';
import { neutraliseChat } from '../text/plain.js';
import { answersText, type AccessPackageCallout } from './access-package-body.js';

export type CalloutOutcome =
  | { kind: 'created'; request: TapRequest }
  /** Entra retried a callout TapDesk already holds (same stage instance): nothing new. */
  | { kind: 'replayed'; request: TapRequest }
  | { kind: 'problem'; problem: Problem };

/**
 * An access package request's callout becomes an approval: the requestor (the manager asking on
 * behalf of a report) is the asker, the assignment's subject the person, named by object id only;
 * the first approver reads them with their own sign-in (requests/check-person.ts) before anything
 * can be issued. Entra retries a callout it got no answer to, so the stage instance id is the
 * idempotency key: the request, its key and its audit event are one commit.
 */
export async function submitAccessPackageCallout(
  deps: CoreDeps,
  callerAppId: string,
  callout: AccessPackageCallout,
  approversReachable: () => Promise<boolean>,
): Promise<CalloutOutcome> {
  const settings = deps.approvals;
  const keys = new IdempotencyKeys(deps.store);
  const key = callout.CustomExtensionStageInstanceId.toLowerCase();
  const fingerprint = fingerprintOf(callout);
  const earlier = await replayOf(deps, keys, callerAppId, key);
  if (earlier) return earlier;
  if (!settings.approversConversationId) return { kind: 'problem', problem: problem('APPROVALS_OFF') };
  if (!(await approversReachable())) return { kind: 'problem', problem: problem('APPROVERS_UNREACHABLE') };
  const now = deps.clock.now();
  const requester: Person = {
    oid: callout.Requestor.ObjectId.toLowerCase(),
    name: neutraliseChat(callout.Requestor.DisplayName, 60),
  };
  if ((await deps.openApprovals.count(requester.oid, now)) >= MAX_OPEN_APPROVALS_PER_REQUESTER)
    return {
      kind: 'problem',
      problem: problem('APPROVAL_TOO_MANY_OPEN', { max: MAX_OPEN_APPROVALS_PER_REQUESTER }),
    };
  const asked = { utcOffsetMinutes: 0 };
  const planned = planIssue(asked, null, now, deps.maxLifetimeMinutes);
  if (!planned.ok) throw new Error(`an immediate pass cannot be planned: ${planned.reason}`);
  const packageName = neutraliseChat(callout.AccessPackage.DisplayName, 80);
  const answers = answersText(callout.Answers);
  const reason = neutraliseChat(
    `Access package '${packageName}' requested for ${callout.Assignment.Target.DisplayName}${answers ? `: ${answers}` : ''}`,
    400,
  );
  const request: TapRequest = {
    id: randomUUID(),
    kind: 'approval',
    state: 'awaiting',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + settings.ttlMinutes * 60_000).toISOString(),
    requester,
    timeZone: 'UTC',
    // Nobody asked in a chat: Entra learns the outcome from the resume.
    conversationId: '',
    query: callout.Assignment.Target.ObjectId.toLowerCase(),
    asked,
    plan: planned.plan,
    ticket: `Access package ${packageName}`,
    source: {
      kind: 'access-package',
      clientId: callerAppId,
      ticket: { system: 'Access package', number: packageName },
      callout: {
        assignmentRequestId: callout.AccessPackageAssignmentRequestId.toLowerCase(),
        stageInstanceId: key,
        stage: callout.Stage,
      },
    },
    approval: {
      reason,
      // Entra's access package policy decided who may ask; TapDesk records it as another system's request.
      basis: 'api',
      notes: planned.notes,
      needs: 'authentication',
      approversConversationId: settings.approversConversationId,
      deliverTo: settings.deliverTo,
    },
  };
  const unit = new UnitOfWork();
  keys.createIn(unit, callerAppId, key, { requestId: request.id, fingerprint, createdAt: request.createdAt });
  deps.requests.addIn(unit, request);
  deps.audit.appendIn(unit, requestEvent('approval.requested', request, requester, { reason }));
  try {
    await unit.commit(deps.store);
  } catch (error) {
    if (error instanceof ConflictError && error.index === 0) {
      const raced = await replayOf(deps, keys, callerAppId, key);
      if (raced) return raced;
    }
    throw error;
  }
  await deps.openApprovals.add(requester.oid, request.id, request.expiresAt);
  return { kind: 'created', request };
}

async function replayOf(
  deps: CoreDeps,
  keys: IdempotencyKeys,
  callerAppId: string,
  key: string,
): Promise<CalloutOutcome | undefined> {
  const record = await keys.get(callerAppId, key);
  if (!record) return undefined;
  const row = await deps.requests.get(record.value.requestId);
  return row ? { kind: 'replayed', request: row.value } : undefined;
}
