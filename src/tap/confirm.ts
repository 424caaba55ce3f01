import { alreadyHandled } from './already-handled.js';
import { problem, type Problem } from '../errors/catalog.js';
import { problemForGraphFailure, type FailureContext } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import type { NewAuditEvent } from '../audit/log.js';
import type { CreateTapBody, CreatedTap, TapGraph, TapMethod } from '../graph/port.js';
import { ConflictError, type StoredRow } from '../store/port.js';
import { UnitOfWork } from '../store/unit.js';
import { claimAndCharge } from './claim.js';
import { commitOutcome } from './outcome-unit.js';
import { auditAfterTheFact, requestEvent } from './audit-events.js';
import { guardClick, type Clicker } from './clicks.js';
import { limitProblem } from './limit-problem.js';
import { VERBS } from '../cards/actions.js';
import type { PrepareOutcome } from './prepare.js';
import type { CoreDeps } from './core-deps.js';
import { recheckFacts } from './recheck.js';
import { replacedWrites } from './replaced.js';
import { supersede } from './supersede.js';
import type { IssuePlan, TapRequest } from './request.js';
import { faceCheckGate } from '../facecheck/gate.js';

export type ConfirmOutcome =
  | { kind: 'issued'; request: TapRequest; pass: CreatedTap; recordError?: unknown }
  | { kind: 'changed'; request: TapRequest; changes: string[]; next: PrepareOutcome }
  | { kind: 'problem'; problem: Problem; request?: TapRequest; graph?: { status: number; code: string } };

/** Graph's body: only the fields we decided on, so the policy default applies to the rest. */
export function createBody(plan: IssuePlan | undefined): CreateTapBody {
  const body: CreateTapBody = {};
  if (plan?.startDateTime) body.startDateTime = plan.startDateTime;
  if (plan?.lifetimeMinutes !== undefined) body.lifetimeInMinutes = plan.lifetimeMinutes;
  if (plan?.isUsableOnce !== undefined) body.isUsableOnce = plan.isUsableOnce;
  return body;
}

export const CREATE_TIMEOUT_MS = 8_000;

/**
 * Gives back what a click took from the limits when no pass came of it. Best effort: the click's
 * answer matters more, and a lost give-back only leaves the allowance lower than it should be.
 */
export async function giveBackAllowance(
  deps: CoreDeps,
  issuer: Clicker,
  targetId: string,
  takenAt: Date,
): Promise<void> {
  await deps.limiter
    .giveBack(issuer.oid, targetId, takenAt)
    .catch((error: unknown) => deps.onBackgroundError('limits.give_back', error));
}

/**
 * Confirm: guard the click, get the clicker's own Graph access (may throw LoginRequiredError, which
 * changes nothing), re-read what the card showed, then claim the request, audit and count it in one
 * commit before Graph is called, so the pass is created exactly once; the outcome is the second commit.
 */
