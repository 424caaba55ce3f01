// Requests from other systems, in the core over fakes: stored once per Idempotency-Key, the person
// read only by an approver's own token, every approval rule after that, and the status a caller sees.
import { describe, expect, it } from 'vitest';
import { approveRequest, rejectRequest } from '../../src/tap/approval-decide.js';
import { checkApiRequestBody, type ApiRequestBody } from '../../src/requests/body.js';
import { apiViewOf } from '../../src/requests/status.js';
import { submitApiRequest, type SubmitOutcome } from '../../src/requests/submit.js';
import { fingerprintOf, IdempotencyKeys } from '../../src/requests/idempotency.js';
import { UnitOfWork } from '../../src/store/unit.js';
import type { Person, TapRequest } from '../../src/tap/request.js';
import { coreWorld, PEOPLE, upnOf, type CoreWorld } from '../fakes/core.js';
import { codeOf, inChannel, stored } from './steps.js';

const { alice, erin, pat, tom, uma, gail } = PEOPLE;
const SERVICENOW = { clientId: '3658e7e7-d7a6-56a7-9fd4-c7c75344a5c2', name: 'ServiceNow' };

function body(user: string, extra: Partial<ApiRequestBody> = {}): ApiRequestBody {
  return {
    user,
    reason: 'new phone',
    ticket: { system: 'ServiceNow', number: 'INC0001' },
    deliverTo: 'approver',
    ...extra,
  };
}

async function submit(
  w: CoreWorld,
  b: ApiRequestBody,
  key = `key-${Math.random()}`,
  reachable = true,
): Promise<SubmitOutcome> {
  return submitApiRequest(w.deps, {
    caller: SERVICENOW,
    body: b,
    idempotencyKey: key,
    approversReachable: async () => reachable,
  });
}

async function created(w: CoreWorld, who: Person, extra: Partial<ApiRequestBody> = {}): Promise<TapRequest> {
  const outcome = await submit(w, body(upnOf(who), extra));
  if (outcome.kind !== 'created') throw new Error(`not created: ${outcome.kind}`);
  return outcome.request;
}

const approve = (w: CoreWorld, id: string, clicker: Person) =>
  approveRequest(w.deps, w.as(clicker), inChannel(id, clicker));

