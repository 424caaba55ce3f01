// roleManagement/directory reads (contract next-wave §2.1, §2.2, §2.7 items 1-3) and what counts as a held role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { graphAs, graphWithToken, httpsJson } from '../helpers/sandbox-http.js';

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());

const assignments = '/roleManagement/directory/roleAssignments';
const eligibilities = '/roleManagement/directory/roleEligibilityScheduleInstances';
const mine = `${eligibilities}/filterByCurrentUser(on='principal')`;
const roleRead = ['https://graph.microsoft.com/RoleManagement.Read.Directory'];
const GA = '62e90394-69f5-4237-9190-012177145e10';
const AUTH_ADMIN = 'c4e39bd9-1100-46d3-8c65-fb160da0071f';
const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const idOf = (upn: string) => sb.tenant.users.find((u) => u.userPrincipalName === upn)!.id;
const byPrincipal = (path: string, upn: string, extra = '') =>
  `${path}?$filter=principalId eq '${idOf(upn)}'${extra}`;

async function tapDeskAppToken(): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    scope: 'https://graph.microsoft.com/.default',
    client_id: sb.app.appId,
    client_secret: sb.app.clientSecret,
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
  return result.body.access_token as string;
}

describe('role assignments and eligibilities (app-only, RoleManagement.Read.Directory)', () => {
  it("lists Quinn's administrative-unit-scoped assignment with its role definition", async () => {
    const token = await tapDeskAppToken();
    const result = await graphWithToken(
      sb,
      token,
      'GET',
      byPrincipal(assignments, 'quinn@contoso.com', '&$expand=roleDefinition'),
    );
    expect(result.status, result.text).toBe(200);
    expect(result.body.value).toEqual([
      expect.objectContaining({
        principalId: idOf('quinn@contoso.com'),
        roleDefinitionId: HELPDESK,
        directoryScopeId: '/administrativeUnits/6e57a98c-7f64-57b4-b5c1-7a2d3543a469',
        roleDefinition: expect.objectContaining({
          id: HELPDESK,
          templateId: HELPDESK,
          displayName: 'Helpdesk Administrator',
          isBuiltIn: true,
        }),
      }),
    ]);
    // Active assignments only: Paul is merely eligible.
    const paul = await graphWithToken(sb, token, 'GET', byPrincipal(assignments, 'paul@contoso.com'));
    expect(paul.body.value).toEqual([]);
    // Owen holds two tenant-wide roles; without $expand there is no roleDefinition.
    const owen = await graphWithToken(sb, token, 'GET', byPrincipal(assignments, 'owen@contoso.com'));
    expect(owen.body.value).toHaveLength(2);
    expect(
      owen.body.value.every(
        (a: Record<string, unknown>) => a.directoryScopeId === '/' && !('roleDefinition' in a),
      ),
    ).toBe(true);
  });

  it("lists Paul's eligibility (Global Administrator, tenant-wide) and filters by roleDefinitionId", async () => {
    const token = await tapDeskAppToken();
    const paul = await graphWithToken(
      sb,
      token,
      'GET',
      byPrincipal(eligibilities, 'paul@contoso.com', '&$expand=roleDefinition'),
    );
    expect(paul.status, paul.text).toBe(200);
    expect(paul.body.value).toEqual([
      expect.objectContaining({
        principalId: idOf('paul@contoso.com'),
        roleDefinitionId: GA,
        directoryScopeId: '/',
        endDateTime: null,
        memberType: 'Direct',
        roleDefinition: expect.objectContaining({ templateId: GA, displayName: 'Global Administrator' }),
      }),
    ]);
    const authAdmins = await graphWithToken(
      sb,
      token,
      'GET',
      `${assignments}?$filter=roleDefinitionId eq '${AUTH_ADMIN}'`,
    );
    expect(authAdmins.body.value.map((a: { principalId: string }) => a.principalId).sort()).toEqual(
      [idOf('dana@contoso.com'), idOf('owen@contoso.com')].sort(),
    );
    const eligibleAuthAdmins = await graphWithToken(
      sb,
      token,
      'GET',
      `${eligibilities}?$filter=roleDefinitionId eq '${AUTH_ADMIN}'`,
    );
    expect(eligibleAuthAdmins.body.value.map((a: { principalId: string }) => a.principalId)).toEqual([
      idOf('olga@contoso.com'),
    ]);
    const bad = await graphWithToken(sb, token, 'GET', `${assignments}?$filter=startswith(principalId,'a')`);
    expect(bad.status).toBe(400);
  });

  it('refuses app tokens without a role-management permission, and filterByCurrentUser for apps', async () => {
    const servicenow = sb.tenant.apps[1]!;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
      client_id: servicenow.appId,
      client_secret: servicenow.clientSecret,
    });
    const token = (
      await httpsJson(sb, 'POST', `${sb.authorityHost}/${sb.tenantId}/oauth2/v2.0/token`, form.toString(), {
        'Content-Type': 'application/x-www-form-urlencoded',
      })
    ).body.access_token as string;
    for (const path of [assignments, eligibilities]) {
      const result = await graphWithToken(sb, token, 'GET', path);
      expect(result.status, path).toBe(403);
      expect(result.body.error.code).toBe('Authorization_RequestDenied');
    }
    expect((await graphWithToken(sb, await tapDeskAppToken(), 'GET', mine)).status).toBe(400);
  });
});

