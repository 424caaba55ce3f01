import { problem, type Problem } from '../errors/catalog.js';
import { problemForGraphFailure } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import type { DirectoryUser, TapGraph, TapMethod, TapPolicy } from '../graph/port.js';
import { changesSince, factsOf } from './facts.js';
import { formatWhen } from './format.js';
import type { CoreDeps } from './core-deps.js';
import { isPrivileged, rolesHeldBy } from './privilege.js';
import type { TapRequest } from './request.js';

/** The person and policy as read at the click, for a fresh card when something changed. */
export interface LiveRead {
  user: DirectoryUser;
  pass: TapMethod | null;
  policy: TapPolicy | null;
  privileged: boolean;
}

export type Recheck =
  | { kind: 'holds'; live: LiveRead | null }
  | { kind: 'changed'; changes: string[]; live: LiveRead }
  | { kind: 'problem'; problem: Problem };

const RECHECK_TIMEOUT_MS = 5_000;

/**
 * Reads again, with the clicker's token, what the card showed about the person (their pass, account,
 * roles) and the policy, before anything is claimed. A card shown minutes ago must not act on facts
 * that have since changed: another admin may have issued a pass the card said nothing about.
 */
export async function recheckFacts(deps: CoreDeps, graph: TapGraph, request: TapRequest): Promise<Recheck> {
  // Requests stored before cards kept their facts: nothing to compare, the old behaviour holds.
  if (!request.shown || !request.target) return { kind: 'holds', live: null };
  const target = request.target;
  const signal = AbortSignal.timeout(RECHECK_TIMEOUT_MS);
  try {
    const [user, passes, roles, policy] = await Promise.all([
      graph.getUser(target.id, signal),
      graph.listTaps(target.id, signal),
      rolesHeldBy(graph, deps.roleReader, target.id, signal),
      graph.getTapPolicy(signal),
    ]);
    if (!user)
      return {
        kind: 'problem',
        problem: problem('TAP_USER_NOT_FOUND', { who: target.userPrincipalName }),
      };
    const pass = passes[0] ?? null;
    const now = deps.clock.now();
    const when = (iso: string) => formatWhen(new Date(iso), request.timeZone, now);
    const privileged = isPrivileged(roles);
    const changes = changesSince(
      request.shown,
      factsOf(user, pass, privileged, policy),
      when,
      request.createdAt,
    );
    const live = { user, pass, policy, privileged };
    return changes.length > 0 ? { kind: 'changed', changes, live } : { kind: 'holds', live };
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    const found = problemForGraphFailure(error, {
      operation: 'read',
      targetName: target.displayName,
      who: target.userPrincipalName,
    });
    return { kind: 'problem', problem: found };
  }
}