describe('submitApiRequest', () => {
  it('stores an awaiting approval naming the person, the system as requester, and audits it with its source', async () => {
    const w = coreWorld();
    const request = await created(w, tom, { lifetimeMinutes: 120 });
    expect(request).toMatchObject({
      kind: 'approval',
      state: 'awaiting',
      query: 'tom@contoso.com',
      requester: { oid: SERVICENOW.clientId, name: 'ServiceNow' },
      ticket: 'ServiceNow INC0001',
      source: {
        kind: 'api',
        clientId: SERVICENOW.clientId,
        ticket: { system: 'ServiceNow', number: 'INC0001' },
      },
      plan: { lifetimeMinutes: 120 },
      approval: { basis: 'api', needs: 'authentication', deliverTo: 'approver' },
    });
    expect(request.target).toBeUndefined();
    const [event] = await w.audit('approval.requested');
    expect(event).toMatchObject({ source: 'api', ticket: 'ServiceNow INC0001', target: null });
    // Nothing was read or written in Entra: TapDesk holds no permission to read people.
    expect(w.tenant.createsSent()).toBe(0);
  });

  it('the same key and body is the same request; the same key with another body is refused; keys are per caller', async () => {
    const w = coreWorld();
    const first = await submit(w, body('tom@contoso.com'), 'k1');
    const again = await submit(w, { ...body('tom@contoso.com') }, 'k1');
    expect(again).toEqual({ kind: 'replayed', request: (first as { request: TapRequest }).request });
    expect(await submit(w, body('tess@contoso.com'), 'k1')).toEqual({ kind: 'key-reused' });
    expect((await w.audit('approval.requested')).length).toBe(1);
    const other = await submitApiRequest(w.deps, {
      caller: { clientId: '5b0c3d52-7d8e-4f6a-9b1c-2d3e4f5a6b7c', name: 'TOPdesk' },
      body: body('tom@contoso.com'),
      idempotencyKey: 'k1',
      approversReachable: async () => true,
    });
    expect(other.kind).toBe('created');
  });

  it('a key whose request never landed (a partial commit) is forgotten, and the retry asks afresh', async () => {
    const w = coreWorld();
    const keys = new IdempotencyKeys(w.deps.store);
    const unit = new UnitOfWork();
    keys.createIn(unit, SERVICENOW.clientId, 'orphan', {
      requestId: 'never-stored',
      fingerprint: fingerprintOf(body('tom@contoso.com')),
      createdAt: w.clock.now().toISOString(),
    });
    await unit.commit(w.deps.store);
    const retried = await submit(w, body('tom@contoso.com'), 'orphan');
    expect(retried.kind).toBe('created');
    const again = await submit(w, body('tom@contoso.com'), 'orphan');
    expect(again).toEqual({ kind: 'replayed', request: (retried as { request: TapRequest }).request });
  });

  it('two calls racing with one key make one request', async () => {
    const w = coreWorld();
    const outcomes = await Promise.all([
      submit(w, body('tom@contoso.com'), 'race'),
      submit(w, body('tom@contoso.com'), 'race'),
    ]);
    const ids = new Set(outcomes.map((o) => (o as { request: TapRequest }).request.id));
    expect(ids.size).toBe(1);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['created', 'replayed']);
  });

  it('refuses before storing when approvers are unreachable, too many are open, or the start is past', async () => {
    const w = coreWorld();
    expect(codeOf(await submit(w, body('tom@contoso.com'), 'k', false))).toBe('APPROVERS_UNREACHABLE');
    for (let i = 0; i < 10; i++) await created(w, tom);
    expect(codeOf(await submit(w, body('tom@contoso.com')))).toBe('APPROVAL_TOO_MANY_OPEN');
    const w2 = coreWorld();
    const past = await submit(w2, body('tom@contoso.com', { startDateTime: '2026-05-04T09:00:00Z' }));
    expect(past).toMatchObject({ kind: 'invalid', field: 'startDateTime' });
    expect((await w2.audit()).length).toBe(0);
  });
});

