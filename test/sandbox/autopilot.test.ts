// Windows Autopilot device identities (contract next-wave §3): list, filter, paging, get, the three
// actions, Intune's scope gate, role check, FEF 403 envelope, write window, and the enroll admin route.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadTenantFixture } from '../../sandbox/fixture.js';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import {
  admin,
  graphAs,
  graphTokenFor,
  graphWithToken,
  httpsJson,
  type Json,
} from '../helpers/sandbox-http.js';

let sb: SandboxHandle;
beforeAll(async () => {
  // Only ReadWrite.All is consented for TapDesk; Read.All is added to this copy to test the read-only scope.
  // The script app gets the Intune application permission here, to test app-only callers.
  sb = await startSandbox({
    fixture: (f) => {
      f.apps[0].consentedDelegatedScopes.push('DeviceManagementServiceConfig.Read.All');
      f.apps[2]!.consentedApplicationPermissions = ['DeviceManagementServiceConfig.ReadWrite.All'];
    },
  });
});
afterAll(() => sb.close());
beforeEach(async () => {
  expect((await admin(sb, 'POST', '/reset')).status).toBe(200);
});

const base = '/deviceManagement/windowsAutopilotDeviceIdentities';
const graph = (scope: string) => [`https://graph.microsoft.com/${scope}`];
const readOnly = graph('DeviceManagementServiceConfig.Read.All');
const fixture = loadTenantFixture();
const device = (serial: string) => fixture.autopilot!.devices.find((d) => d.serialNumber === serial)!;
const idOf = (upn: string) => fixture.users.find((u) => u.userPrincipalName === upn)!.id;
const unassigned = device('PF4KX1A3');
const bobs = device('PF4KX1A2');
const serials = (body: Json) => (body.value as Json[]).map((d) => d.serialNumber as string);
const state = async () => (await admin(sb, 'GET', '/state')).body;
const stateOf = async (serial: string) =>
  ((await state()).devices as Json[]).find((d) => d.serialNumber === serial);
const post = (user: string, id: string, action: string, body?: unknown, scopes?: string[]) =>
  graphAs(sb, user, 'POST', `${base}/${id}/${action}`, body, scopes);

/** An app-only Graph token (client credentials). */
async function appToken(clientId: string, clientSecret: string): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    scope: 'https://graph.microsoft.com/.default',
    client_id: clientId,
    client_secret: clientSecret,
  });
  const result = await httpsJson(
    sb,
    'POST',
    `${sb.authorityHost}/${sb.tenantId}/oauth2/v2.0/token`,
    form.toString(),
    {
      'Content-Type': 'application/x-www-form-urlencoded',
    },
  );
  expect(result.status, result.text).toBe(200);
  return result.body.access_token as string;
}

