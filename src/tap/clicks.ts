import { problem, type Problem } from '../errors/catalog.js';
import { problemForGraphFailure } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import type { TapGraph } from '../graph/port.js';
import { ConflictError, type StoredRow } from '../store/port.js';
import { checkAndPlan, type PrepareOutcome } from './prepare.js';
import type { CoreDeps } from './core-deps.js';
import { auditAfterTheFact, requestEvent } from './audit-events.js';
import { issuerOf, recipientOf, type Person, type TapRequest } from './request.js';
import { ruleFor, type RequestVerb } from './click-rules.js';
import { VERBS } from '../cards/actions.js';
import { alreadyHandled } from './already-handled.js';

/** Who clicked, as Teams reports it (from.aadObjectId), never as the card says. */
export interface Clicker {
  oid: string;
  name: string;
}

export type Guarded =
  { ok: true; row: StoredRow<TapRequest> } | { ok: false; problem: Problem; request?: TapRequest };

/**
 * A claim older than any create could still be running belongs to an instance that died between
 * claiming and hearing back from Graph. Whether the pass exists is unknown, and it stays unknown:
 * re-sending the create could replace a pass someone already holds.
 */
const STALE_CLAIM_MS = 30_000;
export const isStaleClaim = (deps: CoreDeps, request: TapRequest) =>
  !!request.usedAt && deps.clock.now().getTime() - Date.parse(request.usedAt) > STALE_CLAIM_MS;

/** Records a dead instance's claim as "outcome unknown", for good: see STALE_CLAIM_MS. */
export async function markOutcomeUnknown(
  deps: CoreDeps,
  row: StoredRow<TapRequest>,
  clicker: Clicker,
): Promise<Guarded> {
  const request = row.value;
  const found = problem('TAP_OUTCOME_UNKNOWN', {
    targetName: request.target?.displayName,
    who: request.target?.userPrincipalName ?? request.query,
  });
  const unknown = await deps.requests
    .update(row, {
      ...request,
      state: 'unknown',
      outcome: { problemCode: found.code, at: deps.clock.now().toISOString() },
    })
    .catch(ignoreConflict);
  if (unknown)
    await auditAfterTheFact(
      deps,
      requestEvent('tap.outcome_unknown', unknown.value, clicker, { code: found.code }),
    );
  return { ok: false, problem: found, request: unknown?.value ?? request };
}

/** States in which a request still waits for someone's decision, so its card's time limit applies. */
const UNDECIDED: ReadonlySet<TapRequest['state']> = new Set(['choosing', 'pending', 'awaiting']);

/**
 * The checks every click on a request passes before anything happens, in one place: the request
 * exists, the verb applies to its kind (CLICK_RULES), the clicker is who the rule names, the request
 * is in a state the rule allows, and an undecided request has not expired (recorded on the way).
 * Approvers are checked by the approval guard, which needs the approvers' conversation too.
 */
export async function guardClick(
  deps: CoreDeps,
  verb: RequestVerb,
  requestId: string,
  clicker: Clicker,
): Promise<Guarded> {
  const row = await deps.requests.get(requestId);
  if (!row) return { ok: false, problem: problem('REQUEST_NOT_FOUND') };
  const request = row.value;
  const rule = ruleFor(verb, request);
  if (!rule) return { ok: false, problem: problem('CLICK_NOT_ALLOWED') };
  const owner =
    rule.who === 'issuer'
      ? issuerOf(request)
      : rule.who === 'recipient'
        ? recipientOf(request)
        : request.requester;
  const ctx = {
    who: request.target?.userPrincipalName ?? request.query,
    requesterName: owner.name,
  };
  if (rule.who !== 'approver' && owner.oid !== clicker.oid)
    return { ok: false, problem: problem('REQUEST_NOT_YOURS', ctx) };
  if (request.state === 'expired') return { ok: false, problem: problem('REQUEST_EXPIRED', ctx) };
  if (request.state === 'issuing' && isStaleClaim(deps, request))
    return markOutcomeUnknown(deps, row, clicker);
  // Unlike a create, deleting one method id is idempotent: a Revoke whose instance died waiting for
  // Graph may be clicked again, or the pass would stay live behind an "already used" answer.
  if (verb === VERBS.revoke && request.state === 'revoking' && isStaleClaim(deps, request))
    return { ok: true, row };
  if (!rule.states.includes(request.state)) {
    return { ok: false, problem: alreadyHandled(request) };
  }
  if (UNDECIDED.has(request.state) && deps.clock.now().getTime() > Date.parse(request.expiresAt)) {
    await recordExpiry(deps, row, clicker);
    return { ok: false, problem: problem('REQUEST_EXPIRED', ctx) };
  }
  return { ok: true, row };
}

/**
 * Marks a request expired with a conditional write and audits it, on behalf of `actor` (the clicker
 * who found it late, or TapDesk itself). Undefined when someone else changed the request first.
 */