describe('the first Approve reads the person with the approver’s token', () => {
  it('checks, then the second Approve issues with every approval rule', async () => {
    const w = coreWorld();
    const request = await created(w, tom);
    const check = await approve(w, request.id, alice);
    expect(check).toMatchObject({ kind: 'reopened', problem: { code: 'API_REQUEST_CHECKED' } });
    expect(w.tenant.createsSent()).toBe(0);
    const checked = await stored(w, request.id);
    expect(checked).toMatchObject({
      state: 'awaiting',
      target: { id: tom.oid },
      manager: { id: PEOPLE.mona.oid },
      approval: { needs: 'authentication', checkedBy: alice },
      checks: { issuerStrength: 'none', targetPrivileged: false },
    });
    expect(checked.shown).toBeDefined();
    expect((await w.audit('approval.checked')).map((e) => e.actor.oid)).toEqual([alice.oid]);
    const issued = await approve(w, request.id, erin);
    expect(issued.kind).toBe('issued');
    expect(w.tenant.createsSent()).toBe(1);
    const view = apiViewOf(await stored(w, request.id), w.clock.now());
    expect(view).toMatchObject({ status: 'issued', decidedBy: { id: erin.oid }, user: 'tom@contoso.com' });
    expect(view.pass?.expiresAt).toEqual(expect.any(String));
    expect(JSON.stringify(view)).not.toContain('temporaryAccessPass');
  });

  it('a privileged person needs a privileged approver; someone without a role cannot even check', async () => {
    const w = coreWorld();
    const request = await created(w, uma);
    expect(codeOf(await approve(w, request.id, tom))).toBe('APPROVER_ROLE_MISSING');
    expect((await stored(w, request.id)).target).toBeUndefined();
    expect(codeOf(await approve(w, request.id, alice))).toBe('API_REQUEST_CHECKED');
    expect((await stored(w, request.id)).approval?.needs).toBe('privileged');
    expect(codeOf(await approve(w, request.id, alice))).toBe('APPROVER_NOT_PRIVILEGED');
    expect(w.tenant.createsSent()).toBe(0);
    expect((await approve(w, request.id, pat)).kind).toBe('issued');
  });

  it('the person themselves cannot approve after the check; a guest or nobody ends the request', async () => {
    const w = coreWorld();
    const forAlice = await created(w, alice);
    expect(codeOf(await approve(w, forAlice.id, alice))).toBe('APPROVAL_FOR_SELF');
    expect(codeOf(await approve(w, forAlice.id, alice))).toBe('APPROVAL_FOR_SELF');
    expect(w.tenant.createsSent()).toBe(0);

    const guestOutcome = await submit(w, body('gail_fabrikam.com#EXT#@contoso.com'));
    const guest = (guestOutcome as { request: TapRequest }).request;
    expect(gail.oid).toBe('oid-gail');
    expect(codeOf(await approve(w, guest.id, erin))).toBe('TAP_GUEST');
    expect(apiViewOf(await stored(w, guest.id), w.clock.now())).toMatchObject({
      status: 'failed',
      problemCode: 'TAP_GUEST',
    });
    const outcome = await submit(w, body('nobody@contoso.com'));
    const nobody = (outcome as { request: TapRequest }).request;
    expect(codeOf(await approve(w, nobody.id, erin))).toBe('TAP_USER_NOT_FOUND');
  });

  it('a rejection before any check: GET shows who, when and why; an undecided request turns expired', async () => {
    const w = coreWorld();
    const request = await created(w, tom);
    const rejected = await rejectRequest(w.deps, w.as(erin), {
      ...inChannel(request.id, erin),
      reason: 'no verified caller',
    });
    expect(rejected.kind).toBe('rejected');
    expect(apiViewOf(await stored(w, request.id), w.clock.now())).toMatchObject({
      status: 'rejected',
      decidedBy: { id: erin.oid, displayName: erin.name },
      rejectReason: 'no verified caller',
      pass: null,
    });
    const late = await created(w, tom);
    w.clock.advance(61 * 60_000);
    expect(apiViewOf(await stored(w, late.id), w.clock.now()).status).toBe('expired');
  });
});

describe('checkApiRequestBody', () => {
  const valid = {
    user: 'tom@contoso.com',
    reason: 'x',
    ticket: { system: 'ServiceNow', number: 'INC1' },
    deliverTo: 'approver',
  };
  it.each([
    [{ ...valid, deliverTo: '+14255550199' }, 'deliverTo'],
    [{ ...valid, deliverTo: 'email' }, 'deliverTo'],
    [{ ...valid, user: 'Tom Target' }, 'user'],
    [{ ...valid, ticket: { system: 'ServiceNow', number: '[x](https://evil)' } }, 'ticket.number'],
    [{ ...valid, ticket: { system: 'ServiceNow', number: 'INC1', url: 'x' } }, 'ticket.url'],
    [{ ...valid, isUsableOnce: 'yes' }, 'isUsableOnce'],
    [{ ...valid, startDateTime: 'tomorrow' }, 'startDateTime'],
    [{ ...valid, reason: '' }, 'reason'],
    [{ ...valid, extra: 1 }, 'extra'],
    [{ reason: 'x' }, 'user'],
  ])('refuses %j naming %s', (raw, field) => {
    expect(checkApiRequestBody(raw)).toMatchObject({ ok: false, field });
  });
  it('accepts a full body and an object id', () => {
    expect(
      checkApiRequestBody({
        ...valid,
        lifetimeMinutes: 60,
        isUsableOnce: true,
        startDateTime: '2026-12-01T09:00:00+01:00',
      }).ok,
    ).toBe(true);
    expect(checkApiRequestBody({ ...valid, user: '3658e7e7-d7a6-56a7-9fd4-c7c75344a5c2' }).ok).toBe(true);
  });
});
