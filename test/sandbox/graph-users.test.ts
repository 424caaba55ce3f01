import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { graphAs, graphWithToken, httpsJson } from '../helpers/sandbox-http.js';

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());

const dana = 'dana@contoso.com';
const eventual = { ConsistencyLevel: 'eventual' };
const upns = (body: { value: Array<{ userPrincipalName: string }> }) =>
  body.value.map((u) => u.userPrincipalName);

describe('authentication on Graph', () => {
  it('rejects a missing token, a garbage token and the SSO assertion itself with 401', async () => {
    for (const token of [undefined, 'not-a-jwt', await sb.ssoToken(dana)]) {
      const result = await graphWithToken(sb, token, 'GET', '/me', undefined, {
        'client-request-id': 'abc-123',
      });
      expect(result.status).toBe(401);
      expect(result.body.error.code).toBe('InvalidAuthenticationToken');
      expect(result.body.error.innerError['client-request-id']).toBe('abc-123');
      expect(result.headers['content-type']).toBe('application/json');
    }
  });

  it('answers 403 when the token lacks the write scope', async () => {
    const result = await graphAs(
      sb,
      dana,
      'POST',
      '/users/alice@contoso.com/authentication/temporaryAccessPassMethods',
      {},
      ['https://graph.microsoft.com/User.Read.All'],
    );
    expect(result.status).toBe(403);
    expect(result.body.error.code).toBe('accessDenied');
  });

  it('lets User.Read read /me but not other users', async () => {
    const scopes = ['User.Read'];
    expect((await graphAs(sb, dana, 'GET', '/me', undefined, scopes)).status).toBe(200);
    expect((await graphAs(sb, dana, 'GET', '/users/alice@contoso.com', undefined, scopes)).status).toBe(403);
  });

  it('answers 404 JSON for paths outside the sandbox', async () => {
    const result = await httpsJson(sb, 'GET', `${sb.origin}/nothing-here`);
    expect(result.status).toBe(404);
  });
});

describe('users', () => {
  it('gets a user by UPN (case-insensitive) or id with Graph fields only', async () => {
    const byUpn = await graphAs(sb, dana, 'GET', '/USERS/Alice@Contoso.com');
    expect(byUpn.status).toBe(200);
    expect(Object.keys(byUpn.body).sort()).toEqual(
      [
        'accountEnabled',
        'department',
        'displayName',
        'id',
        'jobTitle',
        'mail',
        'userPrincipalName',
        'userType',
      ].sort(),
    );
    const byId = await graphAs(sb, dana, 'GET', `/users/${byUpn.body.id}?$select=displayName,accountEnabled`);
    expect(byId.body).toEqual({ displayName: 'Alice Wong', accountEnabled: true });
  });

  it('404s an unknown user and 400s an unknown $select property', async () => {
    const missing = await graphAs(sb, dana, 'GET', '/users/ghost@contoso.com');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('Request_ResourceNotFound');
    expect((await graphAs(sb, dana, 'GET', '/users/alice@contoso.com?$select=roles')).status).toBe(400);
  });

  it('filters with startswith/eq and or/and, case-insensitively', async () => {
    const filter = encodeURIComponent("startswith(userPrincipalName,'ALICE') or startswith(mail,'bob')");
    expect(upns((await graphAs(sb, dana, 'GET', `/users?$filter=${filter}`)).body)).toEqual([
      'alice@contoso.com',
      'alice.smith@contoso.com',
      'bob@contoso.com',
    ]);
    const both = encodeURIComponent("department eq 'it' and startswith(displayName,'k')");
    expect(upns((await graphAs(sb, dana, 'GET', `/users?$filter=${both}`)).body)).toEqual([
      'kim@contoso.com',
    ]);
    const bad = await graphAs(sb, dana, 'GET', `/users?$filter=${encodeURIComponent("contains(mail,'a')")}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BadRequest');
  });

  it('requires ConsistencyLevel: eventual for $search and counts', async () => {
    const query = `/users?$search=${encodeURIComponent('"displayName:smi"')}&$count=true`;
    const refused = await graphAs(sb, dana, 'GET', query);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('ConsistencyLevel');
    const found = await graphAs(sb, dana, 'GET', query, undefined, undefined, eventual);
    expect(found.status).toBe(200);
    expect(found.body['@odata.count']).toBe(2);
    expect(upns(found.body)).toEqual(['alice.smith@contoso.com', 'harry@contoso.com']);
    const or = `/users?$search=${encodeURIComponent('"displayName:alice w" OR "mail:bob"')}`;
    expect(upns((await graphAs(sb, dana, 'GET', or, undefined, undefined, eventual)).body)).toEqual([
      'alice@contoso.com',
      'bob@contoso.com',
    ]);
  });

  it('pages with $top and an absolute @odata.nextLink', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${sb.graphBaseUrl}/users?$top=5&$select=userPrincipalName`;
    while (url) {
      const page = await graphAs(sb, dana, 'GET', url.slice(sb.graphBaseUrl.length));
      expect(page.status).toBe(200);
      expect(page.body.value.length).toBeLessThanOrEqual(5);
      seen.push(...upns(page.body));
      url = page.body['@odata.nextLink'];
      if (url) expect(url.startsWith(`${sb.graphBaseUrl}/users?`)).toBe(true);
    }
    expect(seen).toHaveLength(sb.tenant.users.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect((await graphAs(sb, dana, 'GET', '/users?$top=1000')).status).toBe(400);
  });
});

describe('manager and directory roles', () => {
  it('returns the manager, or 404 when there is none', async () => {
    const manager = await graphAs(sb, dana, 'GET', '/users/alice@contoso.com/manager');
    expect(manager.status).toBe(200);
    expect(manager.body.userPrincipalName).toBe('carol@contoso.com');
    const none = await graphAs(sb, dana, 'GET', '/users/carol@contoso.com/manager');
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('Request_ResourceNotFound');
  });

  it("lists the caller's and a target's active roles", async () => {
    const mine = await graphAs(
      sb,
      dana,
      'GET',
      '/me/transitiveMemberOf/microsoft.graph.directoryRole?$select=displayName,roleTemplateId',
      undefined,
      ['User.Read'],
    );
    expect(mine.status).toBe(200);
    expect(mine.body.value).toEqual([
      {
        '@odata.type': '#microsoft.graph.directoryRole',
        displayName: 'Authentication Administrator',
        roleTemplateId: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
      },
    ]);
    const frank = await graphAs(
      sb,
      dana,
      'GET',
      '/users/frank@contoso.com/transitiveMemberOf/microsoft.graph.directoryRole',
    );
    expect(frank.body.value[0]).toMatchObject({
      displayName: 'Global Administrator',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const alice = await graphAs(
      sb,
      dana,
      'GET',
      '/users/alice@contoso.com/transitiveMemberOf/microsoft.graph.directoryRole',
    );
    expect(alice.body.value).toEqual([]);
  });
});
