// Revoke: a pending revoke request from `list`/`revoke`, or a notice's "Revoke now" for its issuer.
import { describe, expect, it } from 'vitest';
import { lookUpPass, revokePass } from '../../src/tap/revoke.js';
import type { Person } from '../../src/tap/request.js';
import { coreWorld, PEOPLE, upnOf, type CoreWorld } from '../fakes/core.js';
import { failures } from '../fakes/graph.js';
import { codeOf, conversationOf, issued, stored } from './steps.js';

const { alice, erin, pat, mona, tom, uma } = PEOPLE;

const look = (w: CoreWorld, requester: Person, target: Person) =>
  lookUpPass(w.deps, w.graphOf(requester), {
    requester,
    timeZone: 'UTC',
    conversationId: conversationOf(requester),
    who: upnOf(target),
  });
const revoke = (w: CoreWorld, requestId: string, clicker: Person) =>
  revokePass(w.deps, w.as(clicker), { requestId, clicker });

async function revokeRequestId(w: CoreWorld, requester: Person, target: Person): Promise<string> {
  const found = await look(w, requester, target);
  const id = found.kind === 'found' ? found.view.revokeRequest?.id : undefined;
  if (!id) throw new Error(`no revoke button: ${JSON.stringify(found)}`);
  return id;
}

describe('lookUpPass', () => {
  it('a Revoke button only when there is a pass and the caller may delete it', async () => {
    const w = coreWorld();
    expect(await look(w, alice, tom)).toMatchObject({
      kind: 'found',
      view: { pass: null, revokeRequest: null },
    });
    w.tenant.givePass(uma.oid);
    // An Authentication Administrator may see a privileged person's pass, not delete it.
    expect(await look(w, alice, uma)).toMatchObject({ kind: 'found', view: { revokeRequest: null } });
    expect(codeOf(await look(w, mona, tom))).toBe('TAP_ROLE_MISSING');
    const byPat = await look(w, pat, uma);
    expect(byPat.kind === 'found' && byPat.view.revokeRequest?.state).toBe('pending');
  });
});

