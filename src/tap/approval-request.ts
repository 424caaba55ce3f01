import type { Command } from '../chat/grammar.js';
import { problem, type Problem } from '../errors/catalog.js';
import { problemForGraphFailure } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import type { DirectoryRole, DirectoryUser, TapGraph } from '../graph/port.js';
import { requestEvent } from './audit-events.js';
import { limitProblem } from './limit-problem.js';
import { planIssue, policyTerms } from './plan.js';
import { planRefusalCode, toCandidate } from './prepare.js';
import { barrierFor } from './eligibility.js';
import type { CoreDeps } from './core-deps.js';
import type { ApprovalInfo, Person, TapRequest } from './request.js';
import { resolveTarget } from './resolve.js';
import { MAX_OPEN_APPROVALS_PER_REQUESTER } from './open-approvals.js';
import { issuerStrength } from './roles.js';
import { isPrivileged, privilegeText, rolesHeldBy } from './privilege.js';
import { factsOf, snapshot } from './facts.js';
import { checkDeliveryChannel } from '../delivery/request-check.js';

export type RequestCommand = Extract<Command, { kind: 'request' }>;

export interface ApprovalInput {
  requester: Person;
  timeZone: string;
  utcOffsetMinutes: number;
  conversationId: string;
  command: RequestCommand;
}

/** What the approval and tracking cards show, read live with the requester's token. */
export interface ApprovalView {
  request: TapRequest;
  target: DirectoryUser;
  managerName: string | null;
  notes: string[];
}

export type ApprovalOutcome =
  { kind: 'problem'; problem: Problem } | { kind: 'requested'; view: ApprovalView };

const READ_TIMEOUT_MS = 5_000;
const MAX_MATCHES_SHOWN = 5;

/**
 * `request TAP for …`: someone who may not (or, for admins' accounts, must not alone) issue a pass
 * asks approvers for one. Every read runs with the requester's own token, so they learn nothing
 * Graph would not tell them. Stores an awaiting approval request; nothing is written to Entra.
 */
