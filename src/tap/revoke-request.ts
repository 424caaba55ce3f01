import { randomUUID } from 'node:crypto';
import type { TapMethod } from '../graph/port.js';
import { UnitOfWork } from '../store/unit.js';
import type { CoreDeps } from './core-deps.js';
import type { Candidate, Person, TapRequest } from './request.js';

type RevokeInput = { requester: Person; timeZone: string; conversationId: string; query: string };

/** Stores the pending revoke request behind a Revoke button: which pass, of whom, asked by whom. */
export async function storeRevokeRequest(
  deps: CoreDeps,
  input: RevokeInput,
  target: Candidate,
  pass: TapMethod,
): Promise<TapRequest> {
  const request = revokeRequestFor(deps, input, target, pass);
  const unit = new UnitOfWork();
  deps.requests.addIn(unit, request);
  await unit.commit(deps.store);
  return request;
}

/** The pending revoke request behind a Revoke button, not yet stored (a list stores several in one unit). */
export function revokeRequestFor(
  deps: CoreDeps,
  input: RevokeInput,
  target: Candidate,
  pass: TapMethod,
): TapRequest {
  const now = deps.clock.now();
  return {
    id: randomUUID(),
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
  };
}
