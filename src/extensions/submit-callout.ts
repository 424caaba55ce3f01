import { randomUUID } from 'node:crypto';
import { problem, type Problem } from '../errors/catalog.js';
import { fingerprintOf, IdempotencyKeys } from '../requests/idempotency.js';
import { ConflictError } from '../store/port.js';
import { UnitOfWork } from '../store/unit.js';
import { requestEvent } from '../tap/audit-events.js';
import type { CoreDeps } from '../tap/core-deps.js';
import { MAX_OPEN_APPROVALS_PER_REQUESTER } from '../tap/open-approvals.js';
import { planIssue } from '../tap/plan.js';
import type { ApprovalInfo, Person, RequestSource, TapRequest } from '../tap/request.js';

/** What a callout asks, already checked and neutralised (drafts.ts builds it from each payload). */
export interface CalloutDraft {
  /** The app Entra signed the callout as, and the key Entra's retries of this callout share. */
  callerAppId: string;
  key: string;
  requester: Person;
  /** The person, by object id: the first approver reads them with their own sign-in. */
  userId: string;
  reason: string;
  ticket: string;
  source: RequestSource;
  deliverTo: ApprovalInfo['deliverTo'];
}

export type CalloutOutcome =
  | { kind: 'created'; request: TapRequest }
  /** Entra retried a callout TapDesk already holds: nothing new, the same request. */
  | { kind: 'replayed'; request: TapRequest }
  | { kind: 'problem'; problem: Problem };

/**
 * A custom extension's callout becomes an approval request, as one from the request API does:
 * nobody has read the person yet (TapDesk holds no permission to), so the first approver's click
 * reads them with their own sign-in (requests/check-person.ts) before anything can be issued. Entra
 * retries a callout it got no answer to, so the request, its key and its audit event are one commit.
 */
export async function submitCallout(
  deps: CoreDeps,
  draft: CalloutDraft,
  approversReachable: () => Promise<boolean>,
): Promise<CalloutOutcome> {
  const settings = deps.approvals;
  const keys = new IdempotencyKeys(deps.store);
  const earlier = await replayOf(deps, keys, draft);
  if (earlier) return earlier;
  if (!settings.approversConversationId) return { kind: 'problem', problem: problem('APPROVALS_OFF') };
  if (!(await approversReachable())) return { kind: 'problem', problem: problem('APPROVERS_UNREACHABLE') };
  const now = deps.clock.now();
  const { requester } = draft;
  if ((await deps.openApprovals.count(requester.oid, now)) >= MAX_OPEN_APPROVALS_PER_REQUESTER)
    return {
      kind: 'problem',
      problem: problem('APPROVAL_TOO_MANY_OPEN', { max: MAX_OPEN_APPROVALS_PER_REQUESTER }),
    };
  // Planned without the policy (nobody has read it yet); the approver's check plans it again.
  const asked = { utcOffsetMinutes: 0 };
  const planned = planIssue(asked, null, now, deps.maxLifetimeMinutes);
  if (!planned.ok) throw new Error(`an immediate pass cannot be planned: ${planned.reason}`);
  const request: TapRequest = {
    id: randomUUID(),
    kind: 'approval',
    state: 'awaiting',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + settings.ttlMinutes * 60_000).toISOString(),
    requester,
    timeZone: 'UTC',
    // Nobody asked in a chat: Entra learns the outcome from TapDesk's resume.
    conversationId: '',
    query: draft.userId,
    asked,
    plan: planned.plan,
    ticket: draft.ticket,
    source: draft.source,
    approval: {
      reason: draft.reason,
      // Entra's own policy decided who may ask; TapDesk treats it as another system's request.
      basis: 'api',
      notes: planned.notes,
      needs: 'authentication',
      approversConversationId: settings.approversConversationId,
      deliverTo: draft.deliverTo,
    },
  };
  const unit = new UnitOfWork();
  keys.createIn(unit, draft.callerAppId, draft.key, {
    requestId: request.id,
    fingerprint: fingerprintOf(draft),
    createdAt: request.createdAt,
  });
  deps.requests.addIn(unit, request);
  deps.audit.appendIn(unit, requestEvent('approval.requested', request, requester, { reason: draft.reason }));
  try {
    await unit.commit(deps.store);
  } catch (error) {
    if (error instanceof ConflictError && error.index === 0) {
      const raced = await replayOf(deps, keys, draft);
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
  draft: CalloutDraft,
): Promise<CalloutOutcome | undefined> {
  const record = await keys.get(draft.callerAppId, draft.key);
  if (!record) return undefined;
  const row = await deps.requests.get(record.value.requestId);
  return row ? { kind: 'replayed', request: row.value } : undefined;
}
