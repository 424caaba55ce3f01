import { beforeEach, describe, expect, it } from 'vitest';
import { findDevices, MAX_DEVICES_SHOWN, type DeviceSearchDeps } from '../../src/devices/find.js';
import { FakeClock } from '../fakes/clock.js';
import { FakeIntune, INTUNE_ADMINISTRATOR } from '../fakes/devices.js';
import { failures, FakeTenant, ROLES } from '../fakes/graph.js';

let tenant: FakeTenant;
let intune: FakeIntune;

function as(oid: string): DeviceSearchDeps {
  return { directory: async () => tenant.asUser(oid), devices: async () => intune.asUser(oid) };
}

beforeEach(() => {
  tenant = new FakeTenant(new FakeClock());
  intune = new FakeIntune(tenant);
  tenant.addUser({ id: 'owen', displayName: 'Owen', roles: [INTUNE_ADMINISTRATOR] });
  tenant.addUser({ id: 'dana', displayName: 'Dana', roles: [ROLES.authenticationAdministrator] });
  tenant.addUser({ id: 'gina', displayName: 'Gina', roles: [ROLES.globalAdministrator] });
  tenant.addUser({ id: 'bob', displayName: 'Bob Jones' });
  tenant.addUser({ id: 'bobby', displayName: 'Bobby Tables' });
  intune.addDevice({ serialNumber: '5CG3301ABC', manufacturer: 'HP', model: 'HP EliteBook 840 G10' });
  intune.addDevice({
    serialNumber: 'PF4KX1A2',
    groupTag: 'Sales',
    userPrincipalName: 'BOB@contoso.com',
    enrollmentState: 'enrolled',
    lastContactedDateTime: '2026-05-01T08:00:00Z',
  });
  intune.addDevice({ serialNumber: 'PF4KX1A3' });
});

describe('finding Autopilot devices', () => {
  it('finds devices by a fragment of the serial number, any case, sorted', async () => {
    const found = await findDevices(as('owen'), { kind: 'devices', serial: 'pf4kx' });
    expect(found).toMatchObject({ kind: 'found', more: 0, complete: true, person: null });
    expect(found.kind === 'found' && found.devices.map((d) => d.serialNumber)).toStrictEqual([
      'PF4KX1A2',
      'PF4KX1A3',
    ]);
    expect(tenant.callsOf('listAutopilotDevices')[0]).toMatchObject({
      caller: 'owen',
      args: [{ serialContains: 'pf4kx' }],
    });
  });

  it("finds a person's devices by their sign-in name, matched without regard to case", async () => {
    const found = await findDevices(as('gina'), { kind: 'devices', who: 'bob@contoso.com' });
    expect(found.kind).toBe('found');
    if (found.kind !== 'found') return;
    expect(found.person?.userPrincipalName).toBe('bob@contoso.com');
    expect(found.devices.map((d) => d.serialNumber)).toStrictEqual(['PF4KX1A2']);
    // Graph documents no filter on userPrincipalName here: the whole listing is read and matched.
    expect(tenant.callsOf('listAutopilotDevices')[0]?.args).toStrictEqual([null]);
  });

  it('offers a choice when the name matches several people, before reading any device', async () => {
    const found = await findDevices(as('owen'), { kind: 'devices', who: 'bob' });
    expect(found).toMatchObject({ kind: 'ambiguous' });
    expect(tenant.callsOf('listAutopilotDevices')).toHaveLength(0);
  });

  it('says when nobody matches', async () => {
    const found = await findDevices(as('owen'), { kind: 'devices', who: 'nobody@contoso.com' });
    expect(found).toMatchObject({ kind: 'problem', problem: { code: 'DEVICES_USER_NOT_FOUND' } });
  });

  it('names Intune Administrator when the asker has no Intune role', async () => {
    const found = await findDevices(as('dana'), { kind: 'devices', serial: '5CG33' });
    expect(found).toMatchObject({ kind: 'problem', problem: { code: 'INTUNE_ROLE_MISSING' } });
    expect(found.kind === 'problem' && found.problem.message).toContain('Intune Administrator');
  });

  it('tells a missing consent apart from a missing role', async () => {
    intune.scopeGranted = false;
    const found = await findDevices(as('owen'), { kind: 'devices', serial: '5CG33' });
    expect(found).toMatchObject({ kind: 'problem', problem: { code: 'DEVICES_NOT_CONSENTED' } });
  });

  it('maps throttling and outages to "Intune is not answering"', async () => {
    tenant.fail('listAutopilotDevices', failures.throttled(30));
    const throttled = await findDevices(as('owen'), { kind: 'devices', serial: '5CG33' });
    expect(throttled).toMatchObject({ kind: 'problem', problem: { code: 'DEVICES_UNAVAILABLE' } });
    expect(throttled.kind === 'problem' && throttled.problem.message).toContain('30 seconds');
    tenant.fail('listAutopilotDevices', failures.unavailable());
    const down = await findDevices(as('owen'), { kind: 'devices', serial: '5CG33' });
    expect(down).toMatchObject({ kind: 'problem', problem: { code: 'DEVICES_UNAVAILABLE' } });
  });

  it(`shows at most ${MAX_DEVICES_SHOWN} and counts the rest`, async () => {
    for (let n = 0; n < 14; n += 1) intune.addDevice({ serialNumber: `MX${String(n).padStart(4, '0')}` });
    const found = await findDevices(as('owen'), { kind: 'devices', serial: 'MX' });
    expect(found).toMatchObject({ kind: 'found', more: 4, complete: true });
    expect(found.kind === 'found' && found.devices).toHaveLength(MAX_DEVICES_SHOWN);
  });

  it('says the answer may be incomplete when the page cap stopped the read', async () => {
    intune.pageSize = 1;
    for (let n = 0; n < 12; n += 1)
      intune.addDevice({ serialNumber: `BOB${n}`, userPrincipalName: 'bob@contoso.com' });
    const found = await findDevices(as('owen'), { kind: 'devices', who: 'bob@contoso.com' });
    expect(found).toMatchObject({ kind: 'found', complete: false });
  });
});
