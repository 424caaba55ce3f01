import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceFilterText, GraphDeviceClient } from '../../src/graph/device-client.js';
import { MAX_DEVICE_PAGES } from '../../src/graph/device-port.js';
import { problemForDeviceFailure } from '../../src/devices/problems.js';
import { GraphFailure } from '../../src/graph/failure.js';
import { fefMessage } from '../fakes/devices.js';

// Paging edges and error shapes, with Graph played by a mock: the sandbox pages at 100 devices.
const origin = 'https://graph.example.test';
const devicesPath = '/v1.0/deviceManagement/windowsAutopilotDeviceIdentities';
let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(() => agent.close());

const client = () => new GraphDeviceClient('token', { baseUrl: `${origin}/v1.0`, dispatcher: agent });
const json = { headers: { 'content-type': 'application/json' } };
const device = (serialNumber: string) => ({ id: serialNumber.toLowerCase(), serialNumber, model: 'X' });

describe('GraphDeviceClient.listAutopilotDevices', () => {
  it('quotes the fragment in contains(serialNumber,…) and refuses an unchecked one', () => {
    expect(deviceFilterText({ serialContains: '5CG33' })).toBe("contains(serialNumber,'5CG33')");
    expect(deviceFilterText(null)).toBeUndefined();
    expect(() => deviceFilterText({ serialContains: "5CG')or(true" })).toThrow(/unchecked/);
  });

  it('follows nextLinks on its own host and returns every device', async () => {
    const paths: string[] = [];
    agent
      .get(origin)
      .intercept({ path: (p) => p.startsWith(devicesPath), method: 'GET' })
      .reply(
        200,
        (request) => {
          paths.push(String(request.path));
          return paths.length === 1
            ? { value: [device('A1')], '@odata.nextLink': `${origin}${devicesPath}?$skiptoken=2` }
            : { value: [device('B2')] };
        },
        json,
      )
      .persist();
    const listing = await client().listAutopilotDevices({ serialContains: 'A1' });
    expect(listing).toMatchObject({ complete: true });
    expect(listing.devices.map((d) => d.serialNumber)).toStrictEqual(['A1', 'B2']);
    expect(decodeURIComponent(paths[0]!)).toContain("$filter=contains(serialNumber,'A1')");
  });

  it(`stops after ${MAX_DEVICE_PAGES} pages and says the listing is incomplete`, async () => {
    let served = 0;
    agent
      .get(origin)
      .intercept({ path: (p) => p.startsWith(devicesPath), method: 'GET' })
      .reply(
        200,
        () => {
          served++;
          return {
            value: [device(`S${served}`)],
            '@odata.nextLink': `${origin}${devicesPath}?$skiptoken=${served}`,
          };
        },
        json,
      )
      .persist();
    const listing = await client().listAutopilotDevices(null);
    expect(listing.complete).toBe(false);
    expect(listing.devices).toHaveLength(MAX_DEVICE_PAGES);
    expect(served).toBe(MAX_DEVICE_PAGES);
  });

  it('never sends the token to a nextLink on another host', async () => {
    agent
      .get(origin)
      .intercept({ path: (p) => p.startsWith(devicesPath), method: 'GET' })
      .reply(200, { value: [], '@odata.nextLink': `https://evil.example.test${devicesPath}` }, json);
    await expect(client().listAutopilotDevices(null)).rejects.toMatchObject({ code: 'foreignNextLink' });
  });

  it("maps Intune's FEF 403s: the user's role, or TapDesk's missing scope", async () => {
    const forbidden = (text: string) => ({
      error: { code: 'Forbidden', message: fefMessage(text), innerError: { 'request-id': 'r' } },
    });
    const pool = agent.get(origin);
    pool
      .intercept({ path: (p) => p.startsWith(devicesPath), method: 'GET' })
      .reply(403, forbidden('User is not authorized to perform this operation'), json);
    pool
      .intercept({ path: (p) => p.startsWith(devicesPath), method: 'GET' })
      .reply(
        403,
        forbidden(
          'Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementServiceConfig.Read.All, DeviceManagementServiceConfig.ReadWrite.All',
        ),
        json,
      );
    const role = await client()
      .listAutopilotDevices(null)
      .catch((e: unknown) => e);
    expect(role).toBeInstanceOf(GraphFailure);
    expect(problemForDeviceFailure(role as GraphFailure).code).toBe('INTUNE_ROLE_MISSING');
    const scope = await client()
      .listAutopilotDevices(null)
      .catch((e: unknown) => e);
    expect(problemForDeviceFailure(scope as GraphFailure).code).toBe('DEVICES_NOT_CONSENTED');
  });
});
