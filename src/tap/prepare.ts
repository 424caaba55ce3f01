import { randomUUID } from 'node:crypto';
import type { Command } from '../chat/grammar.js';
import { problem, type Problem, type ProblemCode } from '../errors/catalog.js';
import { problemForGraphFailure } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import type { DirectoryRole, DirectoryUser, TapGraph, TapMethod, TapPolicy } from '../graph/port.js';
import { requestEvent } from './audit-events.js';
import { UnitOfWork } from '../store/unit.js';
import { limitProblem } from './limit-problem.js';
import { planIssue, policyTerms, type PlanResult } from './plan.js';
import type { RequestRepository } from './request-repository.js';
import type { Candidate, Person, TapRequest } from './request.js';
import { resolveTarget } from './resolve.js';
import { issuerStrength } from './roles.js';
import { isPrivileged, privilegeText, rolesHeldBy } from './privilege.js';
import { factsOf, snapshot } from './facts.js';
import { barrierFor } from './eligibility.js';
import type { CoreDeps } from './core-deps.js';
import type { CardFacts } from '../facecheck/record.js';

export type IssueCommand = Extract<Command, { kind: 'issue' }>;

export interface PrepareInput {
  requester: Person;
  timeZone: string;
  utcOffsetMinutes: number;
  conversationId: string;
  command: IssueCommand;
}

/** Everything the confirmation card shows; read live from Graph, never stored. */
export interface ConfirmView {
  request: TapRequest;
  target: DirectoryUser;
  managerName: string | null;
  existingPass: TapMethod | null;
  notes: string[];
  warnings: string[];
}

/** Plans a pass from what was asked; `warnings` go on the card beside the notes. */
export type PassPlanner = (asked: TapRequest['asked'], now: Date) => PlanResult & { warnings?: string[] };

export type PrepareOutcome =
  | { kind: 'problem'; problem: Problem }
  | { kind: 'choose'; request: TapRequest; more: number }
  | { kind: 'confirm'; view: ConfirmView };

const READ_TIMEOUT_MS = 5_000;

export const toCandidate = (u: DirectoryUser): Candidate => ({
  id: u.id,
  displayName: u.displayName,
  userPrincipalName: u.userPrincipalName,
  department: u.department,
});

/** The catalog code for a plan the policy or the calendar refuses. */
export function planRefusalCode(reason: 'policy-disabled' | 'start-in-past' | 'start-too-far'): ProblemCode {
  if (reason === 'policy-disabled') return 'TAP_POLICY_EXCLUDED';
  return reason === 'start-in-past' ? 'START_IN_PAST' : 'START_TOO_FAR';
}

/** Step one of issuing: find the target, check what Graph and the policy will allow, store a pending request. */
export async function prepareIssue(
  deps: CoreDeps,
  graph: TapGraph,
  input: PrepareInput,
): Promise<PrepareOutcome> {
  const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
  const who = input.command.who;
  try {
    const [myRoles, policy, resolution] = await Promise.all([
      graph.getRoles('me', signal),
      graph.getTapPolicy(signal),
      resolveTarget(graph, who, signal),
    ]);
    if (issuerStrength(myRoles) === 'none')
      return { kind: 'problem', problem: problem('TAP_ROLE_MISSING', { who }) };
    if (resolution.kind === 'none')
      return { kind: 'problem', problem: problem('TAP_USER_NOT_FOUND', { who }) };

    const now = deps.clock.now();
    const base = newRequest(deps, input, now);
    if (resolution.kind === 'many') {
      const stored = await deps.requests.add({
        ...base,
        state: 'choosing',
        candidates: resolution.users.map(toCandidate),
      });
      return { kind: 'choose', request: stored.value, more: resolution.more };
    }
    return await checkAndPlan(
      deps,
      graph,
      { ...base, state: 'pending' },
      resolution.user,
      myRoles,
      policy,
      signal,
      undefined,
    );
  } catch (error) {
    if (error instanceof GraphFailure)
      return { kind: 'problem', problem: problemForGraphFailure(error, { operation: 'read', who }) };
    throw error;
  }
}

export function newRequest(deps: CoreDeps, input: PrepareInput, now: Date): Omit<TapRequest, 'id' | 'state'> {
  const { lifetimeMinutes, usableOnce, start } = input.command;
  return {
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.requestTtlMinutes * 60_000).toISOString(),
    requester: input.requester,
    timeZone: input.timeZone,
    conversationId: input.conversationId,
    query: input.command.who,
    asked: { lifetimeMinutes, usableOnce, start, utcOffsetMinutes: input.utcOffsetMinutes },
  };
}

/**
 * Checks the chosen target against Entra's rules we can see in advance, plans the pass against the
 * policy and stores the request as pending. `existing` is the stored request when a choice was made.
 */
