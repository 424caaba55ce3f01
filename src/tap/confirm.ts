import { alreadyHandled } from './already-handled.js';
import type { Problem } from '../errors/catalog.js';
import { problemForGraphFailure, type FailureContext } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import type { CreateTapBody, CreatedTap, TapGraph } from '../graph/port.js';
import type { StoredRow } from '../store/port.js';
import { auditAfterTheFact, requestEvent } from './audit-events.js';
import { guardClick, ignoreConflict, type Clicker } from './clicks.js';
import { limitProblem } from './limit-problem.js';
import { VERBS } from '../cards/actions.js';
import type { PrepareOutcome } from './prepare.js';
import type { CoreDeps } from './core-deps.js';
import { recheckFacts } from './recheck.js';
import { recordReplaced } from './replaced.js';
import { supersede } from './supersede.js';
import type { IssuePlan, TapRequest } from './request.js';

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
 * changes nothing), claim the request with a conditional write, then create the pass exactly once.
 */
export async function confirmIssue(
  deps: CoreDeps,
  acquireGraph: () => Promise<TapGraph>,
  click: { requestId: string; clicker: Clicker; verification: string; ticket?: string },
): Promise<ConfirmOutcome> {
  const guarded = await guardClick(deps, VERBS.confirm, click.requestId, click.clicker);
  if (!guarded.ok) return { kind: 'problem', problem: guarded.problem, request: guarded.request };
  const graph = await acquireGraph();

  let row: StoredRow<TapRequest>;
  try {
    row = await deps.requests.update(guarded.row, {
      ...guarded.row.value,
      state: 'issuing',
      usedAt: deps.clock.now().toISOString(),
      verification: click.verification,
      ...(click.ticket ? { ticket: click.ticket } : {}),
    });
  } catch (error) {
    ignoreConflict(error);
    const latest = await deps.requests.get(click.requestId);
    return { kind: 'problem', problem: alreadyHandled(latest?.value) };
  }

  // Only the click that won the claim reads again whether what the card showed still holds; a
  // double click costs no Graph reads. Nothing is created unless it does.
  const recheck = await recheckFacts(deps, graph, row.value);
  if (recheck.kind === 'problem') {
    // A read failed: hand the request back untouched, so Confirm can be tried again.
    await deps.requests.update(row, guarded.row.value).catch(ignoreConflict);
    return { kind: 'problem', problem: recheck.problem };
  }
  if (recheck.kind === 'changed')
    return supersede(deps, graph, row, recheck.changes, recheck.live, click.clicker);

  // Counted only by the click that won the claim, so double clicks never use up allowance.
  const takenAt = deps.clock.now();
  const hit = await deps.limiter.take(click.clicker.oid, row.value.target!.id, takenAt);
  if (hit) {
    const found = limitProblem(hit, {
      targetName: row.value.target!.displayName,
      who: row.value.target!.userPrincipalName,
      timeZone: row.value.timeZone,
      now: deps.clock.now(),
    });
    const failed = await deps.requests.update(row, {
      ...row.value,
      state: 'failed',
      outcome: { problemCode: found.code, at: deps.clock.now().toISOString() },
    });
    await auditAfterTheFact(
      deps,
      requestEvent('tap.failed', failed.value, click.clicker, { code: found.code }),
    );
    return { kind: 'problem', problem: found, request: failed.value };
  }
  try {
    await deps.audit.append(requestEvent('request.confirmed', row.value, click.clicker));
  } catch (error) {
    // No pass without its audit trail: give the claim up as failed, issue nothing, and give back
    // the allowance this click took.
    await giveBackAllowance(deps, click.clicker, row.value.target!.id, takenAt);
    await deps.requests.update(row, {
      ...row.value,
      state: 'failed',
      outcome: { problemCode: 'UNEXPECTED', at: deps.clock.now().toISOString() },
    });
    throw error;
  }

  const request = row.value;
  const target = request.target!;
  let pass: CreatedTap;
  try {
    pass = await graph.createTap(target.id, createBody(request.plan), AbortSignal.timeout(CREATE_TIMEOUT_MS));
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    // A create that certainly failed made no pass: it must not use up the allowance.
    if (!error.outcomeUnknown) await giveBackAllowance(deps, click.clicker, row.value.target!.id, takenAt);
    return recordFailure(deps, row, error, click.clicker);
  }
  const issued = await recordIssued(deps, row, pass, click.clicker);
  // The card said it would replace this pass, and it did: the trail says so too.
  if (recheck.live?.pass) await recordReplaced(deps, issued.request, recheck.live.pass, click.clicker);
  return issued;
}

/**
 * After Graph created the pass: audit it and mark the request issued. The pass exists now, so the
 * clicker must see it even if this bookkeeping fails; the request then stays "issuing", which
 * nothing will ever retry.
 */
export async function recordIssued(
  deps: CoreDeps,
  row: StoredRow<TapRequest>,
  pass: CreatedTap,
  clicker: Clicker,
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
  await auditAfterTheFact(
    deps,
    requestEvent('tap.issued', issued, clicker, {
      methodId: pass.id,
      lifetimeMinutes: pass.lifetimeInMinutes,
      isUsableOnce: pass.isUsableOnce,
      startDateTime: pass.startDateTime,
      expiresAt,
    }),
  );
  try {
    const recorded = (await deps.requests.update(row, issued)).value;
    // Only for `list TAPs`: a pass missing from that list must not cost the clicker their pass.
    await deps.outstanding.add(recorded).catch((e) => deps.onBackgroundError('outstanding.add', e));
    return { kind: 'issued', request: recorded, pass };
  } catch (error) {
    return { kind: 'issued', request: issued, pass, recordError: error };
  }
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
  const ended = await deps.requests.update(row, {
    ...row.value,
    state: error.outcomeUnknown ? 'unknown' : 'failed',
    outcome: { problemCode: found.code, at: deps.clock.now().toISOString() },
  });
  const type = error.outcomeUnknown ? 'tap.outcome_unknown' : 'tap.failed';
  await auditAfterTheFact(deps, requestEvent(type, ended.value, clicker, { code: found.code }));
  return ended.value;
}

function forbiddenReason(request: TapRequest): 'role' | 'privileged-target' | undefined {
  if (!request.checks) return undefined;
  if (request.checks.issuerStrength === 'none') return 'role';
  if (request.checks.targetPrivileged && request.checks.issuerStrength !== 'privileged')
    return 'privileged-target';
  // Roles looked fine at preparation: a PIM activation that lapsed since is the likely cause.
  return 'role';
}
