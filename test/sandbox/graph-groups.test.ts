import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphTapClient, type GraphCallRecord } from '../../src/graph/client.js';
import { dispatcherTrusting } from '../../src/http-json.js';
import { startSandbox, type SandboxHandle, type TenantFixture } from '../../sandbox/index.js';
import { graphAs, graphTokenFor } from '../helpers/sandbox-http.js';

const serviceDesk = '0309e63e-7c98-5efd-bdbb-0fcd86ca92e0';
const tapExcluded = '79a8080e-677b-5825-a8e3-4a49c839af37';
const harryId = '17a549e4-9af1-5e81-b69a-f0108a454dc6';
const malloryId = '92e190ac-cfb2-5a8e-8d16-a20219fff8a4';
const dana = 'dana@contoso.com';
const harry = 'harry@contoso.com';
const mallory = 'mallory@contoso.com';
const gina = 'gina@contoso.com';
const groupsPath = '/transitiveMemberOf/microsoft.graph.group';

// A second tenant for what the stock fixture cannot show: nesting, ownership and more than one page.
const tierTwo = '5e1f6a4c-2b1d-4c8e-9f00-000000000002';
const tierZero = '5e1f6a4c-2b1d-4c8e-9f00-000000000000';
const ownedOnly = '5e1f6a4c-2b1d-4c8e-9f00-00000000000f';
const fillerCount = 1200;
const filler = (i: number) => `f111e000-0000-4000-8000-${String(i).padStart(12, '0')}`;
function addGroups(fixture: TenantFixture): void {
  fixture.groups.push(
    { id: tierTwo, displayName: 'Helpdesk Tier 2', members: [serviceDesk] },
    { id: tierZero, displayName: 'Tier 0', members: [harryId], isAssignableToRole: true },
    { id: ownedOnly, displayName: 'Owned only', members: [], owners: [malloryId] },
  );
  for (let i = 0; i < fillerCount; i++)
    fixture.groups.push({ id: filler(i), displayName: `Filler ${i}`, members: [harryId] });
}

let sb: SandboxHandle;
let big: SandboxHandle;
const dispatchers = new Map<SandboxHandle, Dispatcher | undefined>();
beforeAll(async () => {
  [sb, big] = await Promise.all([startSandbox(), startSandbox({ fixture: addGroups })]);
  for (const handle of [sb, big]) dispatchers.set(handle, dispatcherTrusting(handle.caPem));
});
afterAll(async () => {
  await Promise.all([...dispatchers.values()].map((d) => d?.close()));
  await Promise.all([sb?.close(), big?.close()]);
});

const ids = (body: { value: Array<{ id: string }> }) => body.value.map((g) => g.id);

