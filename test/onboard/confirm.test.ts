// Onboarding against the core with fakes only: the checks before anything changes, the order of the
// parts (device, then pass), one Intune write and one create per onboarding, each part on the trail.
import { beforeEach, describe, expect, it } from 'vitest';
import { confirmOnboarding, type OnboardConfirmOutcome } from '../../src/onboard/confirm.js';
import { EnrollmentFollowThrough } from '../../src/onboard/follow-through.js';
import { prepareOnboarding, type OnboardPrepareOutcome } from '../../src/onboard/prepare.js';
import { EnrollmentWatches } from '../../src/onboard/watch-store.js';
import type { Person, TapRequest } from '../../src/tap/request.js';
import { coreWorld, PEOPLE, upnOf, type CoreWorld } from '../fakes/core.js';
import { FakeIntune, INTUNE_ADMINISTRATOR } from '../fakes/devices.js';
import { failures, ROLES } from '../fakes/graph.js';

const { alice, tom, tess } = PEOPLE;
/** Authentication Administrator and Intune Administrator: may onboard. */
const owen: Person = { oid: 'oid-owen', name: 'Owen Onboarder' };
/** Intune Administrator only. */
const nina: Person = { oid: 'oid-nina', name: 'Nina Intune' };

let w: CoreWorld;
let intune: FakeIntune;
beforeEach(() => {
  w = coreWorld({
    core: { onboarding: { groupTags: ['Finance', 'Sales'], setupMinutes: 120, checkMinutes: 5 } },
  });
  w.deps.enrollment = new EnrollmentWatches(w.store);
  w.tenant.addUser({
    id: owen.oid,
    displayName: owen.name,
    userPrincipalName: upnOf(owen),
    roles: [ROLES.authenticationAdministrator, INTUNE_ADMINISTRATOR],
  });
  w.tenant.addUser({
    id: nina.oid,
    displayName: nina.name,
    userPrincipalName: upnOf(nina),
    roles: [INTUNE_ADMINISTRATOR],
  });
  intune = new FakeIntune(w.tenant);
  intune.addDevice({ id: 'dev-free', serialNumber: 'PF4KX1A3' });
  intune.addDevice({
    id: 'dev-tess',
    serialNumber: 'PF4KX1A2',
    groupTag: 'Sales',
    userPrincipalName: upnOf(tess),
  });
});

function prepare(
  by: Person,
  who: Person,
  serial: string,
  extra: { groupTag?: string; reassign?: boolean } = {},
) {
  return prepareOnboarding(w.deps, w.graphOf(by), async () => intune.asUser(by.oid), {
    requester: by,
    timeZone: 'UTC',
    utcOffsetMinutes: 0,
    conversationId: `a:chat-${by.oid}`,
    command: { kind: 'onboard', who: upnOf(who), serial, ...extra },
  });
}

function pendingOf(outcome: OnboardPrepareOutcome): TapRequest {
  if (outcome.kind !== 'confirm') throw new Error(`expected a card, got ${JSON.stringify(outcome)}`);
  return outcome.view.request;
}

function confirm(
  by: Person,
  requestId: string,
  groupTag: string | null = null,
): Promise<OnboardConfirmOutcome> {
  return confirmOnboarding(
    w.deps,
    { graph: async () => w.graphOf(by), devices: async () => intune.asUser(by.oid) },
    { requestId, clicker: by, verification: 'in-person', groupTag },
  );
}

const methods = () => w.tenant.callsOf().map((c) => c.method);