export async function checkAndPlan(
  deps: CoreDeps,
  graph: TapGraph,
  draft: Omit<TapRequest, 'id'> & { id?: string },
  user: DirectoryUser,
  myRoles: DirectoryRole[],
  policy: TapPolicy | null,
  signal: AbortSignal,
  existing: Parameters<RequestRepository['update']>[0] | undefined,
  /** Onboarding plans its pass its own way (multi-use, setup-long); everything else is planIssue. */
  planner: PassPlanner = (asked, now) => planIssue(asked, policy, now, deps.maxLifetimeMinutes),
): Promise<PrepareOutcome> {
  const ctx = { targetName: user.displayName, who: user.userPrincipalName };
  // Who may never get one is known before the roles are read; privilege is judged after.
  const barrier = barrierFor(user, draft.requester.oid, false, 'direct');
  if (barrier) return { kind: 'problem', problem: problem(barrier, ctx) };

  const [targetRoles, manager, passes] = await Promise.all([
    rolesHeldBy(graph, deps.roleReader, user.id, signal),
    graph.getManager(user.id, signal),
    graph.listTaps(user.id, signal),
  ]);
  const strength = issuerStrength(myRoles);
  const targetPrivileged = isPrivileged(targetRoles);
  // Second pair of eyes: a pass for anyone holding a directory role always goes through approval,
  // even when the asker could issue it (Entra would let a Privileged Authentication Administrator).
  if (barrierFor(user, draft.requester.oid, targetPrivileged, 'direct'))
    return {
      kind: 'problem',
      problem: problem('TAP_TARGET_PRIVILEGED', { ...ctx, detail: privilegeText(targetRoles) }),
    };
  const hit = await deps.limiter.check(draft.requester.oid, user.id, deps.clock.now());
  if (hit)
    return {
      kind: 'problem',
      problem: limitProblem(hit, { ...ctx, timeZone: draft.timeZone, now: deps.clock.now() }),
    };
  const planned = planner(draft.asked, deps.clock.now());
  if (!planned.ok) return { kind: 'problem', problem: problem(planRefusalCode(planned.reason), ctx) };

  const request: Omit<TapRequest, 'id'> = {
    ...draft,
    state: 'pending',
    target: toCandidate(user),
    manager: manager ? { id: manager.id, displayName: manager.displayName } : null,
    plan: planned.plan,
    ...(policy ? { policy: policyTerms(policy) } : {}),
    checks: {
      issuerStrength: strength,
      targetPrivileged,
      ...(targetPrivileged ? { targetRoles: privilegeText(targetRoles) } : {}),
    },
    shown: snapshot(factsOf(user, passes[0] ?? null, targetPrivileged, policy)),
    cardFacts: cardFactsOf(user, passes[0] ?? null, planned.notes, planned.warnings ?? []),
  };
  // Stored with its audit event in one commit, before the card can act: no confirmation card works
  // without its trail.
  const stored: TapRequest = { ...request, id: existing?.value.id ?? randomUUID() };
  const unit = new UnitOfWork();
  if (existing) deps.requests.updateIn(unit, existing, stored);
  else deps.requests.addIn(unit, stored);
  deps.audit.appendIn(unit, requestEvent('request.created', stored, draft.requester));
  await unit.commit(deps.store);

  const existingPass = passes[0] ?? null;
  return {
    kind: 'confirm',
    view: {
      request: stored,
      target: user,
      managerName: manager?.displayName ?? null,
      existingPass,
      notes: planned.notes,
      warnings: stored.cardFacts!.warnings,
    },
  };
}

/** The warnings a confirmation card gives about the person and their current pass. */
function warningsFor(user: DirectoryUser, existingPass: TapMethod | null): string[] {
  const warnings: string[] = [];
  if (user.accountEnabled === false) {
    warnings.push(
      `${user.displayName}'s account is disabled: the pass will not work until the account is enabled.`,
    );
  }
  if (existingPass) warnings.push('This user already has a pass. Issuing a new one replaces it immediately.');
  return warnings;
}

/** What the card shows beyond the request's own fields, kept so the card can be redrawn without Graph. */
function cardFactsOf(
  user: DirectoryUser,
  existingPass: TapMethod | null,
  notes: string[],
  /** The plan's own warnings (an onboarding pass shorter than setup, or one-time). */
  planWarnings: string[],
): CardFacts {
  return {
    mail: user.mail,
    jobTitle: user.jobTitle,
    accountEnabled: user.accountEnabled,
    existingPass: existingPass
      ? {
          createdDateTime: existingPass.createdDateTime,
          isUsable: existingPass.isUsable,
          methodUsabilityReason: existingPass.methodUsabilityReason,
        }
      : null,
    notes: [...notes],
    warnings: [...planWarnings, ...warningsFor(user, existingPass)],
  };
}
