import { problem, type Problem } from '../errors/catalog.js';
import { problemForGraphFailure } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import type { TapGraph } from '../graph/port.js';
import type { StoredRow } from '../store/port.js';
import type { DecisionOutcome } from '../tap/approval-outcome.js';
import { auditAfterTheFact, requestEvent } from '../tap/audit-events.js';
import { ignoreConflict, type Clicker } from '../tap/clicks.js';
import type { CoreDeps } from '../tap/core-deps.js';
import { barrierFor } from '../tap/eligibility.js';
import { factsOf, snapshot } from '../tap/facts.js';
import { planIssue, policyTerms } from '../tap/plan.js';
import { planRefusalCode, toCandidate } from '../tap/prepare.js';
import { isPrivileged, privilegeText, rolesHeldBy } from '../tap/privilege.js';
import type { TapRequest } from '../tap/request.js';
import { checkDeliveryChannel } from '../delivery/request-check.js';

const READ_TIMEOUT_MS = 5_000;

/** True for a request another system made that no approver has read in Entra yet. */
export const needsPersonCheck = (request: TapRequest): boolean =>
  request.source !== undefined && !request.target;

/**
 * The first Approve on a request from another system. Nobody has read the person yet (TapDesk holds
 * no permission to read people, and a system is not a person with a token), so this click reads
 * them with the approver's own sign-in: who they are, their manager, their pass, their roles (a
 * privileged person now needs a privileged approver) and the policy, plans the pass against it and
 * puts all of it on the card. Nothing is created: the approver decides again on what they now see,
 * and that Approve runs every check of an approval (four eyes, the facts still holding, limits).
 */
export async function checkRequestedPerson(
  deps: CoreDeps,
  graph: TapGraph,
  row: StoredRow<TapRequest>,
  clicker: Clicker,
): Promise<DecisionOutcome> {
  const request = row.value;
  const who = request.query;
  const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
  try {
    const user = await graph.getUser(who, signal);
    const barrier = barrierFor(user, request.requester.oid, false, 'approval');
    if (barrier || !user)
      return end(
        deps,
        row,
        clicker,
        problem(barrier ?? 'TAP_USER_NOT_FOUND', { who, targetName: user?.displayName }),
      );
    const ctx = { targetName: user.displayName, who: user.userPrincipalName };
    const [manager, roles, pass, policy] = await Promise.all([
      graph.getManager(user.id, signal),
      rolesHeldBy(graph, deps.roleReader, user.id, signal),
      // An Authentication Administrator may not read an admin's passes: unread, not a failure (the
      // roles read below is what sends such a request to a privileged approver).
      graph.listTaps(user.id, signal).then(
        (found) => found[0] ?? null,
        () => undefined,
      ),
      graph.getTapPolicy(signal),
    ]);
    const now = deps.clock.now();
    const asked = await askedFor(graph, request, user.id, now, signal);
    const planned = planIssue(asked, policy, now, deps.maxLifetimeMinutes);
    if (!planned.ok) return end(deps, row, clicker, problem(planRefusalCode(planned.reason), ctx));
    const reach = await checkDeliveryChannel(graph, request.approval!.deliverTo, user, manager, signal);
    if (!reach.ok) return end(deps, row, clicker, reach.problem);
    const privileged = isPrivileged(roles);
    const approval = request.approval!;
    const checked: TapRequest = {
      ...request,
      asked,
      target: toCandidate(user),
      manager: manager ? { id: manager.id, displayName: manager.displayName } : null,
      plan: planned.plan,
      ...(policy ? { policy: policyTerms(policy) } : {}),
      // A system holds no Entra role: it could never have issued the pass itself.
      checks: {
        issuerStrength: 'none',
        targetPrivileged: privileged,
        ...(privileged ? { targetRoles: privilegeText(roles) } : {}),
      },
      shown: snapshot(factsOf(user, pass, privileged, policy)),
      approval: {
        ...approval,
        needs: privileged ? 'privileged' : 'authentication',
        notes: planned.notes,
        checkedBy: clicker,
        checkedAt: now.toISOString(),
        ...(reach.delivery ? { delivery: reach.delivery } : {}),
      },
    };
    const written = await deps.requests.update(row, checked).catch(ignoreConflict);
    // Another approver's click got there first; what they wrote stands and their card shows it.
    if (!written) return { kind: 'refused', problem: problem('REQUEST_ALREADY_USED') };
    await auditAfterTheFact(deps, requestEvent('approval.checked', written.value, clicker));
    const found: Problem =
      user.id === clicker.oid
        ? problem('APPROVAL_FOR_SELF')
        : problem('API_REQUEST_CHECKED', { ...ctx, detail: privileged ? privilegeText(roles) : undefined });
    return { kind: 'reopened', problem: found, request: written.value };
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    return { kind: 'refused', problem: problemForGraphFailure(error, { operation: 'read', who }) };
  }
}

/**
 * A Lifecycle Workflows joiner's pass starts at their hire date, read here with the approver's own
 * sign-in (the callout does not carry it); a hire date already past (or unset) means now.
 */
async function askedFor(
  graph: TapGraph,
  request: TapRequest,
  userId: string,
  now: Date,
  signal: AbortSignal,
): Promise<TapRequest['asked']> {
  if (request.source?.kind !== 'lifecycle-task' || !graph.getHireDate) return request.asked;
  const hired = Date.parse((await graph.getHireDate(userId, signal)) ?? '');
  if (!Number.isFinite(hired) || hired <= now.getTime()) return request.asked;
  return { ...request.asked, start: { kind: 'at-instant', iso: new Date(hired).toISOString() } };
}

/** Nobody can get this pass (not found, a guest, the policy refuses): the request ends, audited. */
async function end(
  deps: CoreDeps,
  row: StoredRow<TapRequest>,
  clicker: Clicker,
  found: Problem,
): Promise<DecisionOutcome> {
  const at = deps.clock.now().toISOString();
  const ended = await deps.requests
    .update(row, { ...row.value, state: 'failed', outcome: { problemCode: found.code, at } })
    .catch(ignoreConflict);
  if (!ended) return { kind: 'refused', problem: problem('REQUEST_ALREADY_USED') };
  await auditAfterTheFact(deps, requestEvent('tap.failed', ended.value, clicker, { code: found.code }));
  return { kind: 'ended', problem: found, request: ended.value };
}