export async function requestApproval(
  deps: CoreDeps,
  graph: TapGraph,
  input: ApprovalInput,
): Promise<ApprovalOutcome> {
  const settings = deps.approvals;
  if (!settings.approversConversationId) return { kind: 'problem', problem: problem('APPROVALS_OFF') };
  const who = input.command.who;
  const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
  try {
    const [myRoles, policy, resolution] = await Promise.all([
      graph.getRoles('me', signal),
      graph.getTapPolicy(signal),
      resolveTarget(graph, who, signal),
    ]);
    if (resolution.kind === 'none')
      return { kind: 'problem', problem: problem('TAP_USER_NOT_FOUND', { who }) };
    if (resolution.kind === 'many')
      return { kind: 'problem', problem: ambiguous(who, resolution.users, resolution.more) };
    const user = resolution.user;
    const ctx = { targetName: user.displayName, who: user.userPrincipalName };
    // A privileged person is no barrier here: the approval goes to a privileged approver instead.
    const barrier = barrierFor(user, input.requester.oid, false, 'approval');
    if (barrier) return { kind: 'problem', problem: problem(barrier, ctx) };

    const [manager, targetRoles, inRequesterGroup, pass] = await Promise.all([
      graph.getManager(user.id, signal),
      rolesHeldBy(graph, deps.roleReader, user.id, signal),
      settings.requesterGroupId ? graph.isMemberOf(settings.requesterGroupId, signal) : false,
      // A manager may not read passes; the approver's read at Approve then fills this in.
      graph.listTaps(user.id, signal).then(
        (passes) => passes[0] ?? null,
        () => undefined,
      ),
    ]);
    const basis = basisOf(manager?.id === input.requester.oid, inRequesterGroup, myRoles);
    if (basis === null) {
      return {
        kind: 'problem',
        problem: problem('APPROVAL_NOT_ALLOWED', { ...ctx, managerName: manager?.displayName }),
      };
    }
    const now = deps.clock.now();
    if ((await deps.openApprovals.count(input.requester.oid, now)) >= MAX_OPEN_APPROVALS_PER_REQUESTER)
      return {
        kind: 'problem',
        problem: problem('APPROVAL_TOO_MANY_OPEN', { max: MAX_OPEN_APPROVALS_PER_REQUESTER }),
      };
    const hit = await deps.limiter.check(input.requester.oid, user.id, now);
    if (hit) {
      return { kind: 'problem', problem: limitProblem(hit, { ...ctx, timeZone: input.timeZone, now }) };
    }
    const { lifetimeMinutes, usableOnce, start } = input.command;
    const asked = { lifetimeMinutes, usableOnce, start, utcOffsetMinutes: input.utcOffsetMinutes };
    const planned = planIssue(asked, policy, now, deps.maxLifetimeMinutes);
    if (!planned.ok) return { kind: 'problem', problem: problem(planRefusalCode(planned.reason), ctx) };

    const channel = input.command.deliverTo ?? settings.deliverTo;
    const reach = await checkDeliveryChannel(graph, channel, user, manager, signal);
    if (!reach.ok) return { kind: 'problem', problem: reach.problem };
    const targetPrivileged = isPrivileged(targetRoles);
    const notes = planned.notes;
    const stored = await deps.requests.add({
      kind: 'approval',
      state: 'awaiting',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + settings.ttlMinutes * 60_000).toISOString(),
      requester: input.requester,
      timeZone: input.timeZone,
      conversationId: input.conversationId,
      query: who,
      asked,
      target: toCandidate(user),
      manager: manager ? { id: manager.id, displayName: manager.displayName } : null,
      plan: planned.plan,
      ...(policy ? { policy: policyTerms(policy) } : {}),
      checks: {
        issuerStrength: issuerStrength(myRoles),
        targetPrivileged,
        ...(targetPrivileged ? { targetRoles: privilegeText(targetRoles) } : {}),
      },
      shown: snapshot(factsOf(user, pass, targetPrivileged, policy)),
      approval: {
        ...approvalInfo(settings, basis, notes, targetPrivileged, input.command.reason),
        deliverTo: channel,
        ...(reach.delivery ? { delivery: reach.delivery } : {}),
      },
    });
    await deps.openApprovals.add(input.requester.oid, stored.value.id, stored.value.expiresAt);
    // Audited before any card exists, like a direct request.
    await deps.audit.append(
      requestEvent('approval.requested', stored.value, input.requester, {
        ...(input.command.reason ? { reason: input.command.reason } : {}),
      }),
    );
    return {
      kind: 'requested',
      view: {
        request: stored.value,
        target: user,
        managerName: manager?.displayName ?? null,
        notes,
      },
    };
  } catch (error) {
    if (error instanceof GraphFailure)
      return { kind: 'problem', problem: problemForGraphFailure(error, { operation: 'read', who }) };
    throw error;
  }
}

/** "Several people match": the first few by name and address, and how many more. */
function ambiguous(who: string, users: DirectoryUser[], more: number) {
  const shown = users
    .slice(0, MAX_MATCHES_SHOWN)
    .map((u) => `${u.displayName} (${u.userPrincipalName})`)
    .join(', ');
  const rest = users.length + more - MAX_MATCHES_SHOWN;
  return problem('APPROVAL_AMBIGUOUS', { who, matches: rest > 0 ? `${shown} and ${rest} more` : shown });
}

/** Why the requester may ask: they manage the person, are in the requester group, or are an admin. */
function basisOf(
  isManager: boolean,
  inRequesterGroup: boolean,
  myRoles: DirectoryRole[],
): ApprovalInfo['basis'] | null {
  if (isManager) return 'manager';
  if (inRequesterGroup) return 'requester-group';
  return issuerStrength(myRoles) !== 'none' ? 'admin' : null;
}

/** The approval part of a new request: who must approve, where, and who will see the pass. */
function approvalInfo(
  settings: CoreDeps['approvals'],
  basis: ApprovalInfo['basis'],
  notes: string[],
  targetPrivileged: boolean,
  reason: string | undefined,
): ApprovalInfo {
  return {
    ...(reason ? { reason } : {}),
    basis,
    notes,
    needs: targetPrivileged ? 'privileged' : 'authentication',
    approversConversationId: settings.approversConversationId!,
    deliverTo: settings.deliverTo,
  };
}
