// "devices for …" and "find device …" through /api/messages, against the sandbox's Intune: each read
// with the asker's own token, Intune's role check answered with the role to get, and no change anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardOf, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxState } from '../helpers/sandbox-admin.js';

const DEVICES_PATH = '/v1.0/deviceManagement/windowsAutopilotDeviceIdentities';
const HOSTILE_MODEL = '[Re-verify your sign-in](https://evil.example) **now**';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(
    {},
    {
      fixture: (fixture) => {
        fixture.autopilot!.devices.push({
          id: '7c0e6f4e-52cd-4a57-9f0e-0d1ac6c0b0aa',
          serialNumber: 'EVIL0001',
          manufacturer: 'Contoso',
          model: HOSTILE_MODEL,
          groupTag: '${secret}',
          userPrincipalName: '',
          enrollmentState: 'failed',
        });
      },
    },
  );
});
afterAll(async () => h?.close());

async function ask(upn: string, text: string): Promise<string> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user(upn), text));
  expect(h.connector.sent().length).toBe(before + 1);
  return JSON.stringify(h.connector.sent().at(-1)!.activity);
}

const deviceReads = async () =>
  (await sandboxState(h)).graphLog.filter((c) => c.path.startsWith(DEVICES_PATH));

describe('finding Autopilot devices', () => {
  it("`device PF4KX1A2`: one card with the device's facts, read with owen's own token", async () => {
    const before = (await deviceReads()).length;
    const reply = await ask('owen@contoso.com', 'device PF4KX1A2');
    const card = JSON.stringify(cardOf(JSON.parse(reply) as Record<string, unknown>));
    for (const expected of ['PF4KX1A2', 'LENOVO ThinkPad T14 Gen 4', 'Sales', 'bob@contoso.com', 'Enrolled'])
      expect(card).toContain(expected);
    expect(card).toContain('1 Windows Autopilot device');
    const reads = (await deviceReads()).slice(before);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.method === 'GET' && r.status === 200)).toBe(true);
    expect(new Set(reads.map((r) => r.callerOid))).toStrictEqual(new Set([h.user('owen@contoso.com').id]));
    // Intune filters by the serial: the fragment, quoted, in contains(serialNumber,'…').
    expect(decodeURIComponent(reads[0]!.path.replace(/\+/g, ' '))).toContain(
      "$filter=contains(serialNumber,'PF4KX1A2')",
    );
  });

  it('`find device 5CG33` matches a fragment; `find device PF4KX` lists both ThinkPads', async () => {
    const one = await ask('nina@contoso.com', 'find device 5CG33');
    expect(one).toContain('5CG3301ABC');
    expect(one).toContain('HP EliteBook 840 G10');
    expect(one).toContain('Not contacted yet');
    const two = await ask('nina@contoso.com', 'find device pf4kx');
    expect(two).toContain('PF4KX1A2');
    expect(two).toContain('PF4KX1A3');
    expect(two).toContain('2 Windows Autopilot devices');
  });

  it("`devices for bob@contoso` and `which laptop does bob have` find bob's device only", async () => {
    for (const text of ['devices for bob@contoso', 'which laptop does bob@contoso.com have']) {
      const reply = await ask('owen@contoso.com', text);
      expect(reply).toContain('PF4KX1A2');
      expect(reply).not.toContain('PF4KX1A3');
      expect(reply).toContain('assigned to Bob Kim');
    }
    expect(await ask('owen@contoso.com', 'devices for alice@contoso.com')).toContain(
      'No Windows Autopilot device assigned to Alice Wong',
    );
  });

  it('dana (no Intune role) is told she needs Intune Administrator, and sees no device', async () => {
    const reply = await ask('dana@contoso.com', 'find device PF4KX');
    expect(reply).toContain('INTUNE_ROLE_MISSING');
    expect(reply).toContain('Intune Administrator');
    expect(reply).not.toContain('PF4KX1A2');
    const last = (await deviceReads()).at(-1)!;
    expect(last).toMatchObject({ callerOid: h.user('dana@contoso.com').id, status: 403 });
  });

  it('neutralises what Intune holds: a model with a link, a group tag with a template', async () => {
    const reply = await ask('owen@contoso.com', 'device EVIL0001');
    expect(reply).toContain('EVIL0001');
    expect(reply).not.toContain('](https');
    expect(reply).not.toContain('${secret}');
    expect(reply).not.toContain('**now**');
  });

  it('refuses a serial that could break out of the filter before any Graph call', async () => {
    const before = (await deviceReads()).length;
    const reply = await ask('owen@contoso.com', "find device 5CG')or(true");
    expect(reply).toMatch(/not a serial number I can search for/);
    expect((await deviceReads()).length).toBe(before);
  });

  it('help lists the device commands and onboarding for owen (Intune and Authentication Administrator), not for dana', async () => {
    const owens = await ask('owen@contoso.com', 'help');
    expect(owens).toContain('Devices and onboarding');
    expect(owens).toContain('`onboard` _person_ `on` _serial_');
    expect(await ask('dana@contoso.com', 'help')).not.toContain('devices for');
    // Nina may find devices but not issue passes, so onboarding is not offered to her.
    const ninas = await ask('nina@contoso.com', 'help');
    expect(ninas).toContain('Find devices');
    expect(ninas).not.toContain('onboard');
  });

  it('changes no device', async () => {
    const state = await sandboxState(h);
    expect(state.devices.every((d) => !d.updatedBy)).toBe(true);
    expect((await deviceReads()).every((r) => r.method === 'GET')).toBe(true);
  });
});

describe('a tenant that has not consented to the device scope', () => {
  let bare: Harness;
  beforeAll(async () => {
    bare = await startHarness(
      {},
      {
        fixture: (fixture) => {
          const app = fixture.apps[0]!;
          app.consentedDelegatedScopes = app.consentedDelegatedScopes.filter(
            (s) => !s.startsWith('DeviceManagementServiceConfig.'),
          );
        },
      },
    );
  });
  afterAll(async () => bare?.close());

  it('says consent is needed for the device search, and passes still work', async () => {
    const send = async (text: string) => {
      await post(bare, message(bare, bare.user('owen@contoso.com'), text));
      return JSON.stringify(bare.connector.sent().at(-1)!.activity);
    };
    const devices = await send('find device PF4KX');
    expect(devices).toContain('DEVICES_NOT_CONSENTED');
    expect(devices).toContain('DeviceManagementServiceConfig.Read.All');
    expect(await send('issue TAP for alice@contoso.com')).toContain('tap.confirm');
  });
});
