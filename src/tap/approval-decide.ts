import { problem, type Problem } from '../errors/catalog.js';
import { problemForGraphFailure } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import type { CreatedTap, TapGraph } from '../graph/port.js';
import type { StoredRow } from '../store/port.js';
import { auditAfterTheFact, requestEvent } from './audit-events.js';
import { ignoreConflict, isStaleClaim, markOutcomeUnknown, recordExpiry, type Clicker } from './clicks.js';
import {
  createBody,
  CREATE_TIMEOUT_MS,
  endAfterCreateFailure,
  giveBackAllowance,
  problemForCreate,
  recordIssued,
} from './confirm.js';
import { limitProblem } from './limit-problem.js';
import type { CoreDeps } from './core-deps.js';
import { conversationRoot, TAPDESK, type TapRequest } from './request.js';
import { issuerStrength } from './roles.js';
import { refreshApproval } from './approval-refresh.js';
import type { DecisionOutcome } from './approval-outcome.js';
import { recheckFacts } from './recheck.js';
import { claimAndCharge } from './claim.js';
import { ruleFor } from './click-rules.js';
import { VERBS } from '../cards/actions.js';
import { checkRequestedPerson, needsPersonCheck } from '../requests/check-person.js';

/** Where a decision click came from: the approvers' conversation, or a hand-off 1:1 chat. */
export interface DecisionClick {
  requestId: string;
  clicker: Clicker;
  conversationId: string;
  isPersonalChat: boolean;
}

export type { DecisionOutcome };

type Guarded = { ok: true; row: StoredRow<TapRequest> } | { ok: false; outcome: DecisionOutcome };

/** Entra's refusals are kept for the card; a handful is enough to explain, and bounds the row. */
const MAX_REFUSALS = 5;

const refused = (p: Problem): Guarded => ({ ok: false, outcome: { kind: 'refused', problem: p } });

/** What an ended request says to a late click ("already approved by Erin at 10:02"). */
function decidedProblem(request: TapRequest): Problem {
  const decision = {
    issuing: 'being approved',
    issued: 'approved',
    revoking: 'approved',
    revoked: 'approved',
    replaced: 'approved',
    rejected: 'rejected',
    cancelled: 'cancelled',
    failed: 'approved, and failed,',
    unknown: 'approved (outcome unknown)',
  }[request.state as string];
  const decider =
    request.state === 'cancelled' ? request.requester : (request.approval?.decidedBy ?? request.requester);
  return problem('APPROVAL_DECIDED', {
    decision,
    deciderName: decider.name,
    decidedText: request.approval?.decidedAt,
    who: request.target?.userPrincipalName,
  });
}

/**
 * Every approval click passes these: a stored approval request, four eyes (not the requester, not
 * the target), the right place (the approvers' conversation, or the clicker's own 1:1 chat after a
 * hand-off), still awaiting and not expired. Expiry is recorded on the way.
 */
async function guardDecision(
  deps: CoreDeps,
  verb: typeof VERBS.approve | typeof VERBS.reject,
  click: DecisionClick,
): Promise<Guarded> {
  const row = await deps.requests.get(click.requestId);
  if (!row) return refused(problem('REQUEST_NOT_FOUND'));
  if (!ruleFor(verb, row.value) || !row.value.approval) return refused(problem('CLICK_NOT_ALLOWED'));
  const request = row.value;
  const approval = row.value.approval;
  if (request.requester.oid === click.clicker.oid) return refused(problem('APPROVAL_OWN_REQUEST'));
  if (request.target?.id === click.clicker.oid) return refused(problem('APPROVAL_FOR_SELF'));
  const inApproversChat = conversationRoot(click.conversationId) === approval.approversConversationId;
  const handedOff = click.isPersonalChat && (approval.handedOffTo ?? []).includes(click.clicker.oid);
  if (!inApproversChat && !handedOff) return refused(problem('APPROVAL_WRONG_PLACE'));
  if (request.state === 'issuing' && isStaleClaim(deps, request)) {
    const unknown = await markOutcomeUnknown(deps, row, click.clicker);
    if (!unknown.ok)
      return {
        ok: false,
        outcome: { kind: 'ended', problem: unknown.problem, request: unknown.request ?? request },
      };
  }
  const ctx = { who: request.target?.userPrincipalName, requesterName: request.requester.name };
  if (request.state === 'expired') return refused(problem('REQUEST_EXPIRED', ctx));
  if (request.state !== 'awaiting') return refused(decidedProblem(request));
  if (deps.clock.now().getTime() > Date.parse(request.expiresAt)) {
    const expired = await recordExpiry(deps, row, click.clicker);
    if (!expired) return refused(problem('REQUEST_EXPIRED', ctx));
    return {
      ok: false,
      outcome: { kind: 'ended', problem: problem('REQUEST_EXPIRED', ctx), request: expired },
    };
  }
  return { ok: true, row };
}