/** The FEF envelope: Graph's error whose message is a CRLF-indented JSON document (§3.5). */
function fef(result: { status: number; headers: Json; body: Json }) {
  const { code, message, innerError } = result.body.error;
  expect(typeof message).toBe('string');
  expect(message).toMatch(/^\{\r\n {2}"_version": 3,\r\n {2}"Message": "/);
  const inner = JSON.parse(message);
  expect(Object.keys(inner)).toEqual([
    '_version',
    'Message',
    'CustomApiErrorPhrase',
    'RetryAfter',
    'ErrorSourceService',
    'HttpHeaders',
  ]);
  expect(inner).toMatchObject({ CustomApiErrorPhrase: '', ErrorSourceService: '', HttpHeaders: '{}' });
  expect(inner.Message).toContain(
    ` - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${innerError['request-id']} - Url: https://`,
  );
  expect(result.headers['request-id']).toBe(innerError['request-id']);
  return { code: code as string, text: (inner.Message as string).split(' - Operation ID')[0], inner };
}

describe('list, filter and paging', () => {
  it('lists the four fixture devices with v1.0 fields only, in fixture order', async () => {
    const result = await graphAs(sb, 'owen@contoso.com', 'GET', base);
    expect(result.status, result.text).toBe(200);
    expect(serials(result.body)).toEqual(['5CG3301ABC', 'PF4KX1A2', 'PF4KX1A3', '0F3X9K27']);
    const first = result.body.value[0];
    expect(Object.keys(first).sort()).toEqual(
      [
        '@odata.type',
        'id',
        'addressableUserName',
        'azureActiveDirectoryDeviceId',
        'displayName',
        'enrollmentState',
        'groupTag',
        'lastContactedDateTime',
        'managedDeviceId',
        'manufacturer',
        'model',
        'productKey',
        'purchaseOrderIdentifier',
        'resourceName',
        'serialNumber',
        'skuNumber',
        'systemFamily',
        'userPrincipalName',
      ].sort(),
    );
    expect(first).not.toHaveProperty('deploymentProfileAssignmentStatus');
    expect(first).toMatchObject({
      '@odata.type': '#microsoft.graph.windowsAutopilotDeviceIdentity',
      id: 'b7f8c6fe-9063-546d-8483-b57e2a4d40d6',
      manufacturer: 'HP',
      model: 'HP EliteBook 840 G10',
      enrollmentState: 'notContacted',
      lastContactedDateTime: '0001-01-01T00:00:00Z',
      azureActiveDirectoryDeviceId: '00000000-0000-0000-0000-000000000000',
    });
    expect(result.body.value[1]).toMatchObject({ userPrincipalName: 'bob@contoso.com', groupTag: 'Sales' });
  });

  it('filters with contains (case-insensitive), eq and and', async () => {
    const list = async (filter: string) => {
      const result = await graphAs(
        sb,
        'owen@contoso.com',
        'GET',
        `${base}?$filter=${encodeURIComponent(filter)}`,
      );
      expect(result.status, result.text).toBe(200);
      return serials(result.body);
    };
    expect(await list("contains(serialNumber,'pf4kx')")).toEqual(['PF4KX1A2', 'PF4KX1A3']);
    expect(await list("contains(serialNumber,'5CG33')")).toEqual(['5CG3301ABC']);
    expect(await list("contains(manufacturer,'microsoft') and contains(model,'Surface')")).toEqual([
      '0F3X9K27',
    ]);
    expect(await list("contains(model,'ThinkPad') and groupTag eq 'sales'")).toEqual(['PF4KX1A2']);
    expect(await list("groupTag eq 'Finance'")).toEqual(['0F3X9K27']);
    expect(await list("userPrincipalName eq 'BOB@contoso.com'")).toEqual(['PF4KX1A2']);
    expect(await list("enrollmentState eq 'notContacted'")).toEqual(['5CG3301ABC', 'PF4KX1A3', '0F3X9K27']);
    expect(await list("contains(displayName,'x')")).toEqual([]);
  });

  it.each([
    ["startswith(serialNumber,'PF')", 'unsupported function'],
    ["contains(serialNumber,'PF') or groupTag eq 'IT'", "unexpected 'or'"],
    ["contains(userPrincipalName,'bob')", "contains is not supported on 'userPrincipalName'"],
    ["productKey eq 'x'", "unsupported property 'productKey'"],
    ["groupTag ne 'IT'", "unsupported operator 'ne'"],
    ["contains(serialNumber,'PF)", 'unterminated string literal'],
    ["(groupTag eq 'IT')", "unexpected '('"],
  ])('refuses the filter %s with a 400 in the FEF envelope', async (filter, reason) => {
    const result = await graphAs(
      sb,
      'owen@contoso.com',
      'GET',
      `${base}?$filter=${encodeURIComponent(filter)}`,
    );
    expect(result.status).toBe(400);
    const { code, text } = fef(result);
    expect(code).toBe('BadRequest');
    expect(text).toContain(reason);
  });

  it('pages with $top and an absolute @odata.nextLink that keeps the filter', async () => {
    const first = await graphAs(sb, 'owen@contoso.com', 'GET', `${base}?$top=3`);
    expect(first.status).toBe(200);
    expect(serials(first.body)).toEqual(['5CG3301ABC', 'PF4KX1A2', 'PF4KX1A3']);
    const next = first.body['@odata.nextLink'] as string;
    expect(next.startsWith(`${sb.graphBaseUrl}${base}?`)).toBe(true);
    const second = await graphAs(sb, 'owen@contoso.com', 'GET', next.slice(sb.graphBaseUrl.length));
    expect(serials(second.body)).toEqual(['0F3X9K27']);
    expect(second.body).not.toHaveProperty('@odata.nextLink');

    const filtered = await graphAs(
      sb,
      'owen@contoso.com',
      'GET',
      `${base}?$filter=${encodeURIComponent("enrollmentState eq 'notContacted'")}&$top=2`,
    );
    expect(serials(filtered.body)).toEqual(['5CG3301ABC', 'PF4KX1A3']);
    const rest = await graphAs(
      sb,
      'owen@contoso.com',
      'GET',
      (filtered.body['@odata.nextLink'] as string).slice(sb.graphBaseUrl.length),
    );
    expect(serials(rest.body)).toEqual(['0F3X9K27']);

    expect((await graphAs(sb, 'owen@contoso.com', 'GET', `${base}?$top=0`)).status).toBe(400);
    expect((await graphAs(sb, 'owen@contoso.com', 'GET', `${base}?$orderby=serialNumber`)).status).toBe(400);
  });

  it('honours $select', async () => {
    const result = await graphAs(
      sb,
      'owen@contoso.com',
      'GET',
      `${base}?$select=serialNumber,groupTag&$top=1`,
    );
    expect(result.body.value).toEqual([
      {
        '@odata.type': '#microsoft.graph.windowsAutopilotDeviceIdentity',
        serialNumber: '5CG3301ABC',
        groupTag: '',
      },
    ]);
    expect((await graphAs(sb, 'owen@contoso.com', 'GET', `${base}?$select=deviceFriendlyName`)).status).toBe(
      400,
    );
  });
});

describe('get', () => {
  it('gets a device by id (any case) and answers 404 in the FEF envelope for an unknown id', async () => {
    const result = await graphAs(sb, 'owen@contoso.com', 'GET', `${base}/${bobs.id.toUpperCase()}`);
    expect(result.status, result.text).toBe(200);
    expect(result.body).toMatchObject({ id: bobs.id, serialNumber: 'PF4KX1A2', enrollmentState: 'enrolled' });
    expect(result.body.azureActiveDirectoryDeviceId).not.toBe('00000000-0000-0000-0000-000000000000');
    expect(Date.parse(result.body.lastContactedDateTime)).toBeGreaterThan(Date.parse('2020-01-01'));

    const missing = await graphAs(
      sb,
      'owen@contoso.com',
      'GET',
      `${base}/00000000-0000-0000-0000-00000000abcd`,
    );
    expect(missing.status).toBe(404);
    expect(fef(missing).code).toBe('ResourceNotFound');
  });
});

describe('updates', () => {
  it("owen sets the group tag and name, assigns and unassigns a user: 204s, and updatedBy is owen's oid", async () => {
    const update = await post('owen@contoso.com', unassigned.id, 'updateDeviceProperties', {
      groupTag: 'Finance',
      displayName: 'ALICE-LAPTOP',
    });
    expect(update.status, update.text).toBe(204);
    expect(update.text).toBe('');
    // Only the supplied fields change.
    expect(await stateOf('PF4KX1A3')).toEqual({
      id: unassigned.id,
      serialNumber: 'PF4KX1A3',
      model: 'ThinkPad T14 Gen 4',
      groupTag: 'Finance',
      userPrincipalName: '',
      addressableUserName: '',
      displayName: 'ALICE-LAPTOP',
      enrollmentState: 'notContacted',
      updatedBy: idOf('owen@contoso.com'),
    });

    const assign = await post('owen@contoso.com', unassigned.id, 'assignUserToDevice', {
      userPrincipalName: 'ALICE@contoso.com',
      addressableUserName: 'Alice',
    });
    expect(assign.status, assign.text).toBe(204);
    const read = await graphAs(sb, 'owen@contoso.com', 'GET', `${base}/${unassigned.id}`);
    expect(read.body).toMatchObject({
      userPrincipalName: 'alice@contoso.com',
      addressableUserName: 'Alice',
      groupTag: 'Finance',
      displayName: 'ALICE-LAPTOP',
    });

    const unassign = await post('owen@contoso.com', unassigned.id, 'unassignUserFromDevice');
    expect(unassign.status, unassign.text).toBe(204);
    expect(await stateOf('PF4KX1A3')).toMatchObject({
      userPrincipalName: '',
      addressableUserName: '',
      groupTag: 'Finance',
      updatedBy: idOf('owen@contoso.com'),
    });
  });

  it('updateDeviceProperties also sets the user; null clears a field', async () => {
    await post('owen@contoso.com', unassigned.id, 'updateDeviceProperties', {
      userPrincipalName: 'alice@contoso.com',
      addressableUserName: 'Alice',
      groupTag: 'IT',
    });
    expect(await stateOf('PF4KX1A3')).toMatchObject({
      userPrincipalName: 'alice@contoso.com',
      groupTag: 'IT',
    });
    await post('owen@contoso.com', unassigned.id, 'updateDeviceProperties', { groupTag: null });
    expect(await stateOf('PF4KX1A3')).toMatchObject({ userPrincipalName: 'alice@contoso.com', groupTag: '' });
  });

  it('nina (Intune Administrator only) may update; the device records her', async () => {
    const result = await post('nina@contoso.com', bobs.id, 'updateDeviceProperties', { groupTag: 'IT' });
    expect(result.status, result.text).toBe(204);
    expect(await stateOf('PF4KX1A2')).toMatchObject({ groupTag: 'IT', updatedBy: idOf('nina@contoso.com') });
  });

  it.each([
    [{ serialNumber: 'X' }, "The parameter 'serialNumber' in the request payload is not a valid parameter"],
    [{ groupTag: 7 }, "expected type 'Edm.String'"],
    [{ userPrincipalName: 'nobody@contoso.com' }, "User 'nobody@contoso.com' was not found"],
    ['not json', 'Invalid JSON payload.'],
    [undefined, 'Empty Payload'],
  ])('refuses the body %j with 400 and changes nothing', async (body, reason) => {
    const result = await post('owen@contoso.com', unassigned.id, 'updateDeviceProperties', body);
    expect(result.status).toBe(400);
    const { code, text } = fef(result);
    expect(code).toBe('BadRequest');
    expect(text).toContain(reason);
    expect(await stateOf('PF4KX1A3')).toMatchObject({ groupTag: '', userPrincipalName: '', updatedBy: null });
  });

  it('assignUserToDevice needs a user; unassign takes no parameters', async () => {
    const noUser = await post('owen@contoso.com', unassigned.id, 'assignUserToDevice', {
      addressableUserName: 'A',
    });
    expect(noUser.status).toBe(400);
    expect(fef(noUser).text).toContain('userPrincipalName is required');
    const extra = await post('owen@contoso.com', bobs.id, 'unassignUserFromDevice', {
      userPrincipalName: 'x',
    });
    expect(extra.status).toBe(400);
    expect(await stateOf('PF4KX1A2')).toMatchObject({
      userPrincipalName: 'bob@contoso.com',
      updatedBy: null,
    });
  });

  it('an unknown id answers 404 for every action; GET on an action answers 405', async () => {
    const ghost = '11111111-2222-3333-4444-555555555555';
    for (const action of ['updateDeviceProperties', 'assignUserToDevice', 'unassignUserFromDevice']) {
      const result = await post('owen@contoso.com', ghost, action, {
        userPrincipalName: 'alice@contoso.com',
      });
      expect(result.status, action).toBe(404);
      expect(fef(result).code).toBe('ResourceNotFound');
    }
    const wrongMethod = await graphAs(sb, 'owen@contoso.com', 'GET', `${base}/${bobs.id}/assignUserToDevice`);
    expect(wrongMethod.status).toBe(405);
  });

  it('works as a $batch item', async () => {
    const result = await graphAs(sb, 'owen@contoso.com', 'POST', '/$batch', {
      requests: [
        {
          id: '1',
          method: 'POST',
          url: `${base}/${unassigned.id}/updateDeviceProperties`,
          headers: { 'Content-Type': 'application/json' },
          body: { groupTag: 'Kiosk' },
        },
        { id: '2', method: 'GET', url: `${base}/${unassigned.id}`, dependsOn: ['1'] },
      ],
    });
    expect(result.status, result.text).toBe(200);
    const byId = Object.fromEntries((result.body.responses as Json[]).map((r) => [r.id, r]));
    expect(byId['1'].status).toBe(204);
    expect(byId['2'].body.groupTag).toBe('Kiosk');
  });
});

describe('who may call', () => {
  it('dana (Authentication Administrator only) gets 403 "User is not authorized" for reads and writes, nothing changes', async () => {
    for (const result of [
      await graphAs(sb, 'dana@contoso.com', 'GET', base),
      await graphAs(sb, 'dana@contoso.com', 'GET', `${base}/${bobs.id}`),
      await post('dana@contoso.com', unassigned.id, 'assignUserToDevice', {
        userPrincipalName: 'alice@contoso.com',
      }),
      await post('dana@contoso.com', bobs.id, 'unassignUserFromDevice'),
    ]) {
      expect(result.status).toBe(403);
      const { code, text, inner } = fef(result);
      expect(code).toBe('Forbidden');
      expect(text).toBe('User is not authorized to perform this operation');
      expect(inner.RetryAfter).toBeNull();
    }
    expect(await stateOf('PF4KX1A3')).toMatchObject({ userPrincipalName: '', updatedBy: null });
    expect(await stateOf('PF4KX1A2')).toMatchObject({
      userPrincipalName: 'bob@contoso.com',
      updatedBy: null,
    });
  });

  it('a user with no role is refused; a Global Administrator is allowed', async () => {
    const alice = await graphAs(sb, 'alice@contoso.com', 'GET', base);
    expect(alice.status).toBe(403);
    expect(fef(alice).text).toBe('User is not authorized to perform this operation');
    expect((await graphAs(sb, 'frank@contoso.com', 'GET', base)).status).toBe(200);
  });

  it('without a DeviceManagementServiceConfig scope: 403 naming the accepted scopes, before the role check', async () => {
    const noScope = await graphAs(sb, 'owen@contoso.com', 'GET', base, undefined, graph('User.Read'));
    expect(noScope.status).toBe(403);
    const { code, text } = fef(noScope);
    expect(code).toBe('Forbidden');
    expect(text).toBe(
      'Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementServiceConfig.Read.All, DeviceManagementServiceConfig.ReadWrite.All',
    );
    // Even dana, who lacks the role, hears about the scope first.
    const dana = await graphAs(sb, 'dana@contoso.com', 'GET', base, undefined, graph('User.Read'));
    expect(fef(dana).text).toContain('Application is not authorized');
  });

  it('Read.All reads but may not write', async () => {
    expect((await graphAs(sb, 'owen@contoso.com', 'GET', base, undefined, readOnly)).status).toBe(200);
    const write = await post(
      'owen@contoso.com',
      unassigned.id,
      'updateDeviceProperties',
      { groupTag: 'IT' },
      readOnly,
    );
    expect(write.status).toBe(403);
    expect(fef(write).text).toBe(
      'Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementServiceConfig.ReadWrite.All',
    );
    expect(await stateOf('PF4KX1A3')).toMatchObject({ groupTag: '', updatedBy: null });
  });

  it('app-only tokens: refused without the application permission, allowed with it and no role', async () => {
    const [tapDesk, serviceNow, script] = fixture.apps;
    // TapDesk holds the read-only application permission (the onboarding follow-through): it may
    // read, and its app-only write is refused for the missing scope.
    const tapDeskToken = await appToken(tapDesk.appId, tapDesk.clientSecret);
    expect((await graphWithToken(sb, tapDeskToken, 'GET', base)).status).toBe(200);
    const tapDeskWrite = await graphWithToken(
      sb,
      tapDeskToken,
      'POST',
      `${base}/${unassigned.id}/updateDeviceProperties`,
      { groupTag: 'Sales' },
    );
    expect(tapDeskWrite.status).toBe(403);
    expect(fef(tapDeskWrite).text).toContain('Application is not authorized to perform this operation.');
    // ServiceNow holds no Graph application permission at all.
    const none = await graphWithToken(
      sb,
      await appToken(serviceNow!.appId, serviceNow!.clientSecret),
      'GET',
      base,
    );
    expect(none.status).toBe(403);
    expect(fef(none).text).toBe(
      'Application is not authorized to perform this operation as called in app only context but does not have application permissions configured.',
    );
    // This sandbox's copy grants the script DeviceManagementServiceConfig.ReadWrite.All (see beforeAll).
    const token = await appToken(script!.appId, script!.clientSecret);
    const write = await graphWithToken(sb, token, 'POST', `${base}/${unassigned.id}/updateDeviceProperties`, {
      groupTag: 'Kiosk',
    });
    expect(write.status, write.text).toBe(204);
    const oid = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).oid as string;
    expect(await stateOf('PF4KX1A3')).toMatchObject({ groupTag: 'Kiosk', updatedBy: oid });
  });
});

describe("Intune's write window (100 per 20 s per app)", () => {
  it('answers the 101st write in 20 s with 429 and Retry-After, for every user of the app, until the window moves', async () => {
    const token = await graphTokenFor(sb, 'owen@contoso.com');
    const write = (t: string, tag: string) =>
      graphWithToken(sb, t, 'POST', `${base}/${unassigned.id}/updateDeviceProperties`, { groupTag: tag });
    const first = await Promise.all(Array.from({ length: 100 }, (_, i) => write(token, `T${i}`)));
    expect(first.map((r) => r.status)).toEqual(Array(100).fill(204));

    const refused = await write(token, 'late');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 20).toBe(true);
    const { code, inner } = fef(refused);
    expect(code).toBe('TooManyRequests');
    expect(inner.RetryAfter).toBe(retryAfter);
    // The window is per app: nina's token comes from the same app (TapDesk).
    const nina = await write(await graphTokenFor(sb, 'nina@contoso.com'), 'nina');
    expect(nina.status).toBe(429);
    // Reads have their own, larger allowance.
    expect((await graphWithToken(sb, token, 'GET', `${base}/${unassigned.id}`)).status).toBe(200);
    expect((await stateOf('PF4KX1A3')).groupTag).not.toBe('late');

    // The sandbox clock decides the window: 20 s later writes are admitted again.
    await admin(sb, 'POST', '/clock', { advanceMinutes: retryAfter / 60 });
    expect((await write(token, 'after')).status).toBe(204);
    expect((await stateOf('PF4KX1A3')).groupTag).toBe('after');
  });
});