describe('revokePass', () => {
  it('a pending revoke request: deletes that pass as the clicker, records who issued it', async () => {
    const w = coreWorld();
    const first = await issued(w, alice, tom);
    const id = await revokeRequestId(w, erin, tom);
    expect(codeOf(await revoke(w, id, alice))).toBe('REQUEST_NOT_YOURS');
    const outcome = await revoke(w, id, erin);
    if (outcome.kind !== 'revoked') throw new Error(codeOf(outcome));
    expect(outcome).toMatchObject({ deleted: true, issuer: { oid: alice.oid } });
    expect(w.tenant.passOf(tom.oid)).toBeUndefined();
    expect(w.tenant.callsOf('deleteTap')).toEqual([
      expect.objectContaining({ caller: erin.oid, args: [tom.oid, first.outcome?.methodId] }),
    ]);
    // The issue request learns it too, so no reminder goes out for a pass that is gone.
    expect(await stored(w, first.id)).toMatchObject({ state: 'revoked', outcome: { revokedBy: erin } });
    expect(codeOf(await revoke(w, id, erin))).toBe('REQUEST_ALREADY_USED');
  });

  it('a double click deletes once', async () => {
    const w = coreWorld();
    await issued(w, alice, tom);
    const id = await revokeRequestId(w, alice, tom);
    const outcomes = await Promise.all([revoke(w, id, alice), revoke(w, id, alice)]);
    expect(outcomes.map(codeOf).sort()).toEqual(['REQUEST_ALREADY_USED', 'revoked']);
    expect(w.tenant.callsOf('deleteTap')).toHaveLength(1);
  });

  it("the notice's Revoke now: only its issuer, and the issue request ends revoked", async () => {
    const w = coreWorld();
    const first = await issued(w, alice, tom);
    expect(codeOf(await revoke(w, first.id, erin))).toBe('REQUEST_NOT_YOURS');
    const outcome = await revoke(w, first.id, alice);
    expect(outcome.kind === 'revoked' && outcome.request.state).toBe('revoked');
    expect(w.tenant.passOf(tom.oid)).toBeUndefined();
  });

  it('a notice of a pass since replaced: nothing deleted, the answer names the newer pass with its own button', async () => {
    const w = coreWorld();
    const first = await issued(w, alice, tom);
    w.clock.advanceMinutes(5);
    await issued(w, pat, tom);
    const newer = w.tenant.passOf(tom.oid)!;
    // Pat's confirm already told the first request it was replaced; its notice may still be clicked.
    expect((await stored(w, first.id)).state).toBe('replaced');
    const outcome = await revoke(w, first.id, alice);
    if (outcome.kind !== 'replaced') throw new Error(codeOf(outcome));
    expect(outcome.newer.id).toBe(newer.id);
    expect(outcome.newerIssuer?.oid).toBe(pat.oid);
    expect(outcome.revokeRequest).toMatchObject({ kind: 'revoke', state: 'pending', requester: alice });
    expect(w.tenant.callsOf('deleteTap')).toEqual([]);
    expect(w.tenant.passOf(tom.oid)?.id).toBe(newer.id);
    const second = await revoke(w, outcome.revokeRequest.id, alice);
    expect(second.kind === 'revoked' && second.issuer?.oid).toBe(pat.oid);
    expect(w.tenant.passOf(tom.oid)).toBeUndefined();
  });

  it('a revoke request whose pass was replaced (outside TapDesk) is superseded, not "revoked"', async () => {
    const w = coreWorld();
    w.tenant.givePass(tom.oid);
    const id = await revokeRequestId(w, alice, tom);
    const portal = w.tenant.givePass(tom.oid);
    const outcome = await revoke(w, id, alice);
    if (outcome.kind !== 'replaced') throw new Error(codeOf(outcome));
    expect(outcome).toMatchObject({
      request: { state: 'superseded' },
      newer: { id: portal.id },
      newerIssuer: null,
    });
  });

  it('a pass already gone: revoked, deleted false', async () => {
    const w = coreWorld();
    const first = await issued(w, alice, tom);
    w.tenant.passes.clear();
    const outcome = await revoke(w, first.id, alice);
    expect(outcome.kind === 'revoked' && outcome.deleted).toBe(false);
  });

  it('Graph refuses the delete: a revoke request fails, an issue request goes back to issued', async () => {
    const w = coreWorld();
    const first = await issued(w, alice, tom);
    w.tenant.fail('deleteTap', failures.forbidden());
    expect(codeOf(await revoke(w, first.id, alice))).toBe('TAP_ROLE_MISSING');
    expect((await stored(w, first.id)).state).toBe('issued');
    const id = await revokeRequestId(w, alice, tom);
    w.tenant.fail('deleteTap', failures.unavailable());
    expect(codeOf(await revoke(w, id, alice))).toBe('TAP_GRAPH_UNAVAILABLE');
    expect((await stored(w, id)).state).toBe('failed');
    expect(w.tenant.passOf(tom.oid)).toBeDefined();
  });

  it('an expired revoke card does nothing', async () => {
    const w = coreWorld();
    w.tenant.givePass(tom.oid);
    const id = await revokeRequestId(w, alice, tom);
    w.clock.advanceMinutes(11);
    expect(codeOf(await revoke(w, id, alice))).toBe('REQUEST_EXPIRED');
    expect(w.tenant.passOf(tom.oid)).toBeDefined();
  });

  // Liveness: an instance that dies between claiming ('revoking') and Graph's answer must not leave
  // the pass live behind an "already used" button. Deleting one method id is idempotent, so a stale
  // 'revoking' claim is clicked again (a stale create claim, by contrast, is never retried).
  it('a revoke claim left by a dead instance can be clicked again later', async () => {
    const w = coreWorld();
    const first = await issued(w, alice, tom);
    w.tenant.beforeNext('deleteTap', () => {
      throw new Error('the instance died waiting for Graph');
    });
    await expect(revoke(w, first.id, alice)).rejects.toThrow(/died/);
    expect((await stored(w, first.id)).state).toBe('revoking');
    w.clock.advanceMinutes(5);
    expect(codeOf(await revoke(w, first.id, alice))).toBe('revoked');
  });
});