describe('onboarding, core', () => {
  it('sets the device in one call, then creates a multi-use, setup-long pass, both as the clicker', async () => {
    const request = pendingOf(await prepare(owen, tom, 'pf4kx1a3', { groupTag: 'finance' }));
    expect(request).toMatchObject({
      kind: 'onboard',
      onboarding: { groupTag: 'Finance', tagChoices: ['Finance', 'Sales'], reassignFrom: null },
      plan: { lifetimeMinutes: 120, isUsableOnce: false },
    });
    const outcome = await confirm(owen, request.id);
    if (outcome.kind !== 'onboarded') throw new Error(JSON.stringify(outcome));
    expect(w.tenant.callsOf('updateDeviceProperties')).toEqual([
      expect.objectContaining({
        caller: owen.oid,
        args: [
          'dev-free',
          { userPrincipalName: upnOf(tom), addressableUserName: 'Tom Target', groupTag: 'Finance' },
        ],
      }),
    ]);
    expect(w.tenant.callsOf('createTap')).toEqual([
      expect.objectContaining({
        caller: owen.oid,
        args: [tom.oid, { lifetimeInMinutes: 120, isUsableOnce: false }],
      }),
    ]);
    // The device part comes first, and the pass only after it succeeded.
    expect(methods().indexOf('updateDeviceProperties')).toBeLessThan(methods().indexOf('createTap'));
    expect(outcome.request).toMatchObject({
      state: 'issued',
      onboarding: { devicePart: { result: 'updated' } },
    });
    const types = (await w.audit()).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['onboarding.device_updated', 'tap.issued']));
    expect(await w.deps.enrollment!.due(new Date('2030-01-01'))).toHaveLength(1);
    expect(w.data.dump()).not.toContain(outcome.pass.temporaryAccessPass);
  });

  it('refuses before reading Intune when the asker cannot issue passes, and a device that is someone else’s', async () => {
    const noRole = await prepare(nina, tom, 'PF4KX1A3');
    expect(noRole).toMatchObject({ kind: 'problem', problem: { code: 'ONBOARD_TAP_ROLE_MISSING' } });
    expect(w.tenant.callsOf('listAutopilotDevices')).toHaveLength(0);
    const taken = await prepare(owen, tom, 'PF4KX1A2');
    expect(taken).toMatchObject({ kind: 'problem', problem: { code: 'ONBOARD_DEVICE_ASSIGNED' } });
    const reassigned = pendingOf(await prepare(owen, tom, 'PF4KX1A2', { reassign: true }));
    expect(reassigned.onboarding?.reassignFrom).toBe(upnOf(tess));
    expect(await prepare(owen, tom, 'PF4KX1A3', { groupTag: 'Kiosk' })).toMatchObject({
      problem: { code: 'ONBOARD_TAG_UNKNOWN' },
    });
  });

  it('changes nothing when the device changed hands after the card, or the role lapsed', async () => {
    const request = pendingOf(await prepare(owen, tom, 'PF4KX1A3'));
    intune.devices.find((d) => d.id === 'dev-free')!.userPrincipalName = upnOf(tess);
    expect(await confirm(owen, request.id)).toMatchObject({ problem: { code: 'ONBOARD_DEVICE_CHANGED' } });
    intune.devices.find((d) => d.id === 'dev-free')!.userPrincipalName = '';
    w.tenant.user(owen.oid).roles = [INTUNE_ADMINISTRATOR];
    expect(await confirm(owen, request.id)).toMatchObject({ problem: { code: 'ONBOARD_TAP_ROLE_MISSING' } });
    expect(w.tenant.callsOf('updateDeviceProperties')).toHaveLength(0);
    expect(w.tenant.createsSent()).toBe(0);
  });

  it('a tag the card did not offer is refused; a second click changes nothing twice', async () => {
    const request = pendingOf(await prepare(owen, tom, 'PF4KX1A3'));
    expect(await confirm(owen, request.id, 'Kiosk')).toMatchObject({
      problem: { code: 'ONBOARD_TAG_NOT_OFFERED' },
    });
    const both = await Promise.all([confirm(owen, request.id, 'Sales'), confirm(owen, request.id, 'Sales')]);
    expect(both.map((o) => o.kind).sort()).toEqual(['onboarded', 'problem']);
    expect(w.tenant.callsOf('updateDeviceProperties')).toHaveLength(1);
    expect(w.tenant.createsSent()).toBe(1);
  });

  it('Intune refusing the device asks for no pass and gives the allowance back', async () => {
    const request = pendingOf(await prepare(owen, tom, 'PF4KX1A3'));
    w.tenant.fail('updateDeviceProperties', failures.forbidden());
    const outcome = await confirm(owen, request.id);
    expect(outcome).toMatchObject({
      kind: 'problem',
      request: { state: 'failed', onboarding: { devicePart: { result: 'refused' } } },
    });
    expect(w.tenant.createsSent()).toBe(0);
    expect((await w.audit('onboarding.device_failed')).length).toBe(1);
  });

  it('an Intune answer that never came stops there too: unknown, never retried', async () => {
    const request = pendingOf(await prepare(owen, tom, 'PF4KX1A3'));
    w.tenant.fail('updateDeviceProperties', failures.timeout());
    expect(await confirm(owen, request.id)).toMatchObject({
      problem: { code: 'ONBOARD_DEVICE_UNKNOWN' },
      request: { onboarding: { devicePart: { result: 'unknown' } } },
    });
    expect(w.tenant.callsOf('updateDeviceProperties')).toHaveLength(1);
    expect(w.tenant.createsSent()).toBe(0);
  });

  it('Entra refusing the pass after the device was set says both, and the trail has both', async () => {
    const request = pendingOf(await prepare(owen, tom, 'PF4KX1A3'));
    w.tenant.fail('createTap', failures.forbidden());
    const outcome = await confirm(owen, request.id);
    expect(outcome).toMatchObject({
      kind: 'pass-refused',
      problem: { code: 'ONBOARD_PASS_REFUSED' },
      request: { state: 'failed', onboarding: { devicePart: { result: 'updated' } } },
    });
    expect(intune.devices.find((d) => d.id === 'dev-free')!.userPrincipalName).toBe(upnOf(tom));
    const types = (await w.audit()).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['onboarding.device_updated', 'tap.failed']));
  });

  it('someone else’s click and an issue Confirm on an onboarding act on nothing', async () => {
    const request = pendingOf(await prepare(owen, tom, 'PF4KX1A3'));
    expect(await confirm(alice, request.id)).toMatchObject({ problem: { code: 'REQUEST_NOT_YOURS' } });
    expect(methods()).not.toContain('updateDeviceProperties');
  });
});

