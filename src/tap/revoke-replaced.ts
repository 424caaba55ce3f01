import type { TapGraph, TapMethod } from '../graph/port.js';
import { ConflictError, type StoredRow } from '../store/port.js';
import type { Clicker } from './clicks.js';
import type { CoreDeps } from './core-deps.js';
import { issuingEvent } from './replaced.js';
import type { Person, TapRequest } from './request.js';
import { storeRevokeRequest } from './revoke-request.js';

/** The pass a Revoke button named was replaced: what the person holds now, and a button for it. */
export interface Replacement {
  kind: 'replaced';
  /** The clicked request, ended: an issue request as `replaced`, a revoke request as `superseded`. */
  request: TapRequest;
  newer: TapMethod;
  /** Who issued the newer pass, when TapDesk did; null when it came from elsewhere (the portal, a script). */
  newerIssuer: Person | null;
  /** A pending revoke request for the newer pass, for the button on the answer. */
  revokeRequest: TapRequest;
}

/**
 * Before deleting, is the pass the button named still the person's pass? Entra keeps one per
 * person, so a newer one means the old one is gone and deleting its id would delete nothing, and
 * "revoked" would be untrue while the person can still sign in. Null when the pass is still theirs
 * (or gone with nothing newer), and the revoke goes ahead.
 */
export async function replacedSince(
  deps: CoreDeps,
  graph: TapGraph,
  row: StoredRow<TapRequest>,
  methodId: string,
  clicker: Clicker,
): Promise<Replacement | 'conflict' | null> {
  const request = row.value;
  const target = request.target!;
  const current = (await graph.listTaps(target.id, AbortSignal.timeout(5_000)))[0] ?? null;
  if (!current || current.id === methodId) return null;
  let ended: StoredRow<TapRequest>;
  try {
    ended = await deps.requests.update(row, {
      ...request,
      state: request.kind === 'revoke' ? 'superseded' : 'replaced',
    });
  } catch (error) {
    if (error instanceof ConflictError) return 'conflict';
    throw error;
  }
  const issued = await issuingEvent(deps, target.id, current.id);
  const revokeRequest = await storeRevokeRequest(
    deps,
    {
      requester: clicker,
      timeZone: request.timeZone,
      conversationId: request.conversationId,
      query: target.userPrincipalName,
    },
    target,
    current,
  );
  return {
    kind: 'replaced',
    request: ended.value,
    newer: current,
    newerIssuer: issued?.actor ?? null,
    revokeRequest,
  };
}