describe('the enroll admin route and reset', () => {
  it('moves a device to enrolled as if the person finished setup; reset brings the fixture back', async () => {
    await post('owen@contoso.com', unassigned.id, 'assignUserToDevice', {
      userPrincipalName: 'alice@contoso.com',
    });
    const enrolled = await admin(sb, 'POST', '/devices/pf4kx1a3/enroll');
    expect(enrolled.status, enrolled.text).toBe(200);
    expect(enrolled.body).toMatchObject({
      serialNumber: 'PF4KX1A3',
      enrollmentState: 'enrolled',
      userPrincipalName: 'alice@contoso.com',
      updatedBy: idOf('owen@contoso.com'),
    });
    const now = Date.parse((await admin(sb, 'GET', '/clock')).body.now);
    const read = await graphAs(sb, 'owen@contoso.com', 'GET', `${base}/${unassigned.id}`);
    expect(read.body.enrollmentState).toBe('enrolled');
    expect(Math.abs(Date.parse(read.body.lastContactedDateTime) - now)).toBeLessThan(5_000);
    expect(read.body.managedDeviceId).not.toBe('00000000-0000-0000-0000-000000000000');

    expect((await admin(sb, 'POST', '/devices/NOPE/enroll')).status).toBe(404);

    await admin(sb, 'POST', '/reset');
    expect((await state()).devices).toEqual(
      fixture.autopilot!.devices.map((d) => ({
        id: d.id,
        serialNumber: d.serialNumber,
        model: d.model,
        groupTag: d.groupTag,
        userPrincipalName: d.userPrincipalName,
        addressableUserName: '',
        displayName: '',
        enrollmentState: d.enrollmentState,
        updatedBy: null,
      })),
    );
  });
});