export async function confirmIssue(
  deps: CoreDeps,
  acquireGraph: () => Promise<TapGraph>,
  click: { requestId: string; clicker: Clicker; verification: string; ticket?: string },
): Promise<ConfirmOutcome> {
  const guarded = await guardClick(deps, VERBS.confirm, click.requestId, click.clicker);
  if (!guarded.ok) return { kind: 'problem', problem: guarded.problem, request: guarded.request };
  // Before anything else is read: a required Face Check that is missing or too old leaves the card as it is.
  const gate = faceCheckGate(guarded.row.value, click.verification, deps.faceCheck, deps.clock.now());
  if (!gate.ok) return { kind: 'problem', problem: gate.problem };
  const graph = await acquireGraph();

  // Whether what the card showed still holds is read before the claim: a read that fails leaves
  // the request untouched (Confirm can be tried again), and nothing is created on old facts.
  const recheck = await recheckFacts(deps, graph, guarded.row.value);
  if (recheck.kind === 'problem') return { kind: 'problem', problem: recheck.problem };
  if (recheck.kind === 'changed')
    return supersede(deps, graph, guarded.row, recheck.changes, recheck.live, click.clicker);

  const claimed: TapRequest = {
    ...guarded.row.value,
    state: 'issuing',
    usedAt: deps.clock.now().toISOString(),
    verification: gate.verification,
    ...(gate.faceCheck
      ? { faceCheckScore: gate.faceCheck.score, faceCheckRequestId: gate.faceCheck.requestId }
      : {}),
    ...(click.ticket ? { ticket: click.ticket } : {}),
  };
  const failedAs = (code: string): TapRequest => ({
    ...claimed,
    state: 'failed',
    outcome: { problemCode: code, at: deps.clock.now().toISOString() },
  });
  // Counted only by the click that wins the claim, in the same commit: double clicks use up nothing.
  const result = await claimAndCharge(deps, guarded.row, {
    value: claimed,
    issuerOid: click.clicker.oid,
    event: requestEvent('request.confirmed', claimed, click.clicker),
    giveUp: failedAs('UNEXPECTED'),
  });
  if (result.kind === 'lost') return { kind: 'problem', problem: alreadyHandled(result.latest?.value) };
  if (result.kind === 'limited') {
    const found = limitProblem(result.hit, {
      targetName: claimed.target!.displayName,
      who: claimed.target!.userPrincipalName,
      timeZone: claimed.timeZone,
      now: deps.clock.now(),
    });
    const failed = failedAs(found.code);
    const ended = await endRequest(
      deps,
      result.row,
      failed,
      requestEvent('tap.failed', failed, click.clicker, { code: found.code }),
    );
    if (!ended)
      return { kind: 'problem', problem: problem('REQUEST_ALREADY_USED', { usedAt: claimed.usedAt }) };
    return { kind: 'problem', problem: found, request: failed };
  }
  const { row, takenAt } = result;

  const request = row.value;
  const target = request.target!;
  let pass: CreatedTap;
  try {
    pass = await graph.createTap(target.id, createBody(request.plan), AbortSignal.timeout(CREATE_TIMEOUT_MS));
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    // A create that certainly failed made no pass: it must not use up the allowance.
    if (!error.outcomeUnknown) await giveBackAllowance(deps, click.clicker, target.id, takenAt);
    return recordFailure(deps, row, error, click.clicker);
  }
  // The card said it would replace this pass, and it did: the trail says so too.
  return recordIssued(deps, row, pass, click.clicker, recheck.live?.pass ?? undefined);
}

/**
 * Ends a request in one commit with the audit event that says why; false when a click, approver or
 * instance changed it first (nothing written then).
 */
export async function endRequest(
  deps: CoreDeps,
  row: StoredRow<TapRequest>,
  next: TapRequest,
  event: NewAuditEvent,
): Promise<boolean> {
  const unit = new UnitOfWork();
  deps.requests.updateIn(unit, row, next);
  deps.audit.appendIn(unit, event);
  try {
    await unit.commit(deps.store);
    return true;
  } catch (error) {
    if (!(error instanceof ConflictError) || error.index !== 0) throw error;
    return false;
  }
}

/**
 * After Graph created the pass, the second commit: the request issued, its audit event, the notices
 * it owes (the issuer, the person, their manager, the reminders) and, when it replaced a pass, that
 * too. The pass exists now, so the clicker must see it even if this bookkeeping fails; the request
 * then stays "issuing", which nothing will ever retry.
 */
export async function recordIssued(
  deps: CoreDeps,
  row: StoredRow<TapRequest>,
  pass: CreatedTap,
  clicker: Clicker,
  replacedPass?: TapMethod,
  /** More rows that belong with the outcome (onboarding's follow-through); added to the same unit. */
  extra?: (unit: UnitOfWork, issued: TapRequest) => void,
): Promise<Extract<ConfirmOutcome, { kind: 'issued' }>> {
  const expiresAt = new Date(Date.parse(pass.startDateTime) + pass.lifetimeInMinutes * 60_000).toISOString();
  const issued: TapRequest = {
    ...row.value,
    state: 'issued',
    outcome: {
      methodId: pass.id,
      startDateTime: pass.startDateTime,
      expiresAt,
      isUsableOnce: pass.isUsableOnce,
      at: deps.clock.now().toISOString(),
    },
  };
  const event = requestEvent('tap.issued', issued, clicker, {
    methodId: pass.id,
    lifetimeMinutes: pass.lifetimeInMinutes,
    isUsableOnce: pass.isUsableOnce,
    startDateTime: pass.startDateTime,
    expiresAt,
  });
  const replaced = replacedPass ? await replacedWrites(deps, issued, replacedPass, clicker) : undefined;
  const events = [event, ...(replaced ? [replaced.event] : [])];
  const { error } = await commitOutcome(deps, {
    row,
    next: issued,
    events,
    alongside: async (unit) => {
      await deps.notices.issued(issued, unit);
      deps.outstanding.addIn(unit, issued);
      extra?.(unit, issued);
    },
    other: replaced?.earlier,
  });
  if (error === undefined) return { kind: 'issued', request: issued, pass };
  return recordIssuedPiecemeal(deps, issued, events, pass, error);
}

