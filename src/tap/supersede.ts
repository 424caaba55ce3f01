import { problem, type Problem } from '../errors/catalog.js';
import type { TapGraph } from '../graph/port.js';
import { problemForGraphFailure } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import { ConflictError, type StoredRow } from '../store/port.js';
import { auditAfterTheFact, requestEvent } from './audit-events.js';
import type { Clicker } from './clicks.js';
import { checkAndPlan, type PrepareOutcome } from './prepare.js';
import type { CoreDeps } from './core-deps.js';
import type { LiveRead } from './recheck.js';
import type { TapRequest } from './request.js';

export type Superseded =
  | { kind: 'changed'; request: TapRequest; changes: string[]; next: PrepareOutcome }
  | { kind: 'problem'; problem: Problem };

/**
 * The card's facts no longer hold: the request ends as superseded (a conditional write, so a racing
 * click cannot also act on it), and a fresh request is planned from what is true now, for a new card
 * that says what changed. Nothing is created in Entra.
 */
export async function supersede(
  deps: CoreDeps,
  graph: TapGraph,
  row: StoredRow<TapRequest>,
  changes: string[],
  live: LiveRead,
  clicker: Clicker,
): Promise<Superseded> {
  const old = row.value;
  let ended: StoredRow<TapRequest>;
  try {
    ended = await deps.requests.update(row, { ...old, state: 'superseded' });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return {
      kind: 'problem',
      problem: problem('REQUEST_ALREADY_USED', { who: old.target?.userPrincipalName }),
    };
  }
  await auditAfterTheFact(
    deps,
    requestEvent('request.superseded', ended.value, clicker, { reason: changes.join(' ').slice(0, 200) }),
  );
  const now = deps.clock.now();
  const signal = AbortSignal.timeout(5_000);
  const draft: Omit<TapRequest, 'id'> = {
    kind: 'issue',
    state: 'pending',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.requestTtlMinutes * 60_000).toISOString(),
    requester: old.requester,
    timeZone: old.timeZone,
    conversationId: old.conversationId,
    query: old.query,
    asked: old.asked,
  };
  let next: PrepareOutcome;
  try {
    const myRoles = await graph.getRoles('me', signal);
    next = await checkAndPlan(deps, graph, draft, live.user, myRoles, live.policy, signal, undefined);
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    next = { kind: 'problem', problem: problemForGraphFailure(error, { operation: 'read', who: old.query }) };
  }
  return { kind: 'changed', request: ended.value, changes, next };
}
