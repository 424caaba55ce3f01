// The scripted Graph fake itself, held to reference/graph-tap-contract.md: if it drifts from the
// contract, every core test built on it tests the wrong world.
import { describe, expect, it } from 'vitest';
import { problemForGraphFailure } from '../../src/graph/errors.js';
import { GraphFailure } from '../../src/graph/failure.js';
import { FakeClock } from './clock.js';
import { PEOPLE, seedTenant } from './core.js';
import { FakeTenant, MESSAGES, ROLES, failures } from './graph.js';

const { alice, pat, hank, tom, gail, uma, mona } = PEOPLE;
const world = () => {
  const clock = new FakeClock('2026-05-04T10:00:00.000Z');
  return { clock, tenant: seedTenant(new FakeTenant(clock)) };
};
const failureOf = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GraphFailure)) throw new Error(`expected a GraphFailure, got ${String(error)}`);
  return error;
};

describe('FakeTenant passes (§1)', () => {
  it('create returns the code once; list shows the pass without it; a second create replaces', async () => {
    const { tenant, clock } = world();
    const graph = tenant.asUser(alice.oid);
    const first = await graph.createTap(tom.oid, { lifetimeInMinutes: 60 });
    expect(first.temporaryAccessPass).toMatch(/\S{8,}/);
    const [listed] = await graph.listTaps(tom.oid);
    expect(listed).toMatchObject({ id: first.id, isUsable: true, methodUsabilityReason: 'EnabledByPolicy' });
    expect(listed).not.toHaveProperty('temporaryAccessPass');
    const second = await graph.createTap(tom.oid, {});
    expect(second.id).not.toBe(first.id);
    expect((await graph.listTaps(tom.oid)).map((p) => p.id)).toEqual([second.id]);
    clock.advanceMinutes(61);
    expect((await graph.listTaps(tom.oid))[0]?.methodUsabilityReason).toBe('Expired');
    expect(tenant.createsSent()).toBe(2);
  });

  it('a future start is NotYetValid; delete by method id, false when already gone', async () => {
    const { tenant } = world();
    const graph = tenant.asUser(alice.oid);
    const pass = await graph.createTap(tom.oid, { startDateTime: '2026-05-04T12:00:00.000Z' });
    expect(pass).toMatchObject({ isUsable: false, methodUsabilityReason: 'NotYetValid' });
    expect(await graph.deleteTap(tom.oid, 'not-that-one')).toBe(false);
    expect(await graph.deleteTap(tom.oid, pass.id)).toBe(true);
    expect(await graph.deleteTap(tom.oid, pass.id)).toBe(false);
  });
});

describe('FakeTenant refusals (§2, §3)', () => {
  it('self, missing role, privileged target for an Authentication Administrator: 403', async () => {
    const { tenant } = world();
    expect((await failureOf(tenant.asUser(alice.oid).createTap(alice.oid, {}))).status).toBe(403);
    expect((await failureOf(tenant.asUser(hank.oid).createTap(tom.oid, {}))).status).toBe(403);
    expect((await failureOf(tenant.asUser(mona.oid).listTaps(tom.oid))).status).toBe(403);
    const denied = await failureOf(tenant.asUser(alice.oid).createTap(uma.oid, {}));
    expect([denied.status, denied.code, denied.message]).toEqual([
      403,
      'accessDenied',
      MESSAGES.accessDenied,
    ]);
    await expect(tenant.asUser(pat.oid).createTap(uma.oid, {})).resolves.toMatchObject({
      lifetimeInMinutes: 60,
    });
  });

  it('an Authentication Administrator may still act for low-role holders, not for role-assignable groups', async () => {
    const { tenant } = world();
    tenant.addUser({ id: 'oid-pw', roles: [ROLES.passwordAdministrator] });
    tenant.addUser({ id: 'oid-grp', inRoleAssignableGroup: true });
    await expect(tenant.asUser(alice.oid).createTap('oid-pw', {})).resolves.toBeTruthy();
    expect((await failureOf(tenant.asUser(alice.oid).createTap('oid-grp', {}))).status).toBe(403);
  });

  it('guest, lifetime outside policy, policy exclusions and forced one-time: 400 the core understands', async () => {
    const { tenant } = world();
    const graph = tenant.asUser(pat.oid);
    const code = async (p: Promise<unknown>) =>
      problemForGraphFailure(await failureOf(p), { operation: 'create' }).code;
    expect(await code(graph.createTap(gail.oid, {}))).toBe('TAP_GUEST');
    expect(await code(graph.createTap(tom.oid, { lifetimeInMinutes: 30 }))).toBe('TAP_LIFETIME_RANGE');
    expect(await code(graph.createTap(tom.oid, { lifetimeInMinutes: 481 }))).toBe('TAP_LIFETIME_RANGE');
    tenant.policy.excludeTargets = [{ id: tom.oid, targetType: 'user' }];
    expect(await code(graph.createTap(tom.oid, {}))).toBe('TAP_POLICY_EXCLUDED');
    tenant.policy.excludeTargets = [];
    tenant.policy.isUsableOnce = true;
    expect(await code(graph.createTap(tom.oid, { isUsableOnce: false }))).toBe('TAP_POLICY_EXCLUDED');
    expect((await failureOf(graph.createTap('nobody@contoso.com', {}))).status).toBe(404);
    expect(tenant.passes.size).toBe(0);
  });

  it('the policy is readable by policy readers only (null for others, as the client maps 403)', async () => {
    const { tenant } = world();
    expect(await tenant.asUser(alice.oid).getTapPolicy()).toBeNull();
    expect(await tenant.asUser(pat.oid).getTapPolicy()).toMatchObject({ state: 'enabled' });
  });
});