describe('role reads for delegated callers', () => {
  it('needs a role-management scope and one of the read roles', async () => {
    // Frank: Global Administrator. Dana: Authentication Administrator, no role-read role.
    expect(
      (
        await graphAs(
          sb,
          'frank@contoso.com',
          'GET',
          byPrincipal(eligibilities, 'paul@contoso.com'),
          undefined,
          roleRead,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await graphAs(
          sb,
          'frank@contoso.com',
          'GET',
          byPrincipal(assignments, 'quinn@contoso.com'),
          undefined,
          roleRead,
        )
      ).status,
    ).toBe(200);
    for (const path of [assignments, eligibilities]) {
      const dana = await graphAs(sb, 'dana@contoso.com', 'GET', path, undefined, roleRead);
      expect(dana.status, path).toBe(403);
    }
    const noScope = await graphAs(sb, 'frank@contoso.com', 'GET', eligibilities, undefined, [
      'https://graph.microsoft.com/User.Read.All',
    ]);
    expect(noScope.status).toBe(403);
  });

  it("answers filterByCurrentUser(on='principal') with the caller's own eligibilities, no role needed", async () => {
    const olga = await graphAs(sb, 'olga@contoso.com', 'GET', `${mine}?$expand=roleDefinition`, undefined, [
      'https://graph.microsoft.com/RoleEligibilitySchedule.Read.Directory',
    ]);
    expect(olga.status, olga.text).toBe(200);
    expect(olga.body.value).toEqual([
      expect.objectContaining({ principalId: idOf('olga@contoso.com'), roleDefinitionId: AUTH_ADMIN }),
    ]);
    const dana = await graphAs(sb, 'dana@contoso.com', 'GET', mine, undefined, roleRead);
    expect(dana.body.value).toEqual([]);
    const other = await graphAs(
      sb,
      'olga@contoso.com',
      'GET',
      `${eligibilities}/filterByCurrentUser(on='approver')`,
      undefined,
      roleRead,
    );
    expect(other.status).toBe(400);
  });
});

describe('held roles: only active tenant-wide roles count', () => {
  const rolesPath = (upn: string) => `/users/${upn}/transitiveMemberOf/microsoft.graph.directoryRole`;

  it('transitiveMemberOf/microsoft.graph.directoryRole leaves out AU-scoped and eligible roles', async () => {
    const quinn = await graphAs(sb, 'dana@contoso.com', 'GET', rolesPath('quinn@contoso.com'));
    expect(quinn.body.value).toEqual([]);
    const paul = await graphAs(sb, 'dana@contoso.com', 'GET', rolesPath('paul@contoso.com'));
    expect(paul.body.value).toEqual([]);
    const owen = await graphAs(sb, 'dana@contoso.com', 'GET', rolesPath('owen@contoso.com'));
    expect(owen.body.value.map((r: { displayName: string }) => r.displayName).sort()).toEqual([
      'Authentication Administrator',
      'Intune Administrator',
    ]);
    const olgaMe = await graphAs(
      sb,
      'olga@contoso.com',
      'GET',
      '/me/transitiveMemberOf/microsoft.graph.directoryRole',
    );
    expect(olgaMe.body.value).toEqual([]);
  });

  it('lets an Authentication Administrator issue for an eligible-only Global Administrator and an AU-scoped Helpdesk Administrator ([choice])', async () => {
    for (const upn of ['paul@contoso.com', 'quinn@contoso.com']) {
      const created = await graphAs(
        sb,
        'dana@contoso.com',
        'POST',
        `/users/${upn}/authentication/temporaryAccessPassMethods`,
        {},
      );
      expect(created.status, `${upn}: ${created.text}`).toBe(201);
    }
    // An active tenant-wide privileged role still protects the target.
    const owen = await graphAs(
      sb,
      'dana@contoso.com',
      'POST',
      '/users/owen@contoso.com/authentication/temporaryAccessPassMethods',
      {},
    );
    expect(owen.status).toBe(403);
  });

  it('an eligible-only Authentication Administrator cannot issue before activating', async () => {
    const olga = await graphAs(
      sb,
      'olga@contoso.com',
      'POST',
      '/users/alice@contoso.com/authentication/temporaryAccessPassMethods',
      {},
    );
    expect(olga.status).toBe(403);
  });
});