/**
 * The outcome's unit wrote nothing: the request stays "issuing" (never retried, and the clicker still
 * gets the pass), but the trail and the notices are written on their own, so they are not lost with it.
 */
async function recordIssuedPiecemeal(
  deps: CoreDeps,
  issued: TapRequest,
  events: NewAuditEvent[],
  pass: CreatedTap,
  recordError: unknown,
): Promise<Extract<ConfirmOutcome, { kind: 'issued' }>> {
  for (const event of events) await auditAfterTheFact(deps, event);
  await deps.notices.issued(issued);
  // Only for `list TAPs`: a pass missing from that list must not cost the clicker their pass.
  await deps.outstanding.add(issued).catch((e) => deps.onBackgroundError('outstanding.add', e));
  return { kind: 'issued', request: issued, pass, recordError };
}

async function recordFailure(
  deps: CoreDeps,
  row: StoredRow<TapRequest>,
  error: GraphFailure,
  clicker: Clicker,
): Promise<ConfirmOutcome> {
  const found = problemForCreate(row.value, error, forbiddenReason(row.value));
  const failed = await endAfterCreateFailure(deps, row, error, found, clicker);
  return {
    kind: 'problem',
    problem: found,
    request: failed,
    graph: { status: error.status, code: error.code },
  };
}

/** The catalog problem for a failed create of this request's pass; `forbiddenBecause` explains a 403. */
export function problemForCreate(
  request: TapRequest,
  error: GraphFailure,
  forbiddenBecause: FailureContext['forbiddenBecause'],
): Problem {
  const target = request.target!;
  return problemForGraphFailure(error, {
    operation: 'create',
    targetName: target.displayName,
    who: target.userPrincipalName,
    forbiddenBecause,
  });
}

/**
 * Ends a claimed request whose create failed: 'unknown' when Graph may have created the pass (never
 * retried), 'failed' when it certainly did not; audited either way.
 */
export async function endAfterCreateFailure(
  deps: CoreDeps,
  row: StoredRow<TapRequest>,
  error: GraphFailure,
  found: Problem,
  clicker: Clicker,
): Promise<TapRequest> {
  const ended: TapRequest = {
    ...row.value,
    state: error.outcomeUnknown ? 'unknown' : 'failed',
    outcome: { problemCode: found.code, at: deps.clock.now().toISOString() },
  };
  const type = error.outcomeUnknown ? 'tap.outcome_unknown' : 'tap.failed';
  const event = requestEvent(type, ended, clicker, { code: found.code });
  // One commit for the end and its trail; when that fails, the end alone (it throws if it cannot).
  try {
    if (await endRequest(deps, row, ended, event)) return ended;
  } catch (unitError) {
    deps.onBackgroundError(`audit.${type}`, unitError);
  }
  await deps.requests.update(row, ended);
  return ended;
}

function forbiddenReason(request: TapRequest): 'role' | 'privileged-target' | undefined {
  if (!request.checks) return undefined;
  if (request.checks.issuerStrength === 'none') return 'role';
  if (request.checks.targetPrivileged && request.checks.issuerStrength !== 'privileged')
    return 'privileged-target';
  // Roles looked fine at preparation: a PIM activation that lapsed since is the likely cause.
  return 'role';
}