/** Puts a claimed request back to awaiting with this approver's refusal noted; someone else may approve. */
async function reopen(
  deps: CoreDeps,
  row: StoredRow<TapRequest>,
  clicker: Clicker,
  found: Problem,
): Promise<DecisionOutcome> {
  const request = row.value;
  const approval = request.approval!;
  const at = deps.clock.now().toISOString();
  const refusals = [...(approval.refusals ?? []), { by: clicker, code: found.code, at }].slice(-MAX_REFUSALS);
  // The claim's decider is cleared: nobody has decided while the request is open again.
  const open = { ...approval, refusals, decidedBy: undefined, decidedAt: undefined };
  const reopened = await deps.requests
    .update(row, { ...request, state: 'awaiting', usedAt: undefined, approval: open })
    .catch(ignoreConflict);
  await auditAfterTheFact(
    deps,
    requestEvent('approval.refused', reopened?.value ?? request, clicker, { code: found.code }),
  );
  return { kind: 'reopened', problem: found, request: reopened?.value ?? request };
}

/**
 * Approve: the approver's own delegated token creates the pass, so Entra checks the approver's role.
 * Roles are read first only to explain a refusal before anything is claimed; Graph's answer decides.
 * The claim is a conditional write, so of several concurrent approvers exactly one calls Graph.
 */
export async function approveRequest(
  deps: CoreDeps,
  acquireGraph: () => Promise<TapGraph>,
  click: DecisionClick,
): Promise<DecisionOutcome> {
  const guarded = await guardDecision(deps, VERBS.approve, click);
  if (!guarded.ok) return guarded.outcome;
  const graph = await acquireGraph();
  const standing = await approverStanding(graph, guarded.row.value);
  if (standing.kind === 'unreadable') return { kind: 'refused', problem: standing.problem };
  if (standing.kind === 'not-approver') return reopen(deps, guarded.row, click.clicker, standing.problem);
  // Another system asked and nobody has read the person yet: this click reads them, nothing more.
  if (needsPersonCheck(guarded.row.value))
    return checkRequestedPerson(deps, graph, guarded.row, click.clicker);
  const ctx = {
    targetName: guarded.row.value.target!.displayName,
    who: guarded.row.value.target!.userPrincipalName,
  };

  // What the approvers' card showed must still hold, read with the approver's token before the claim.
  const recheck = await recheckFacts(deps, graph, guarded.row.value);
  if (recheck.kind === 'problem' || recheck.kind === 'changed') {
    // Another approver may have claimed it meanwhile, and their new pass be the "change" seen here.
    const latest = await deps.requests.get(click.requestId);
    if (latest?.etag !== guarded.row.etag)
      return {
        kind: 'refused',
        problem: latest ? decidedProblem(latest.value) : problem('REQUEST_NOT_FOUND'),
      };
  }
  if (recheck.kind === 'problem') return reopen(deps, guarded.row, click.clicker, recheck.problem);
  if (recheck.kind === 'changed')
    return refreshApproval(deps, guarded.row, recheck.changes, recheck.live, click.clicker);

  const now = deps.clock.now().toISOString();
  const request = guarded.row.value;
  const claimed: TapRequest = {
    ...request,
    state: 'issuing',
    usedAt: now,
    approval: { ...request.approval!, decidedBy: click.clicker, decidedAt: now },
  };
  // Claim, audit and the approver's allowance in one commit, before Graph is called.
  const result = await claimAndCharge(deps, guarded.row, {
    value: claimed,
    issuerOid: click.clicker.oid,
    event: requestEvent('approval.approved', claimed, click.clicker, {
      ...(request.approval?.reason ? { reason: request.approval.reason } : {}),
    }),
    // No pass without its audit trail: the request goes back to awaiting, nothing is issued.
    giveUp: request,
  });
  if (result.kind === 'lost')
    return {
      kind: 'refused',
      problem: result.latest ? decidedProblem(result.latest.value) : problem('REQUEST_NOT_FOUND'),
    };
  if (result.kind === 'limited') {
    const found = limitProblem(result.hit, { ...ctx, timeZone: request.timeZone, now: deps.clock.now() });
    return reopen(deps, result.row, click.clicker, found);
  }
  const { row, takenAt } = result;
  const target = row.value.target!;
  let pass: CreatedTap;
  try {
    pass = await graph.createTap(
      target.id,
      createBody(row.value.plan),
      AbortSignal.timeout(CREATE_TIMEOUT_MS),
    );
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    // A create that certainly failed made no pass: it must not use up anyone's allowance.
    if (!error.outcomeUnknown) await giveBackAllowance(deps, click.clicker, target.id, takenAt);
    return recordCreateFailure(deps, row, error, click.clicker);
  }
  return recordIssued(deps, row, pass, click.clicker, recheck.live?.pass ?? undefined);
}

/**
 * A refusal that is about this approver (their role, Entra's throttling) leaves the request open
 * for another; a create whose outcome is unknown is never retried; anything else ends it.
 */
