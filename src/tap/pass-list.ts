import type { PassListScope } from '../chat/manage.js';
import { problem, type Problem } from '../errors/catalog.js';
import { problemForGraphFailure } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import type { TapGraph, TapMethod } from '../graph/port.js';
import type { CoreDeps } from './core-deps.js';
import { issuerOf, type Person, type TapRequest } from './request.js';
import { revokeRequestFor } from './revoke-request.js';
import { UnitOfWork } from '../store/unit.js';
import { issuerStrength } from './roles.js';

/** How many passes one `list TAPs` card shows; the rest are counted ("and 7 more"). */
export const MAX_PASSES_LISTED = 10;

/** One pass on the list: TapDesk's record, and what Graph says now. */
export interface ListedPass {
  request: TapRequest;
  /**
   * 'live': Graph still has it (with a Revoke request when the caller may revoke it); 'gone': Graph no
   * longer has it (revoked or replaced outside TapDesk).
   */
  graph: { kind: 'live'; pass: TapMethod; revokeRequest: TapRequest | null } | { kind: 'gone' };
}

export type PassListOutcome =
  | { kind: 'problem'; problem: Problem }
  | {
      kind: 'list';
      rows: ListedPass[];
      more: number;
      /** Passes among those checked whose person the caller may not read in Entra: left out, only counted. */
      hidden: number;
      scope: PassListScope;
    };

/**
 * `list TAPs [mine]`: the passes TapDesk issued that are still outstanding by its own records
 * (issued, not revoked or replaced, not expired), newest first, each checked against Graph as the
 * caller. Revoke buttons are backed by a stored revoke request per pass, checked on click like
 * every other, never by what the card carries.
 */
export async function listOutstandingPasses(
  deps: CoreDeps,
  graph: TapGraph,
  input: { requester: Person; timeZone: string; conversationId: string; scope: PassListScope },
): Promise<PassListOutcome> {
  const signal = AbortSignal.timeout(5_000);
  try {
    const strength = issuerStrength(await graph.getRoles('me', signal));
    // Who got a pass is for those who may issue them, as with `list TAP for <who>`.
    if (strength === 'none')
      return { kind: 'problem', problem: problem('TAP_ROLE_MISSING', { who: 'anyone' }) };
    const now = deps.clock.now();
    const outstanding = await outstandingRequests(
      deps,
      now,
      input.scope === 'mine' ? input.requester.oid : null,
    );
    const shown = outstanding.slice(0, MAX_PASSES_LISTED);
    const checked = await Promise.all(
      shown.map((request) => checkInGraph(deps, graph, input, request, strength === 'privileged', signal)),
    );
    const rows = checked.filter((row): row is ListedPass => row !== null);
    await storeRevokeRequests(deps, rows);
    return {
      kind: 'list',
      rows,
      more: outstanding.length - shown.length,
      hidden: checked.length - rows.length,
      scope: input.scope,
    };
  } catch (error) {
    if (error instanceof GraphFailure)
      return {
        kind: 'problem',
        problem: problemForGraphFailure(error, { operation: 'read', who: 'anyone' }),
      };
    throw error;
  }
}

/** The requests whose pass is outstanding by TapDesk's records, newest first; only `issuerOid`'s when given. */
async function outstandingRequests(
  deps: CoreDeps,
  now: Date,
  issuerOid: string | null,
): Promise<TapRequest[]> {
  const entries = await deps.outstanding.live(now, deps.onBackgroundError);
  const requests = await Promise.all(entries.map(async (e) => (await deps.requests.get(e.requestId))?.value));
  return requests.filter(
    (r): r is TapRequest =>
      r !== undefined &&
      r.state === 'issued' &&
      !!r.outcome?.expiresAt &&
      Date.parse(r.outcome.expiresAt) > now.getTime() &&
      (issuerOid === null || issuerOf(r).oid === issuerOid),
  );
}

/** The revoke requests behind the card's buttons, stored in one commit before the card is sent. */
async function storeRevokeRequests(deps: CoreDeps, rows: ListedPass[]): Promise<void> {
  const unit = new UnitOfWork();
  for (const row of rows) {
    if (row.graph.kind === 'live' && row.graph.revokeRequest)
      deps.requests.addIn(unit, row.graph.revokeRequest);
  }
  if (unit.writes.length > 0) await unit.commit(deps.store);
}

async function checkInGraph(
  deps: CoreDeps,
  graph: TapGraph,
  input: { requester: Person; timeZone: string; conversationId: string },
  request: TapRequest,
  privilegedCaller: boolean,
  signal: AbortSignal,
): Promise<ListedPass | null> {
  const target = request.target!;
  let passes: TapMethod[];
  try {
    passes = await graph.listTaps(target.id, signal);
  } catch (error) {
    // A pass the caller's own role may not read is not shown to them (Entra decides, as everywhere);
    // it must not hide the others either.
    if (error instanceof GraphFailure) return null;
    throw error;
  }
  const pass = passes.find((p) => p.id === request.outcome?.methodId);
  if (!pass) return { request, graph: { kind: 'gone' } };
  // As for `list TAP for <who>`: not one's own pass, and a privileged person's only for a privileged admin.
  const privilegedTarget =
    request.checks?.targetPrivileged === true || request.approval?.needs === 'privileged';
  const mayRevoke = target.id !== input.requester.oid && (privilegedCaller || !privilegedTarget);
  const revokeRequest = mayRevoke
    ? revokeRequestFor(deps, { ...input, query: target.userPrincipalName }, target, pass)
    : null;
  return { request, graph: { kind: 'live', pass, revokeRequest } };
}
