import { problem, type Problem } from '../errors/catalog.js';
import { problemForGraphFailure } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import type { DirectoryUser, TapGraph, TapMethod } from '../graph/port.js';
import { ConflictError, type StoredRow } from '../store/port.js';
import { auditAfterTheFact, requestEvent } from './audit-events.js';
import { guardClick, type Clicker } from './clicks.js';
import { VERBS } from '../cards/actions.js';
import { issuingEvent } from './replaced.js';
import { commitOutcome } from './outcome-unit.js';
import { replacedSince, type Replacement } from './revoke-replaced.js';
import { storeRevokeRequest } from './revoke-request.js';
import type { CoreDeps } from './core-deps.js';
import { toCandidate } from './prepare.js';
import { issuerOf, type Person, type TapRequest } from './request.js';
import { resolveTarget } from './resolve.js';
import { issuerStrength, isPrivilegedTarget } from './roles.js';

export interface PassView {
  target: DirectoryUser;
  pass: TapMethod | null;
  /** The stored revoke request behind the Revoke button, when the caller may revoke this pass. */
  revokeRequest: TapRequest | null;
}

export type PassLookup =
  | { kind: 'problem'; problem: Problem }
  | { kind: 'ambiguous'; users: DirectoryUser[] }
  | { kind: 'found'; view: PassView };

/**
 * `list TAP for alice` and `revoke TAP for alice`: read the target's pass as the caller and, when a
 * pass exists and the caller's roles allow deleting it, store a pending revoke request for the button.
 */
export async function lookUpPass(
  deps: CoreDeps,
  graph: TapGraph,
  input: { requester: Person; timeZone: string; conversationId: string; who: string },
): Promise<PassLookup> {
  const signal = AbortSignal.timeout(5_000);
  const who = input.who;
  try {
    const [myRoles, found] = await Promise.all([
      graph.getRoles('me', signal),
      resolveTarget(graph, who, signal),
    ]);
    const strength = issuerStrength(myRoles);
    if (strength === 'none') return { kind: 'problem', problem: problem('TAP_ROLE_MISSING', { who }) };
    if (found.kind === 'none') return { kind: 'problem', problem: problem('TAP_USER_NOT_FOUND', { who }) };
    if (found.kind === 'many') return { kind: 'ambiguous', users: found.users };
    const user = found.user;
    const [passes, targetRoles] = await Promise.all([
      graph.listTaps(user.id, signal),
      graph.getRoles(user.id, signal),
    ]);
    const pass = passes[0] ?? null;
    const mayRevoke =
      user.id !== input.requester.oid && (strength === 'privileged' || !isPrivilegedTarget(targetRoles));
    if (!pass || !mayRevoke) return { kind: 'found', view: { target: user, pass, revokeRequest: null } };
    const stored = await storeRevokeRequest(deps, { ...input, query: who }, toCandidate(user), pass);
    return { kind: 'found', view: { target: user, pass, revokeRequest: stored } };
  } catch (error) {
    if (error instanceof GraphFailure)
      return { kind: 'problem', problem: problemForGraphFailure(error, { operation: 'read', who }) };
    throw error;
  }
}

export type RevokeOutcome =
  | {
      kind: 'revoked';
      request: TapRequest;
      /** False when Graph had no such pass any more (already revoked, replaced or expired and cleaned up). */
      deleted: boolean;
      /** Who issued the revoked pass, from the audit trail, when TapDesk issued it. */
      issuer: Person | null;
    }
  | Replacement
  | { kind: 'problem'; problem: Problem; request?: TapRequest };

/**
 * The Revoke click: a pending revoke request (from `list`/`revoke`), or an issued request (the
 * "Revoke now" button on a notice, for its issuer). Claimed with a conditional write, then Graph
 * deletes that one method id on behalf of the clicker.
 */