async function recordCreateFailure(
  deps: CoreDeps,
  row: StoredRow<TapRequest>,
  error: GraphFailure,
  clicker: Clicker,
): Promise<DecisionOutcome> {
  const found = problemForCreate(
    row.value,
    error,
    row.value.approval!.needs === 'privileged' ? 'approver-not-privileged' : 'approver-role',
  );
  if (!error.outcomeUnknown && (error.status === 403 || error.status === 429))
    return reopen(deps, row, clicker, found);
  return {
    kind: 'ended',
    problem: found,
    request: await endAfterCreateFailure(deps, row, error, found, clicker),
  };
}

/**
 * Whether the clicker may decide this request, read with their own token: an active role that can
 * issue passes, a privileged one for a privileged target. Only a friendly pre-check for Approve
 * (Entra decides the create), but the only check for Reject, which writes nothing to Entra.
 */
async function approverStanding(
  graph: TapGraph,
  request: TapRequest,
): Promise<{ kind: 'approver' } | { kind: 'not-approver' | 'unreadable'; problem: Problem }> {
  // An API request names its person before an approver has read them (requests/check-person.ts).
  const ctx = {
    targetName: request.target?.displayName,
    who: request.target?.userPrincipalName ?? request.query,
  };
  let strength;
  try {
    strength = issuerStrength(await graph.getRoles('me', AbortSignal.timeout(5_000)));
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    return { kind: 'unreadable', problem: problemForGraphFailure(error, { operation: 'read', ...ctx }) };
  }
  if (strength === 'none') return { kind: 'not-approver', problem: problem('APPROVER_ROLE_MISSING', ctx) };
  if (request.approval!.needs === 'privileged' && strength !== 'privileged')
    return { kind: 'not-approver', problem: problem('APPROVER_NOT_PRIVILEGED', ctx) };
  return { kind: 'approver' };
}

/**
 * Reject, with the reason the requester will read. Only someone who could approve may reject: the
 * reason reaches the requester as TapDesk's word, and a rejection ends the request for everyone.
 */
export async function rejectRequest(
  deps: CoreDeps,
  acquireGraph: () => Promise<TapGraph>,
  click: DecisionClick & { reason: string },
): Promise<DecisionOutcome> {
  const guarded = await guardDecision(deps, VERBS.reject, click);
  if (!guarded.ok) return guarded.outcome;
  const standing = await approverStanding(await acquireGraph(), guarded.row.value);
  if (standing.kind !== 'approver') return { kind: 'refused', problem: standing.problem };
  const request = guarded.row.value;
  const now = deps.clock.now().toISOString();
  try {
    const rejected = await deps.requests.update(guarded.row, {
      ...request,
      state: 'rejected',
      usedAt: now,
      approval: {
        ...request.approval!,
        decidedBy: click.clicker,
        decidedAt: now,
        rejectReason: click.reason,
      },
    });
    await auditAfterTheFact(
      deps,
      requestEvent('approval.rejected', rejected.value, click.clicker, { reason: click.reason }),
    );
    return { kind: 'rejected', request: rejected.value };
  } catch (error) {
    ignoreConflict(error);
    const latest = await deps.requests.get(click.requestId);
    return { kind: 'refused', problem: latest ? decidedProblem(latest.value) : problem('REQUEST_NOT_FOUND') };
  }
}

/**
 * Lets this approver decide from their 1:1 chat: used when Teams could not give TapDesk their token
 * where they clicked. Only the four-eyes and state checks run here; approving runs them all again.
 */
export async function allowHandOff(deps: CoreDeps, click: DecisionClick): Promise<DecisionOutcome | null> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const guarded = await guardDecision(deps, VERBS.approve, click);
    if (!guarded.ok) return guarded.outcome;
    const approval = guarded.row.value.approval!;
    if ((approval.handedOffTo ?? []).includes(click.clicker.oid)) return null;
    const next = { ...approval, handedOffTo: [...(approval.handedOffTo ?? []), click.clicker.oid] };
    const written = await deps.requests
      .update(guarded.row, { ...guarded.row.value, approval: next })
      .catch(ignoreConflict);
    if (written) {
      // Who may now approve from a 1:1 chat is part of the trail.
      await auditAfterTheFact(deps, requestEvent('approval.handed_off', written.value, click.clicker));
      return null;
    }
  }
  return { kind: 'refused', problem: problem('REQUEST_ALREADY_USED') };
}

/**
 * Ends an approval request nobody decided in time, at its expiry, so its cards can say so without
 * anyone clicking. Returns the expired request, or null when it was decided (or is not due) first.
 */
export async function expireIfDue(deps: CoreDeps, requestId: string): Promise<TapRequest | null> {
  const row = await deps.requests.get(requestId);
  if (!row || row.value.state !== 'awaiting') return null;
  if (deps.clock.now().getTime() < Date.parse(row.value.expiresAt)) return null;
  return (await recordExpiry(deps, row, TAPDESK)) ?? null;
}
