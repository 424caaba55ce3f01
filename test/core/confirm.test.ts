// Confirm, against the core with fakes only: one click, one create; never a second create.
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../src/store/port.js';
import { lookUpPass } from '../../src/tap/revoke.js';
import { coreWorld, PEOPLE, upnOf } from '../fakes/core.js';
import { failures } from '../fakes/graph.js';
import { codeOf, confirm, conversationOf, issued, pending, stored } from './steps.js';

const { alice, erin, pat, tom } = PEOPLE;

describe('confirmIssue', () => {
  it('happy path: one create as the clicker, the code only in the answer, the trail complete', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    expect(request.plan).toEqual({ lifetimeMinutes: 60 });
    const outcome = await confirm(w, request.id, alice);
    if (outcome.kind !== 'issued') throw new Error(codeOf(outcome));
    expect(outcome.pass.temporaryAccessPass).toBe(w.tenant.passOf(tom.oid)?.temporaryAccessPass);
    expect(outcome.request).toMatchObject({ state: 'issued', outcome: { methodId: outcome.pass.id } });
    expect(w.tenant.callsOf('createTap')).toEqual([
      expect.objectContaining({ caller: alice.oid, args: [tom.oid, { lifetimeInMinutes: 60 }], status: 200 }),
    ]);
    // One millisecond of fake time: the trail's order within it is arbitrary.
    expect((await w.audit()).map((e) => e.type).sort()).toEqual([
      'request.confirmed',
      'request.created',
      'tap.issued',
    ]);
    // Rows never hold a pass (store/port.ts).
    expect(w.data.dump()).not.toContain(outcome.pass.temporaryAccessPass);
    expect((await stored(w, request.id)).state).toBe('issued');
    expect(w.errors).toEqual([]);
  });

  it('double click: both at once → one create, the other click hears "already used"', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    const outcomes = await Promise.all([confirm(w, request.id, alice), confirm(w, request.id, alice)]);
    expect(outcomes.map(codeOf).sort()).toEqual(['REQUEST_ALREADY_USED', 'issued']);
    expect(w.tenant.createsSent()).toBe(1);
    expect(codeOf(await confirm(w, request.id, alice))).toBe('REQUEST_ALREADY_USED');
    expect(w.tenant.createsSent()).toBe(1);
  });

  it('a stale claim (instance died after claiming) becomes outcome unknown after 30 s, never re-sent', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    w.tenant.beforeNext('createTap', () => {
      throw new Error('the instance died waiting for Graph');
    });
    await expect(confirm(w, request.id, alice)).rejects.toThrow(/died/);
    expect((await stored(w, request.id)).state).toBe('issuing');
    w.clock.advanceSeconds(29);
    expect(codeOf(await confirm(w, request.id, alice))).toBe('REQUEST_ALREADY_USED');
    expect((await stored(w, request.id)).state).toBe('issuing');
    w.clock.advanceSeconds(2);
    expect(codeOf(await confirm(w, request.id, alice))).toBe('TAP_OUTCOME_UNKNOWN');
    expect((await stored(w, request.id)).state).toBe('unknown');
    expect(codeOf(await confirm(w, request.id, alice))).toBe('REQUEST_ALREADY_USED');
    expect(w.tenant.createsSent()).toBe(1);
    expect((await w.audit('tap.outcome_unknown')).length).toBe(1);
  });

  it('Graph 503 on create → outcome unknown, recorded, and not retried by a later click', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    w.tenant.fail('createTap', failures.unavailable(true));
    const outcome = await confirm(w, request.id, alice);
    expect(codeOf(outcome)).toBe('TAP_OUTCOME_UNKNOWN');
    expect(outcome.kind === 'problem' && outcome.graph).toEqual({ status: 503, code: 'serviceUnavailable' });
    expect((await stored(w, request.id)).state).toBe('unknown');
    expect(codeOf(await confirm(w, request.id, alice))).toBe('REQUEST_ALREADY_USED');
    expect(w.tenant.createsSent()).toBe(1);
    expect((await w.audit('tap.outcome_unknown')).map((e) => e.code)).toEqual(['TAP_OUTCOME_UNKNOWN']);
  });

  it('a timeout on create is outcome unknown too', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    w.tenant.fail('createTap', failures.timeout());
    expect(codeOf(await confirm(w, request.id, alice))).toBe('TAP_OUTCOME_UNKNOWN');
    expect((await stored(w, request.id)).state).toBe('unknown');
  });

  it('429 on create → failed and throttled (Graph did not run it), with Retry-After', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    w.tenant.fail('createTap', failures.throttled(7));
    const outcome = await confirm(w, request.id, alice);
    expect(codeOf(outcome)).toBe('TAP_THROTTLED');
    expect(outcome.kind === 'problem' && outcome.problem.message).toMatch(/7|second/);
    expect((await stored(w, request.id)).state).toBe('failed');
    expect(w.tenant.passOf(tom.oid)).toBeUndefined();
  });

  it('a role lapsed since the card → refused at the re-check, before any claim is spent', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    w.tenant.user(alice.oid).roles = [];
    expect(codeOf(await confirm(w, request.id, alice))).toBe('TAP_ROLE_MISSING');
    expect((await stored(w, request.id)).state).toBe('pending');
    expect(w.tenant.createsSent()).toBe(0);
  });

  it('403 on the create itself → failed, explained as the role', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    w.tenant.fail('createTap', failures.forbidden());
    expect(codeOf(await confirm(w, request.id, alice))).toBe('TAP_ROLE_MISSING');
    expect((await stored(w, request.id)).state).toBe('failed');
  });

  it('audit trail unwritable before create → no create, the request ends failed, the error surfaces', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    w.data.failNextWrites(1, { table: TABLES.audit });
    await expect(confirm(w, request.id, alice)).rejects.toThrow(/injected/);
    expect(w.tenant.createsSent()).toBe(0);
    expect(await stored(w, request.id)).toMatchObject({
      state: 'failed',
      outcome: { problemCode: 'UNEXPECTED' },
    });
    expect(codeOf(await confirm(w, request.id, alice))).toBe('REQUEST_ALREADY_USED');
  });

  it('the request row unwritable after the create → the clicker still gets the pass', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    w.tenant.beforeNext('createTap', () => w.data.failNextWrites(1, { table: TABLES.requests }));
    const outcome = await confirm(w, request.id, alice);
    expect(outcome.kind === 'issued' && outcome.recordError).toBeInstanceOf(Error);
    expect((await stored(w, request.id)).state).toBe('issuing');
    // Nothing will ever send it again: a later click sees the claim, then the stale claim.
    w.clock.advanceMinutes(1);
    expect(codeOf(await confirm(w, request.id, alice))).toBe('TAP_OUTCOME_UNKNOWN');
    expect(w.tenant.createsSent()).toBe(1);
  });

  it('a read failing in the re-check hands the request back untouched; Confirm works again', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    w.tenant.fail('listTaps', failures.unavailable());
    expect(codeOf(await confirm(w, request.id, alice))).toBe('TAP_GRAPH_UNAVAILABLE');
    expect((await stored(w, request.id)).state).toBe('pending');
    expect(codeOf(await confirm(w, request.id, alice))).toBe('issued');
    expect(w.tenant.createsSent()).toBe(1);
  });

  it('expired card → REQUEST_EXPIRED recorded once, nothing created', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    w.clock.advanceMinutes(10).advanceSeconds(1);
    expect(codeOf(await confirm(w, request.id, alice))).toBe('REQUEST_EXPIRED');
    expect((await stored(w, request.id)).state).toBe('expired');
    expect(codeOf(await confirm(w, request.id, alice))).toBe('REQUEST_EXPIRED');
    expect((await w.audit('request.expired')).length).toBe(1);
    expect(w.tenant.createsSent()).toBe(0);
  });

  it('a card whose facts changed (someone else gave them a pass) → superseded, a fresh card, no create', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    w.clock.advanceMinutes(1);
    w.tenant.givePass(tom.oid, { createdBy: pat.oid });
    const outcome = await confirm(w, request.id, alice);
    if (outcome.kind !== 'changed') throw new Error(codeOf(outcome));
    expect(outcome.changes.join(' ')).toMatch(/another pass/);
    expect((await stored(w, request.id)).state).toBe('superseded');
    expect(outcome.next.kind).toBe('confirm');
    const fresh = outcome.next.kind === 'confirm' ? outcome.next.view.request : undefined;
    expect(fresh && fresh.id).not.toBe(request.id);
    expect(w.tenant.callsOf('createTap')).toEqual([]);
    // The fresh card acts on what is true now.
    expect(codeOf(await confirm(w, fresh!.id, alice))).toBe('issued');
  });

  it('an account disabled since the card → superseded too', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    w.tenant.user(tom.oid).accountEnabled = false;
    const outcome = await confirm(w, request.id, alice);
    expect(outcome.kind === 'changed' && outcome.changes).toEqual(['Their account was disabled.']);
    expect(w.tenant.createsSent()).toBe(0);
  });

  it("someone else's card → REQUEST_NOT_YOURS; a revoke request's id → CLICK_NOT_ALLOWED; no create", async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    expect(codeOf(await confirm(w, request.id, erin))).toBe('REQUEST_NOT_YOURS');
    await issued(w, pat, PEOPLE.tess);
    const looked = await lookUpPass(w.deps, w.graphOf(alice), {
      requester: alice,
      timeZone: 'UTC',
      conversationId: conversationOf(alice),
      who: upnOf(PEOPLE.tess),
    });
    const revokeId = looked.kind === 'found' ? looked.view.revokeRequest?.id : undefined;
    expect(revokeId).toBeDefined();
    const before = w.tenant.createsSent();
    expect(codeOf(await confirm(w, revokeId!, alice))).toBe('CLICK_NOT_ALLOWED');
    expect(codeOf(await confirm(w, 'no-such-request', alice))).toBe('REQUEST_NOT_FOUND');
    expect(w.tenant.createsSent()).toBe(before);
    expect((await stored(w, revokeId!)).state).toBe('pending');
  });
});

describe('confirmIssue and the issue limits', () => {
  // confirmIssue takes the limits before it appends 'request.confirmed'; when that append fails the
  // request ends failed with no pass, and the allowance it took is given back.
  it('an audit failure before the create gives back the allowance it took', async () => {
    const w = coreWorld({ limits: { perIssuerPerHour: 1, perTargetPerDay: 0, tenantPerHour: 0 } });
    const request = await pending(w, alice, tom);
    w.data.failNextWrites(1, { table: TABLES.audit });
    await expect(confirm(w, request.id, alice)).rejects.toThrow(/injected/);
    expect(w.tenant.createsSent()).toBe(0);
    // No pass was issued this hour, so Alice may still issue one.
    const next = await pending(w, alice, PEOPLE.tess);
    expect(codeOf(await confirm(w, next.id, alice))).toBe('issued');
  });
});
