// Choose, cancel and "issue a new one": who may click what, once.
import { describe, expect, it } from 'vitest';
import { cancelRequest, chooseTarget, reissueFrom } from '../../src/tap/clicks.js';
import { approveRequest } from '../../src/tap/approval-decide.js';
import { coreWorld, PEOPLE } from '../fakes/core.js';
import {
  awaitingApproval,
  codeOf,
  confirm,
  conversationOf,
  inChannel,
  issued,
  pending,
  prepare,
  stored,
} from './steps.js';

const { alice, erin, mona, tom, tess, uma } = PEOPLE;

describe('chooseTarget', () => {
  it('several matches → a choice card; the requester picks one of them, once', async () => {
    const w = coreWorld();
    const prepared = await prepare(w, alice, 't');
    if (prepared.kind !== 'choose') throw new Error(codeOf(prepared));
    const request = prepared.request;
    expect(request.candidates?.map((c) => c.id).sort()).toEqual([tess.oid, tom.oid]);
    const choose = (userId: string, clicker = alice) =>
      chooseTarget(w.deps, w.graphOf(clicker), { requestId: request.id, userId, clicker });
    expect(codeOf(await choose(tess.oid, erin))).toBe('REQUEST_NOT_YOURS');
    // Only people the card offered: the userId in a card payload is a pointer into our own list.
    expect(codeOf(await choose(uma.oid))).toBe('BAD_CARD_PAYLOAD');
    const chosen = await choose(tess.oid);
    if (chosen.kind !== 'confirm') throw new Error(codeOf(chosen));
    expect(chosen.view.request).toMatchObject({ id: request.id, state: 'pending', target: { id: tess.oid } });
    expect(codeOf(await choose(tom.oid))).toBe('REQUEST_ALREADY_USED');
    expect(codeOf(await confirm(w, request.id, alice))).toBe('issued');
    expect(w.tenant.passOf(tess.oid)).toBeDefined();
    expect(w.tenant.passOf(tom.oid)).toBeUndefined();
  });

  it('an expired choice card cannot be used', async () => {
    const w = coreWorld();
    const prepared = await prepare(w, alice, 't');
    if (prepared.kind !== 'choose') throw new Error(codeOf(prepared));
    w.clock.advanceMinutes(11);
    const chosen = await chooseTarget(w.deps, w.graphOf(alice), {
      requestId: prepared.request.id,
      userId: tom.oid,
      clicker: alice,
    });
    expect(codeOf(chosen)).toBe('REQUEST_EXPIRED');
  });
});

describe('cancelRequest', () => {
  it('the requester cancels; nobody else can, and a cancelled request is never confirmed', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    expect(codeOf(await cancelRequest(w.deps, { requestId: request.id, clicker: erin }))).toBe(
      'REQUEST_NOT_YOURS',
    );
    expect(codeOf(await cancelRequest(w.deps, { requestId: request.id, clicker: alice }))).toBe('cancelled');
    expect(codeOf(await confirm(w, request.id, alice))).toBe('REQUEST_ALREADY_USED');
    expect(codeOf(await cancelRequest(w.deps, { requestId: request.id, clicker: alice }))).toBe(
      'REQUEST_ALREADY_USED',
    );
    expect(w.tenant.createsSent()).toBe(0);
    expect((await w.audit('request.cancelled')).length).toBe(1);
  });

  it('cancel racing confirm: exactly one of them wins', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    const [cancelled, confirmed] = await Promise.all([
      cancelRequest(w.deps, { requestId: request.id, clicker: alice }),
      confirm(w, request.id, alice),
    ]);
    const won = [codeOf(cancelled), codeOf(confirmed)].filter((c) => c !== 'REQUEST_ALREADY_USED');
    expect(won).toHaveLength(1);
    expect(w.tenant.createsSent()).toBe(won[0] === 'issued' ? 1 : 0);
    // The loser's "Already handled" says what the winner did.
    const loser = won[0] === 'issued' ? cancelled : confirmed;
    if (loser.kind !== 'problem') throw new Error('expected the losing click to be refused');
    expect(loser.problem.message).toContain(
      won[0] === 'issued' ? 'already confirmed by Alice' : 'already cancelled by Alice',
    );
  });

  it('a Confirm after a Cancel says the request was cancelled, and that nothing was issued', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    await cancelRequest(w.deps, { requestId: request.id, clicker: alice });
    const late = await confirm(w, request.id, alice);
    if (late.kind !== 'problem') throw new Error(codeOf(late));
    expect(late.problem).toMatchObject({ code: 'REQUEST_ALREADY_USED', title: 'Already handled' });
    expect(late.problem.message).toMatch(
      /^This request was already cancelled by Alice[^;]*; nothing more was done\.$/,
    );
    expect(late.problem.nextStep).toContain('Nothing was issued');
    // And a Cancel after a Confirm says it was confirmed, not cancelled.
    const other = await pending(w, alice, tom);
    expect(codeOf(await confirm(w, other.id, alice))).toBe('issued');
    const tooLate = await cancelRequest(w.deps, { requestId: other.id, clicker: alice });
    if (tooLate.kind !== 'problem') throw new Error('expected a refusal');
    expect(tooLate.problem.message).toContain('already confirmed by Alice');
  });

  it('an approval request can be withdrawn by its requester while it waits', async () => {
    const w = coreWorld();
    const request = await awaitingApproval(w, mona, tom);
    expect(codeOf(await cancelRequest(w.deps, { requestId: request.id, clicker: mona }))).toBe('cancelled');
    const late = await approveRequest(w.deps, w.as(alice), inChannel(request.id, alice));
    expect(codeOf(late)).toBe('APPROVAL_DECIDED');
  });
});

describe('reissueFrom', () => {
  const reissue = (w: ReturnType<typeof coreWorld>, requestId: string, clicker = alice) =>
    reissueFrom(w.deps, w.graphOf(clicker), { requestId, clicker, conversationId: conversationOf(clicker) });

  it('only the issuer may ask for a new pass; it is a fresh pending request, checked anew', async () => {
    const w = coreWorld();
    const first = await issued(w, alice, tom);
    expect(codeOf(await reissue(w, first.id, erin))).toBe('REQUEST_NOT_YOURS');
    const again = await reissue(w, first.id);
    if (again.kind !== 'confirm') throw new Error(codeOf(again));
    expect(again.view.request).toMatchObject({ state: 'pending', requester: alice, target: { id: tom.oid } });
    expect(again.view.request.id).not.toBe(first.id);
    expect(again.view.existingPass?.id).toBe(first.outcome?.methodId);
    expect(codeOf(await confirm(w, again.view.request.id, alice))).toBe('issued');
    expect(w.tenant.createsSent()).toBe(2);
  });

  it('a pending or failed request cannot be reissued', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    expect(codeOf(await reissue(w, request.id))).toBe('REQUEST_ALREADY_USED');
  });

  it('an approved request is reissued by its approver (the issuer), not by its requester', async () => {
    const w = coreWorld();
    const request = await awaitingApproval(w, mona, tom);
    expect(codeOf(await approveRequest(w.deps, w.as(alice), inChannel(request.id, alice)))).toBe('issued');
    expect((await stored(w, request.id)).state).toBe('issued');
    expect(codeOf(await reissue(w, request.id, mona))).toBe('REQUEST_NOT_YOURS');
    expect(codeOf(await reissue(w, request.id, alice))).toBe('confirm');
  });
});