describe('FakeTenant script and call log', () => {
  it('a scripted 503 is outcome unknown; with applied the pass exists anyway', async () => {
    const { tenant } = world();
    const graph = tenant.asUser(alice.oid);
    tenant.fail('createTap', failures.unavailable()).fail('createTap', failures.unavailable(true));
    expect((await failureOf(graph.createTap(tom.oid, {}))).outcomeUnknown).toBe(true);
    expect(tenant.passOf(tom.oid)).toBeUndefined();
    expect((await failureOf(graph.createTap(tom.oid, {}))).outcomeUnknown).toBe(true);
    expect(tenant.passOf(tom.oid)).toBeDefined();
    await graph.createTap(tom.oid, {});
    expect(tenant.callsOf('createTap').map((c) => c.status)).toEqual([503, 503, 200]);
    expect(tenant.callsOf('createTap')[0]).toMatchObject({ caller: alice.oid, args: [tom.oid, {}] });
  });

  it('429 carries Retry-After; `when` picks the call; an aborted signal is a timeout', async () => {
    const { tenant } = world();
    const graph = tenant.asUser(alice.oid);
    tenant.fail('getUser', failures.throttled(2.5), { when: ([id]) => id === tom.oid });
    expect(await graph.getUser(mona.oid)).toMatchObject({ id: mona.oid });
    const throttled = await failureOf(graph.getUser(tom.oid));
    expect([throttled.status, throttled.retryAfterSeconds]).toEqual([429, 2.5]);
    const timedOut = await failureOf(graph.getUser(tom.oid, AbortSignal.abort()));
    expect([timedOut.status, timedOut.outcomeUnknown]).toEqual([0, true]);
  });

  it('$batch creates: per-item 429, duplicates refused before sending, at most 20', async () => {
    const { tenant } = world();
    const graph = tenant.asUser(alice.oid);
    tenant.failItem('createTaps', tom.oid, failures.throttled(1));
    const results = await graph.createTaps([
      { userId: tom.oid, body: {} },
      { userId: PEOPLE.tess.oid, body: {} },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.failure.status))).toEqual([429, 'ok']);
    await expect(
      graph.createTaps([
        { userId: tom.oid, body: {} },
        { userId: tom.oid.toUpperCase(), body: {} },
      ]),
    ).rejects.toThrow(/Duplicate/);
    await expect(
      graph.createTaps(Array.from({ length: 21 }, (_, i) => ({ userId: `u${i}`, body: {} }))),
    ).rejects.toThrow(/at most 20/);
    expect(tenant.callsOf('createTaps')).toHaveLength(1);
    expect(tenant.createsSent()).toBe(2);
  });

  it('the role reader sees eligible and scoped roles that delegated reads do not', async () => {
    const { tenant } = world();
    tenant.addUser({
      id: 'oid-eli',
      heldElsewhere: [{ roleTemplateId: ROLES.globalAdministrator, assignment: 'eligible', scope: '/' }],
    });
    expect(await tenant.asUser(alice.oid).getRoles('oid-eli')).toEqual([]);
    expect(await tenant.roleReader.privilegedRolesOf('oid-eli')).toEqual([
      expect.objectContaining({ assignment: 'eligible', displayName: 'Global Administrator' }),
    ]);
    expect(tenant.callsOf('privilegedRolesOf')[0]?.caller).toBe('app');
  });
});
