// Approve and reject: four eyes, the right place, the first decision wins, Entra has the last word.
import { describe, expect, it } from 'vitest';
import { approveRequest, expireIfDue, rejectRequest } from '../../src/tap/approval-decide.js';
import { requestApproval } from '../../src/tap/approval-request.js';
import { TABLES } from '../../src/store/port.js';
import { coreWorld, PEOPLE, upnOf, type CoreWorld } from '../fakes/core.js';
import { failures } from '../fakes/graph.js';
import type { Person } from '../../src/tap/request.js';
import { awaitingApproval, codeOf, conversationOf, inChannel, stored } from './steps.js';

const { alice, erin, pat, hank, mona, tom, uma } = PEOPLE;

const approve = (w: CoreWorld, requestId: string, clicker: Person) =>
  approveRequest(w.deps, w.as(clicker), inChannel(requestId, clicker));
const reject = (w: CoreWorld, requestId: string, clicker: Person) =>
  rejectRequest(w.deps, w.as(clicker), { ...inChannel(requestId, clicker), reason: 'call the service desk' });

describe('requestApproval', () => {
  it("a manager asks for their report's pass; nothing is written to Entra", async () => {
    const w = coreWorld();
    const request = await awaitingApproval(w, mona, tom);
    expect(request).toMatchObject({
      kind: 'approval',
      state: 'awaiting',
      approval: { basis: 'manager', needs: 'authentication', reason: 'lost phone' },
    });
    // A manager may not read passes: the approver's read fills this in at Approve.
    expect(request.shown?.passId).toBeUndefined();
    expect(w.tenant.createsSent()).toBe(0);
    expect((await w.audit('approval.requested')).length).toBe(1);
  });

  it('someone with no basis (not manager, group or admin) may not ask', async () => {
    const w = coreWorld();
    const outcome = await requestApproval(w.deps, w.graphOf(hank), {
      requester: hank,
      timeZone: 'UTC',
      utcOffsetMinutes: 0,
      conversationId: conversationOf(hank),
      command: { kind: 'request', who: upnOf(tom) },
    });
    expect(codeOf(outcome)).toBe('APPROVAL_NOT_ALLOWED');
  });
});

describe('open approval requests per requester', () => {
  it('at most ten waiting at once; a decided one frees its place', async () => {
    const w = coreWorld();
    const open = [];
    for (let i = 0; i < 10; i++) open.push(await awaitingApproval(w, mona, tom));
    await expect(awaitingApproval(w, mona, tom)).rejects.toThrow(/APPROVAL_TOO_MANY_OPEN/);
    expect(codeOf(await reject(w, open[0]!.id, erin))).toBe('rejected');
    await expect(awaitingApproval(w, mona, tom)).resolves.toMatchObject({ state: 'awaiting' });
  });
});

