import type { TapMethod } from '../graph/port.js';
import type { CoreDeps } from './core-deps.js';
import type { Candidate, Person, TapRequest } from './request.js';

/** Stores the pending revoke request behind a Revoke button: which pass, of whom, asked by whom. */
export async function storeRevokeRequest(
  deps: CoreDeps,
  input: { requester: Person; timeZone: string; conversationId: string; query: string },
  target: Candidate,
  pass: TapMethod,
): Promise<TapRequest> {
  const now = deps.clock.now();
  const stored = await deps.requests.add({
    kind: 'revoke',
    state: 'pending',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.requestTtlMinutes * 60_000).toISOString(),
    requester: input.requester,
    timeZone: input.timeZone,
    conversationId: input.conversationId,
    query: input.query,
    asked: { utcOffsetMinutes: 0 },
    target,
    pass: {
      methodId: pass.id,
      createdDateTime: pass.createdDateTime,
      startDateTime: pass.startDateTime,
      lifetimeInMinutes: pass.lifetimeInMinutes,
      isUsableOnce: pass.isUsableOnce,
    },
  });
  return stored.value;
}