describe('transitiveMemberOf/microsoft.graph.group', () => {
  it("lists the caller's own groups with only User.Read, as id and displayName by default", async () => {
    const mine = await graphAs(sb, harry, 'GET', `/me${groupsPath}`, undefined, ['User.Read']);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      value: [{ '@odata.type': '#microsoft.graph.group', id: serviceDesk, displayName: 'Service Desk' }],
    });
    const none = await graphAs(sb, mallory, 'GET', `/me${groupsPath}`, undefined, ['User.Read']);
    expect(none.body).toEqual({ value: [] });
    expect(none.body['@odata.nextLink']).toBeUndefined();
  });

  it("lists another user's groups by UPN or id with User.Read.All, and refuses User.Read", async () => {
    const byUpn = await graphAs(sb, dana, 'GET', `/users/${gina}${groupsPath}`);
    expect(byUpn.status).toBe(200);
    expect(ids(byUpn.body)).toEqual([tapExcluded]);
    expect(byUpn.body.value[0].displayName).toBe('TAP excluded');
    const byId = await graphAs(sb, dana, 'GET', `/users/${harryId}${groupsPath}`);
    expect(ids(byId.body)).toEqual([serviceDesk]);
    // Naming yourself by UPN counts as self, as for the other user routes.
    expect(
      (await graphAs(sb, harry, 'GET', `/users/${harry}${groupsPath}`, undefined, ['User.Read'])).status,
    ).toBe(200);
    const denied = await graphAs(sb, dana, 'GET', `/users/${gina}${groupsPath}`, undefined, ['User.Read']);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');
  });

  it('honours $select and rejects unknown properties with 400', async () => {
    const selected = await graphAs(
      sb,
      dana,
      'GET',
      `/users/${harry}${groupsPath}?$select=id,securityEnabled,mailEnabled,isAssignableToRole`,
    );
    expect(selected.body.value).toEqual([
      {
        '@odata.type': '#microsoft.graph.group',
        id: serviceDesk,
        securityEnabled: true,
        mailEnabled: false,
        isAssignableToRole: null,
      },
    ]);
    const bad = await graphAs(sb, dana, 'GET', `/users/${harry}${groupsPath}?$select=id,members`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BadRequest');
    expect(bad.body.error.message).toContain("'members' on type 'microsoft.graph.group'");
  });

  it('404s an unknown user and 400s a $top outside 1..999 or an advanced query', async () => {
    const missing = await graphAs(sb, dana, 'GET', `/users/ghost@contoso.com${groupsPath}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('Request_ResourceNotFound');
    const filtered = await graphAs(
      sb,
      dana,
      'GET',
      `/me${groupsPath}?$filter=${encodeURIComponent("id eq 'x'")}`,
    );
    expect(filtered.status).toBe(400);
    expect(filtered.body.error.message).toContain('$filter');
    for (const top of ['0', '1000', 'x'])
      expect((await graphAs(sb, dana, 'GET', `/me${groupsPath}?$top=${top}`)).status).toBe(400);
  });

  it('follows nested groups, ignores ownership and lists role-assignable groups too', async () => {
    const kim = await graphAs(big, dana, 'GET', `/users/kim@contoso.com${groupsPath}?$select=displayName`);
    expect(kim.body.value.map((g: { displayName: string }) => g.displayName)).toEqual([
      'Service Desk',
      'Helpdesk Tier 2',
    ]);
    expect((await graphAs(big, dana, 'GET', `/users/${mallory}${groupsPath}`)).body.value).toEqual([]);
    const harryFirst = await graphAs(big, dana, 'GET', `/users/${harry}${groupsPath}?$top=3&$select=id`);
    expect(ids(harryFirst.body)).toEqual([serviceDesk, tierTwo, tierZero]);
  });

  it('pages with $top=1 and an absolute @odata.nextLink on the same path', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${big.graphBaseUrl}/users/kim@contoso.com${groupsPath}?$top=1&$select=id`;
    let pages = 0;
    while (url) {
      expect(url.startsWith(`${big.graphBaseUrl}/users/kim@contoso.com${groupsPath}?`)).toBe(true);
      const page = await graphAs(big, dana, 'GET', url.slice(big.graphBaseUrl.length));
      expect(page.status).toBe(200);
      expect(page.body.value).toHaveLength(1);
      expect(Object.keys(page.body.value[0]).sort()).toEqual(['@odata.type', 'id']);
      seen.push(...ids(page.body));
      url = page.body['@odata.nextLink'];
      pages++;
    }
    expect(pages).toBe(2);
    expect(seen).toEqual([serviceDesk, tierTwo]);
    const me = await graphAs(big, harry, 'GET', `/me${groupsPath}?$top=999`, undefined, ['User.Read']);
    expect(me.body.value).toHaveLength(999);
    expect(me.body['@odata.nextLink']).toMatch(new RegExp(`^${big.graphBaseUrl}/me${groupsPath}\\?`));
  });
});

describe('GraphTapClient.isMemberOf', () => {
  async function clientFor(handle: SandboxHandle, user: string, calls: GraphCallRecord[] = []) {
    const token = await graphTokenFor(handle, user);
    return new GraphTapClient(token, {
      baseUrl: handle.graphBaseUrl,
      dispatcher: dispatchers.get(handle),
      onCall: (c) => calls.push(c),
    });
  }

  it('is true for Harry in Service Desk and false for Mallory, with one documented request', async () => {
    const calls: GraphCallRecord[] = [];
    expect(await (await clientFor(sb, harry, calls)).isMemberOf(serviceDesk)).toBe(true);
    expect(calls.map((c) => [c.method, c.url.slice(sb.graphBaseUrl.length), c.status])).toEqual([
      ['GET', `/me${groupsPath}?$select=id&$top=999`, 200],
    ]);
    expect(await (await clientFor(sb, mallory)).isMemberOf(serviceDesk)).toBe(false);
    expect(await (await clientFor(sb, gina)).isMemberOf(serviceDesk)).toBe(false);
    expect(await (await clientFor(sb, gina)).isMemberOf(tapExcluded)).toBe(true);
  });

  it('compares group ids case-insensitively', async () => {
    expect(await (await clientFor(sb, harry)).isMemberOf(serviceDesk.toUpperCase())).toBe(true);
  });

  it('follows @odata.nextLink to later pages and stops at the page that has the group', async () => {
    const calls: GraphCallRecord[] = [];
    const client = await clientFor(big, harry, calls);
    expect(await client.isMemberOf(filler(fillerCount - 1))).toBe(true);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.url).toContain('$skiptoken=');
    calls.length = 0;
    expect(await client.isMemberOf(tierTwo)).toBe(true);
    expect(calls).toHaveLength(1);
    calls.length = 0;
    expect(await client.isMemberOf(ownedOnly)).toBe(false);
    expect(calls).toHaveLength(2);
  });
});