export async function recordExpiry(
  deps: CoreDeps,
  row: StoredRow<TapRequest>,
  actor: Person,
): Promise<TapRequest | undefined> {
  const expired = await deps.requests.update(row, { ...row.value, state: 'expired' }).catch(ignoreConflict);
  if (expired) await auditAfterTheFact(deps, requestEvent('request.expired', expired.value, actor));
  return expired?.value;
}

/** Swallows a lost conditional write (someone else changed the row first); rethrows anything else. */
export function ignoreConflict(error: unknown): undefined {
  if (!(error instanceof ConflictError)) throw error;
  return undefined;
}

/** The admin picked one of several matching people on a choice card. */
export async function chooseTarget(
  deps: CoreDeps,
  graph: TapGraph,
  click: { requestId: string; userId: string; clicker: Clicker },
): Promise<PrepareOutcome> {
  const guarded = await guardClick(deps, VERBS.choose, click.requestId, click.clicker);
  if (!guarded.ok) return { kind: 'problem', problem: guarded.problem };
  const { row } = guarded;
  // A request waiting for its requester's role activation is planned only once the role is active.
  if (row.value.activation) return { kind: 'problem', problem: problem('CLICK_NOT_ALLOWED') };
  // Only people we offered can be chosen: the card's userId is a pointer into our own list.
  if (!row.value.candidates?.some((c) => c.id === click.userId)) {
    return { kind: 'problem', problem: problem('BAD_CARD_PAYLOAD') };
  }
  return planForUser(deps, graph, row.value, click.userId, row);
}

/**
 * Reads the chosen person, the caller's roles and the policy fresh from Graph and plans the request
 * for them; `existing` is the stored row to turn pending, or undefined to store a new request.
 */
async function planForUser(
  deps: CoreDeps,
  graph: TapGraph,
  draft: Omit<TapRequest, 'id'> & { id?: string },
  userId: string,
  existing: StoredRow<TapRequest> | undefined,
): Promise<PrepareOutcome> {
  const signal = AbortSignal.timeout(5_000);
  try {
    const [user, myRoles, policy] = await Promise.all([
      graph.getUser(userId, signal),
      graph.getRoles('me', signal),
      graph.getTapPolicy(signal),
    ]);
    if (!user) return { kind: 'problem', problem: problem('TAP_USER_NOT_FOUND', { who: draft.query }) };
    return await checkAndPlan(deps, graph, draft, user, myRoles, policy, signal, existing);
  } catch (error) {
    if (error instanceof ConflictError) return { kind: 'problem', problem: problem('REQUEST_ALREADY_USED') };
    if (error instanceof GraphFailure) {
      return {
        kind: 'problem',
        problem: problemForGraphFailure(error, { operation: 'read', who: draft.query }),
      };
    }
    throw error;
  }
}

/**
 * "Issue a new one" on a notice: a fresh pending request for the same person with the same options,
 * planned and checked anew (roles, policy, limits). Only the admin who issued the first may ask.
 */
export async function reissueFrom(
  deps: CoreDeps,
  graph: TapGraph,
  click: { requestId: string; clicker: Clicker; conversationId: string },
): Promise<PrepareOutcome> {
  const guarded = await guardClick(deps, VERBS.reissue, click.requestId, click.clicker);
  if (!guarded.ok) return { kind: 'problem', problem: guarded.problem };
  const first = guarded.row.value;
  const issuer = issuerOf(first);
  const now = deps.clock.now();
  const draft: Omit<TapRequest, 'id'> = {
    kind: 'issue',
    state: 'pending',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.requestTtlMinutes * 60_000).toISOString(),
    requester: issuer,
    timeZone: first.timeZone,
    conversationId: click.conversationId,
    query: first.target!.userPrincipalName,
    // A start time was for the first pass; the new one starts now.
    asked: { ...first.asked, start: undefined },
  };
  return planForUser(deps, graph, draft, first.target!.id, undefined);
}

/** Cancel by the requester; a cancelled request can never be confirmed. */
export async function cancelRequest(
  deps: CoreDeps,
  click: { requestId: string; clicker: Clicker },
): Promise<{ kind: 'cancelled'; request: TapRequest } | { kind: 'problem'; problem: Problem }> {
  // The requester withdraws: a choice or confirmation card, or the tracking card of an approval request.
  const guarded = await guardClick(deps, VERBS.cancel, click.requestId, click.clicker);
  if (!guarded.ok) return { kind: 'problem', problem: guarded.problem };
  try {
    const cancelled = await deps.requests.update(guarded.row, { ...guarded.row.value, state: 'cancelled' });
    await auditAfterTheFact(deps, requestEvent('request.cancelled', cancelled.value, click.clicker));
    return { kind: 'cancelled', request: cancelled.value };
  } catch (error) {
    ignoreConflict(error);
    // Lost a race (most likely to Confirm): say what the winner did.
    return { kind: 'problem', problem: alreadyHandled((await deps.requests.get(click.requestId))?.value) };
  }
}