export async function revokePass(
  deps: CoreDeps,
  acquireGraph: () => Promise<TapGraph>,
  click: { requestId: string; clicker: Clicker },
): Promise<RevokeOutcome> {
  // A pending revoke request (list/revoke card), or an issued request (a notice's "Revoke now", for
  // its issuer, while TapDesk's record says the pass is live): the click table says which is which.
  const guarded = await guardClick(deps, VERBS.revoke, click.requestId, click.clicker);
  if (!guarded.ok) return { kind: 'problem', problem: guarded.problem };
  const claimable = guarded.row;
  const isIssue = claimable.value.kind !== 'revoke';
  if (isIssue && !claimable.value.outcome?.methodId)
    return {
      kind: 'problem',
      problem: problem('REQUEST_ALREADY_USED', { who: claimable.value.target?.userPrincipalName }),
    };
  const graph = await acquireGraph();
  const named = isIssue ? claimable.value.outcome!.methodId! : claimable.value.pass!.methodId;
  try {
    const replaced = await replacedSince(deps, graph, claimable, named, click.clicker);
    if (replaced === 'conflict')
      return {
        kind: 'problem',
        problem: problem('REQUEST_ALREADY_USED', { who: claimable.value.target?.userPrincipalName }),
      };
    if (replaced) return replaced;
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    const found = problemForGraphFailure(error, {
      operation: 'read',
      who: claimable.value.target?.userPrincipalName,
    });
    return { kind: 'problem', problem: found };
  }
  const before = claimable.value;
  let claimed: StoredRow<TapRequest>;
  try {
    claimed = await deps.requests.update(claimable, {
      ...before,
      state: 'revoking',
      usedAt: deps.clock.now().toISOString(),
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return {
      kind: 'problem',
      problem: problem('REQUEST_ALREADY_USED', { who: before.target?.userPrincipalName }),
    };
  }
  const target = before.target!;
  const methodId = isIssue ? before.outcome!.methodId! : before.pass!.methodId;
  try {
    const deleted = await graph.deleteTap(target.id, methodId, AbortSignal.timeout(8_000));
    const at = deps.clock.now().toISOString();
    const revoked: TapRequest = {
      ...claimed.value,
      state: 'revoked',
      outcome: { ...(claimed.value.outcome ?? {}), methodId, revokedBy: click.clicker, revokedAt: at, at },
    };
    const issued = isIssue ? undefined : await issuingEvent(deps, target.id, methodId);
    const issuer = isIssue ? issuerOf(before) : (issued?.actor ?? null);
    const event = requestEvent('tap.revoked', revoked, click.clicker, { methodId });
    // The second commit: the outcome, its trail, the notices, and the issue request of the pass.
    const { error } = await commitOutcome(deps, {
      row: claimed,
      next: revoked,
      events: [event],
      alongside: (unit) => deps.notices.revoked(revoked, click.clicker, issuer, unit),
      other: issued ? await issueRevoked(deps, issued.requestId, methodId, click.clicker, at) : undefined,
    });
    if (error !== undefined) {
      // Nothing of it landed: the outcome on its own (throws if it cannot), then the rest best effort.
      await deps.requests.update(claimed, revoked);
      await auditAfterTheFact(deps, event);
      await deps.notices.revoked(revoked, click.clicker, issuer);
    }
    return { kind: 'revoked', request: revoked, deleted, issuer };
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    const found = problemForGraphFailure(error, {
      operation: 'read',
      targetName: target.displayName,
      who: target.userPrincipalName,
      forbiddenBecause: 'role',
    });
    // Nothing was deleted (or it is safe to try again: deleting one method id is idempotent), so an
    // issued request goes back to issued and a revoke request ends as failed.
    const back = await deps.requests.update(
      claimed,
      isIssue ? before : { ...claimed.value, state: 'failed' },
    );
    return { kind: 'problem', problem: found, request: back.value };
  }
}

/**
 * The issue request of a pass revoked through `revoke TAP for …` learns it too, so its expiry
 * reminders (which only go out while the request says "issued") are not sent for a pass that is gone.
 * Read here, written with the revoke's outcome.
 */
async function issueRevoked(
  deps: CoreDeps,
  requestId: string,
  methodId: string,
  by: Person,
  at: string,
): Promise<{ row: StoredRow<TapRequest>; next: TapRequest } | undefined> {
  const row = await deps.requests.get(requestId);
  if (row?.value.state !== 'issued' || row.value.outcome?.methodId !== methodId) return undefined;
  return {
    row,
    next: { ...row.value, state: 'revoked', outcome: { ...row.value.outcome, revokedBy: by, revokedAt: at } },
  };
}