describe('approveRequest', () => {
  it('four eyes: not the requester, not the person themselves, and only in the approvers channel', async () => {
    const w = coreWorld();
    const request = await awaitingApproval(w, mona, tom);
    expect(codeOf(await approve(w, request.id, mona))).toBe('APPROVAL_OWN_REQUEST');
    expect(codeOf(await approve(w, request.id, tom))).toBe('APPROVAL_FOR_SELF');
    const elsewhere = await approveRequest(w.deps, w.as(alice), {
      requestId: request.id,
      clicker: alice,
      conversationId: conversationOf(alice),
      isPersonalChat: true,
    });
    expect(codeOf(elsewhere)).toBe('APPROVAL_WRONG_PLACE');
    // Refused before any approver's Graph access is even asked for.
    expect(w.tenant.calls.filter((c) => ![mona.oid, 'app'].includes(c.caller))).toEqual([]);
    expect((await stored(w, request.id)).state).toBe('awaiting');
  });

  it("approved: the approver's own token creates the pass; the approver is the issuer", async () => {
    const w = coreWorld();
    const request = await awaitingApproval(w, mona, tom);
    const outcome = await approve(w, request.id, alice);
    if (outcome.kind !== 'issued') throw new Error(codeOf(outcome));
    expect(w.tenant.callsOf('createTap')).toEqual([expect.objectContaining({ caller: alice.oid })]);
    expect(outcome.request).toMatchObject({ state: 'issued', approval: { decidedBy: alice } });
    expect(outcome.pass.temporaryAccessPass).toBe(w.tenant.passOf(tom.oid)?.temporaryAccessPass);
  });

  it('two approvers at once: the first decision wins, one create', async () => {
    const w = coreWorld();
    const request = await awaitingApproval(w, mona, tom);
    const outcomes = await Promise.all([approve(w, request.id, alice), approve(w, request.id, erin)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['issued', 'refused']);
    expect(outcomes.map(codeOf)).toContain('APPROVAL_DECIDED');
    expect(w.tenant.createsSent()).toBe(1);
    expect(codeOf(await approve(w, request.id, pat))).toBe('APPROVAL_DECIDED');
    expect(w.tenant.createsSent()).toBe(1);
  });

  it('approve racing reject: exactly one decision, and a rejected request creates nothing', async () => {
    const w = coreWorld();
    const request = await awaitingApproval(w, mona, tom);
    const [approved, rejected] = await Promise.all([
      approve(w, request.id, alice),
      reject(w, request.id, erin),
    ]);
    const kinds = [approved.kind, rejected.kind].sort();
    expect([
      ['issued', 'refused'],
      ['refused', 'rejected'],
    ]).toContainEqual(kinds);
    expect(w.tenant.createsSent()).toBe(approved.kind === 'issued' ? 1 : 0);
  });

  it('a privileged person needs a privileged approver; a refused approver leaves it open for one', async () => {
    const w = coreWorld();
    // Mona is in the requester group, so she may ask for anyone, an admin too.
    const request = await awaitingApproval(w, mona, uma);
    expect(request.approval).toMatchObject({ basis: 'requester-group', needs: 'privileged' });
    const refused = await approve(w, request.id, alice);
    expect(refused.kind === 'reopened' && refused.problem.code).toBe('APPROVER_NOT_PRIVILEGED');
    expect(await stored(w, request.id)).toMatchObject({
      state: 'awaiting',
      approval: { refusals: [{ by: alice, code: 'APPROVER_NOT_PRIVILEGED' }] },
    });
    expect(w.tenant.createsSent()).toBe(0);
    expect(codeOf(await approve(w, request.id, pat))).toBe('issued');
    expect(w.tenant.callsOf('createTap')).toEqual([expect.objectContaining({ caller: pat.oid })]);
  });

  it('facts changed since the card (they got a pass) → reopened with the new facts, no create', async () => {
    const w = coreWorld();
    const request = await awaitingApproval(w, mona, tom);
    w.clock.advanceMinutes(2);
    const other = w.tenant.givePass(tom.oid);
    const outcome = await approve(w, request.id, alice);
    expect(outcome.kind === 'reopened' && outcome.problem.code).toBe('APPROVAL_FACTS_CHANGED');
    const now = await stored(w, request.id);
    expect(now).toMatchObject({ state: 'awaiting', shown: { passId: other.id } });
    expect(now.approval?.decidedBy).toBeUndefined();
    expect(w.tenant.createsSent()).toBe(0);
    // On the facts as they are now, the next Approve goes ahead (and replaces that pass, knowingly).
    expect(codeOf(await approve(w, request.id, alice))).toBe('issued');
    expect((await w.audit('tap.replaced')).map((e) => e.methodId)).toEqual([other.id]);
  });

  it('a person who became privileged meanwhile now needs a privileged approver', async () => {
    const w = coreWorld();
    const request = await awaitingApproval(w, mona, tom);
    w.tenant.user(tom.oid).heldElsewhere = [
      { roleTemplateId: 'custom-role', assignment: 'eligible', scope: '/' },
    ];
    expect(codeOf(await approve(w, request.id, alice))).toBe('APPROVAL_FACTS_CHANGED');
    expect((await stored(w, request.id)).approval?.needs).toBe('privileged');
    expect(codeOf(await approve(w, request.id, alice))).toBe('APPROVER_NOT_PRIVILEGED');
    expect(w.tenant.createsSent()).toBe(0);
  });

  it("Entra's 403 or 429 on the create is about this approver: reopened; 503 ends it as unknown", async () => {
    const w = coreWorld();
    const first = await awaitingApproval(w, mona, tom);
    w.tenant.fail('createTap', failures.forbidden());
    expect(codeOf(await approve(w, first.id, alice))).toBe('APPROVER_ROLE_MISSING');
    w.tenant.fail('createTap', failures.throttled(3));
    expect(codeOf(await approve(w, first.id, alice))).toBe('TAP_THROTTLED');
    expect((await stored(w, first.id)).state).toBe('awaiting');
    w.tenant.fail('createTap', failures.unavailable());
    const unknown = await approve(w, first.id, erin);
    expect(unknown.kind === 'ended' && unknown.request.state).toBe('unknown');
    expect(codeOf(await approve(w, first.id, pat))).toBe('APPROVAL_DECIDED');
    expect(w.tenant.createsSent()).toBe(3);
  });

  it('a stale approval claim (instance died mid-create) ends as unknown, never re-sent', async () => {
    const w = coreWorld();
    const request = await awaitingApproval(w, mona, tom);
    w.tenant.beforeNext('createTap', () => {
      throw new Error('the instance died waiting for Graph');
    });
    await expect(approve(w, request.id, alice)).rejects.toThrow(/died/);
    w.clock.advanceSeconds(31);
    const late = await approve(w, request.id, erin);
    expect(late.kind === 'ended' && late.request.state).toBe('unknown');
    expect(w.tenant.createsSent()).toBe(1);
  });

  it('the audit trail unwritable before the create → no create, the request waits again', async () => {
    const w = coreWorld();
    const request = await awaitingApproval(w, mona, tom);
    w.data.failNextWrites(1, { table: TABLES.audit });
    await expect(approve(w, request.id, alice)).rejects.toThrow(/injected/);
    expect(w.tenant.createsSent()).toBe(0);
    expect((await stored(w, request.id)).state).toBe('awaiting');
    expect(codeOf(await approve(w, request.id, alice))).toBe('issued');
  });

  it('expired: a late Approve records the expiry, and so does TapDesk at the deadline', async () => {
    const w = coreWorld();
    const late = await awaitingApproval(w, mona, tom);
    const quiet = await awaitingApproval(w, mona, PEOPLE.tess);
    expect(await expireIfDue(w.deps, quiet.id)).toBeNull();
    w.clock.advanceMinutes(61);
    const outcome = await approve(w, late.id, alice);
    expect(outcome.kind === 'ended' && outcome.request.state).toBe('expired');
    expect((await expireIfDue(w.deps, quiet.id))?.state).toBe('expired');
    expect(codeOf(await approve(w, quiet.id, alice))).toBe('REQUEST_EXPIRED');
    expect(w.tenant.createsSent()).toBe(0);
  });
});

describe('rejectRequest', () => {
  it('someone without a role that issues passes may not reject; an approver may, once', async () => {
    const w = coreWorld();
    const request = await awaitingApproval(w, mona, tom);
    expect(codeOf(await reject(w, request.id, hank))).toBe('APPROVER_ROLE_MISSING');
    expect((await stored(w, request.id)).state).toBe('awaiting');
    const rejected = await reject(w, request.id, erin);
    expect(rejected.kind === 'rejected' && rejected.request.approval).toMatchObject({
      decidedBy: erin,
      rejectReason: 'call the service desk',
    });
    expect(codeOf(await approve(w, request.id, alice))).toBe('APPROVAL_DECIDED');
    expect(codeOf(await reject(w, request.id, alice))).toBe('APPROVAL_DECIDED');
    expect(w.tenant.createsSent()).toBe(0);
  });

  it('a privileged request is rejected only by a privileged approver', async () => {
    const w = coreWorld();
    const request = await awaitingApproval(w, mona, uma);
    expect(codeOf(await reject(w, request.id, alice))).toBe('APPROVER_NOT_PRIVILEGED');
    expect(codeOf(await reject(w, request.id, pat))).toBe('rejected');
  });
});

describe('approveRequest and the issue limits', () => {
  // Entra refusing one approver (403, 429) reopens the request; the allowance taken is given back,
  // so the next approver of the same request is not counted twice.
  it("an approver Entra refused does not use up the person's daily allowance", async () => {
    const w = coreWorld({ limits: { perIssuerPerHour: 0, perTargetPerDay: 1, tenantPerHour: 0 } });
    const request = await awaitingApproval(w, mona, tom);
    w.tenant.fail('createTap', failures.forbidden());
    expect(codeOf(await approve(w, request.id, alice))).toBe('APPROVER_ROLE_MISSING');
    expect(codeOf(await approve(w, request.id, pat))).toBe('issued');
  });

  // The same for an audit failure before the create: the request waits again, the allowance is back.
  it('an audit failure before the create gives back the allowance', async () => {
    const w = coreWorld({ limits: { perIssuerPerHour: 0, perTargetPerDay: 1, tenantPerHour: 0 } });
    const request = await awaitingApproval(w, mona, tom);
    w.data.failNextWrites(1, { table: TABLES.audit });
    await expect(approve(w, request.id, alice)).rejects.toThrow(/injected/);
    expect(codeOf(await approve(w, request.id, alice))).toBe('issued');
  });
});
