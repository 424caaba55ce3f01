// Small steps the core tests share: a pending request, an issued pass, an approval request.
import { expect } from 'vitest';
import { requestApproval } from '../../src/tap/approval-request.js';
import { confirmIssue, type ConfirmOutcome } from '../../src/tap/confirm.js';
import { prepareIssue, type PrepareOutcome } from '../../src/tap/prepare.js';
import type { Person, TapRequest } from '../../src/tap/request.js';
import { APPROVERS_CHANNEL, upnOf, type CoreWorld } from '../fakes/core.js';

export const conversationOf = (p: Person) => `a:chat-${p.oid}`;

/** `issue TAP for <target>` by `requester`, as the chat layer calls it. */
export function prepare(
  w: CoreWorld,
  requester: Person,
  who: string,
  options: { lifetimeMinutes?: number; usableOnce?: boolean } = {},
): Promise<PrepareOutcome> {
  return prepareIssue(w.deps, w.graphOf(requester), {
    requester,
    timeZone: 'UTC',
    utcOffsetMinutes: 0,
    conversationId: conversationOf(requester),
    command: { kind: 'issue', who, ...options },
  });
}

/** A pending request of `requester` for `target`; fails the test if preparing did not get that far. */
export async function pending(w: CoreWorld, requester: Person, target: Person): Promise<TapRequest> {
  const prepared = await prepare(w, requester, upnOf(target));
  if (prepared.kind !== 'confirm')
    throw new Error(`expected a confirmation card, got ${JSON.stringify(prepared)}`);
  expect(prepared.view.request.state).toBe('pending');
  return prepared.view.request;
}

/** Confirm clicked by `clicker`. */
export function confirm(w: CoreWorld, requestId: string, clicker: Person): Promise<ConfirmOutcome> {
  return confirmIssue(w.deps, w.as(clicker), {
    requestId,
    clicker,
    verification: 'called back on file number',
  });
}

/** A pass issued through TapDesk by `issuer` for `target`; returns the issued request. */
export async function issued(w: CoreWorld, issuer: Person, target: Person): Promise<TapRequest> {
  const request = await pending(w, issuer, target);
  const outcome = await confirm(w, request.id, issuer);
  if (outcome.kind !== 'issued') throw new Error(`expected a pass, got ${JSON.stringify(outcome)}`);
  return outcome.request;
}

/** `request TAP for <target>` by `requester`: an awaiting approval request. */
export async function awaitingApproval(w: CoreWorld, requester: Person, target: Person): Promise<TapRequest> {
  const outcome = await requestApproval(w.deps, w.graphOf(requester), {
    requester,
    timeZone: 'UTC',
    utcOffsetMinutes: 0,
    conversationId: conversationOf(requester),
    command: { kind: 'request', who: upnOf(target), reason: 'lost phone' },
  });
  if (outcome.kind !== 'requested')
    throw new Error(`expected an approval request, got ${JSON.stringify(outcome)}`);
  return outcome.view.request;
}

/** A decision click in the approvers' channel (from a thread of it, as Teams sends it). */
export const inChannel = (requestId: string, clicker: Person) => ({
  requestId,
  clicker,
  conversationId: `${APPROVERS_CHANNEL};messageid=1700000000000`,
  isPersonalChat: false,
});

/** The stored request now. */
export async function stored(w: CoreWorld, id: string): Promise<TapRequest> {
  const row = await w.deps.requests.get(id);
  if (!row) throw new Error(`request ${id} is not stored`);
  return row.value;
}

/** The problem code of an outcome, or its kind when it is not a problem. */
export const codeOf = (outcome: { kind: string; problem?: { code: string } }) =>
  outcome.problem?.code ?? outcome.kind;