describe('the follow-through', () => {
  async function onboarded(): Promise<TapRequest> {
    const request = pendingOf(await prepare(owen, tom, 'PF4KX1A3'));
    const outcome = await confirm(owen, request.id);
    if (outcome.kind !== 'onboarded') throw new Error(JSON.stringify(outcome));
    return outcome.request;
  }
  const states: string[] = [];
  const reader = { enrollmentState: async () => states.shift() ?? 'notContacted' };

  it('looks every few minutes; once enrolled, the trail and the notices, and no second look', async () => {
    const request = await onboarded();
    const follow = new EnrollmentFollowThrough(w.deps, reader);
    expect(await follow.sweep()).toEqual([]); // not due yet
    w.clock.advance(5 * 60_000);
    states.push('notContacted');
    expect(await follow.sweep()).toEqual(['waiting']);
    w.clock.advance(5 * 60_000);
    states.push('enrolled');
    expect(await follow.sweep()).toEqual(['enrolled']);
    w.clock.advance(5 * 60_000);
    expect(await follow.sweep()).toEqual([]);
    expect((await w.deps.requests.get(request.id))?.value.onboarding?.enrolledAt).toBeDefined();
    expect(await w.audit('onboarding.enrolled')).toHaveLength(1);
    expect(w.data.dump()).toContain('enrolled.issuer');
    expect(w.data.dump()).toContain('enrolled.manager');
  });

  it('stops at the pass expiry without a notice', async () => {
    await onboarded();
    const follow = new EnrollmentFollowThrough(w.deps, reader);
    w.clock.advance(121 * 60_000);
    expect(await follow.sweep()).toEqual(['expired']);
    expect(await w.audit('onboarding.not_enrolled')).toHaveLength(1);
    expect(w.data.dump()).not.toContain('enrolled.issuer');
  });

  it('drops an onboarding whose pass was revoked meanwhile, without looking at the device', async () => {
    const request = await onboarded();
    const row = (await w.deps.requests.get(request.id))!;
    await w.deps.requests.update(row, { ...row.value, state: 'revoked' });
    const looked: string[] = [];
    const follow = new EnrollmentFollowThrough(w.deps, {
      enrollmentState: async (id) => (looked.push(id), 'enrolled'),
    });
    w.clock.advance(5 * 60_000);
    expect(await follow.sweep()).toEqual(['dropped']);
    expect(looked).toEqual([]);
    expect(w.data.dump()).not.toContain('enrolled.issuer');
  });
});

describe('the follow-through for a bulk onboarding row', () => {
  it('announces from the facts its watch carries, once, without a Revoke button', async () => {
    await w.deps.enrollment!.addBulkRow({
      requestId: 'bulk-1:2',
      deviceId: 'dev-free',
      serialNumber: 'PF4KX1A3',
      nextCheckAt: w.clock.now().toISOString(),
      until: new Date(w.clock.now().getTime() + 120 * 60_000).toISOString(),
      bulk: {
        bulkId: 'bulk-1',
        issuer: owen,
        target: { id: tom.oid, userPrincipalName: upnOf(tom), displayName: 'Tom Target' },
        manager: { id: 'oid-mona', displayName: 'Mona Manager' },
        groupTag: 'Sales',
        timeZone: 'UTC',
      },
    });
    const states = ['notContacted', 'enrolled'];
    const follow = new EnrollmentFollowThrough(w.deps, { enrollmentState: async () => states.shift()! });
    expect(await follow.sweep()).toEqual(['waiting']);
    w.clock.advance(5 * 60_000);
    expect(await follow.sweep()).toEqual(['enrolled']);
    w.clock.advance(5 * 60_000);
    expect(await follow.sweep()).toEqual([]);
    const [event, ...more] = await w.audit('onboarding.enrolled');
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      requestId: 'bulk-1',
      target: { id: tom.oid },
      device: { groupTag: 'Sales' },
    });
    const dump = w.data.dump();
    expect(dump).toContain('enrolled.issuer');
    expect(dump).toContain('enrolled.manager');
    expect(dump).not.toContain('tap.revoke');
  });
});
