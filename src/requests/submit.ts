import { randomUUID } from 'node:crypto';
import { problem, type Problem } from '../errors/catalog.js';
import { ConflictError } from '../store/port.js';
import { ignoreConflict } from '../tap/clicks.js';
import { UnitOfWork } from '../store/unit.js';
import { requestEvent } from '../tap/audit-events.js';
import type { CoreDeps } from '../tap/core-deps.js';
import { MAX_OPEN_APPROVALS_PER_REQUESTER } from '../tap/open-approvals.js';
import { planIssue } from '../tap/plan.js';
import type { Person, TapRequest } from '../tap/request.js';
import type { ApiRequestBody } from './body.js';
import { fingerprintOf, IdempotencyKeys } from './idempotency.js';

/** The system that called, from its validated token: its client id and the name configured for it. */
export interface ApiCaller {
  clientId: string;
  name: string;
}

export type SubmitOutcome =
  /** A new request, stored awaiting approval; its card is still to be posted. */
  | { kind: 'created'; request: TapRequest }
  /** The same caller sent this key with this body before: the request it made then. */
  | { kind: 'replayed'; request: TapRequest }
  /** The same caller sent this key with another body: refused, nothing stored. */
  | { kind: 'key-reused' }
  /** The body asks for a pass the plan refuses (a start in the past): `field` names it. */
  | { kind: 'invalid'; field: string; problem: Problem }
  /** Nothing can be stored now (approvals off, approvers unreachable, too many open). */
  | { kind: 'problem'; problem: Problem };

export interface SubmitInput {
  caller: ApiCaller;
  body: ApiRequestBody;
  idempotencyKey: string;
  /** Whether the approval card can reach the approvers now; asked only before a new request is stored. */
  approversReachable: () => Promise<boolean>;
}

/** The requester recorded for a system: its client id stands where a person's object id would. */
export const requesterOf = (caller: ApiCaller): Person => ({ oid: caller.clientId, name: caller.name });

/**
 * POST /api/requests, after the token and the body were checked: stores an approval request that
 * nobody has looked up yet. TapDesk has no permission of its own to read people, so the person is
 * only named here; the first approver reads them with their own sign-in before anything can be
 * issued (requests/check-person.ts). The request, its Idempotency-Key and its audit event are one
 * commit, led by the key, so a retry can never make a second request.
 */
export async function submitApiRequest(deps: CoreDeps, input: SubmitInput): Promise<SubmitOutcome> {
  const settings = deps.approvals;
  const keys = new IdempotencyKeys(deps.store);
  const { caller, body, idempotencyKey } = input;
  const fingerprint = fingerprintOf(body);
  const earlier = await replayOf(deps, keys, caller, idempotencyKey, fingerprint);
  if (earlier) return earlier;
  if (!settings.approversConversationId) return { kind: 'problem', problem: problem('APPROVALS_OFF') };
  if (!(await input.approversReachable()))
    return { kind: 'problem', problem: problem('APPROVERS_UNREACHABLE') };

  const now = deps.clock.now();
  const requester = requesterOf(caller);
  if ((await deps.openApprovals.count(requester.oid, now)) >= MAX_OPEN_APPROVALS_PER_REQUESTER)
    return {
      kind: 'problem',
      problem: problem('APPROVAL_TOO_MANY_OPEN', { max: MAX_OPEN_APPROVALS_PER_REQUESTER }),
    };
  const asked = {
    ...(body.lifetimeMinutes !== undefined ? { lifetimeMinutes: body.lifetimeMinutes } : {}),
    ...(body.isUsableOnce !== undefined ? { usableOnce: body.isUsableOnce } : {}),
    ...(body.startDateTime
      ? { start: { kind: 'at-instant' as const, iso: new Date(body.startDateTime).toISOString() } }
      : {}),
    utcOffsetMinutes: 0,
  };
  // Planned without the policy (nobody has read it yet) so the card shows the pass as asked, capped
  // by TapDesk; the approver's check plans it again against the policy they can read.
  const planned = planIssue(asked, null, now, deps.maxLifetimeMinutes);
  if (!planned.ok) {
    const code = planned.reason === 'start-in-past' ? 'START_IN_PAST' : 'START_TOO_FAR';
    return { kind: 'invalid', field: 'startDateTime', problem: problem(code) };
  }
  const request: TapRequest = {
    id: randomUUID(),
    kind: 'approval',
    state: 'awaiting',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + settings.ttlMinutes * 60_000).toISOString(),
    requester,
    // Cards about it show times in UTC: a system has no time zone of its own.
    timeZone: 'UTC',
    // No chat asked: nobody is told in a conversation; the system reads GET /api/requests/{id}.
    conversationId: '',
    query: body.user,
    asked,
    plan: planned.plan,
    ticket: `${body.ticket.system} ${body.ticket.number}`,
    source: { kind: 'api', clientId: caller.clientId, ticket: { ...body.ticket } },
    approval: {
      reason: body.reason,
      basis: 'api',
      notes: planned.notes,
      // Raised to 'privileged' when the approver's check finds a directory role.
      needs: 'authentication',
      approversConversationId: settings.approversConversationId,
      // Never the requester: a system must not hold a pass (body.ts lists the channels there are).
      deliverTo: body.deliverTo,
    },
  };
  const unit = new UnitOfWork();
  keys.createIn(unit, caller.clientId, idempotencyKey, {
    requestId: request.id,
    fingerprint,
    createdAt: request.createdAt,
  });
  deps.requests.addIn(unit, request);
  deps.audit.appendIn(unit, requestEvent('approval.requested', request, requester, { reason: body.reason }));
  try {
    await unit.commit(deps.store);
  } catch (error) {
    // Another call with the same key won the race: answer as its retry would be answered.
    if (error instanceof ConflictError && error.index === 0) {
      const raced = await replayOf(deps, keys, caller, idempotencyKey, fingerprint);
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
  caller: ApiCaller,
  key: string,
  fingerprint: string,
): Promise<SubmitOutcome | undefined> {
  const record = await keys.get(caller.clientId, key);
  if (!record) return undefined;
  if (record.value.fingerprint !== fingerprint) return { kind: 'key-reused' };
  const row = await deps.requests.get(record.value.requestId);
  if (row) return { kind: 'replayed', request: row.value };
  // The key landed but its request did not: nothing was asked, so this call may ask afresh.
  await keys.forgetOrphan(caller.clientId, key, record.etag).catch(ignoreConflict);
  return undefined;
}
