// AppRoleReader against the real sandbox: TapDesk's own app-only token, active and eligible roles, paging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppTokenError, ClientSecretAppTokens, type AppTokenSource } from '../../src/auth/app-tokens.js';
import { GraphFailure } from '../../src/graph/failure.js';
import { AppRoleReader } from '../../src/graph/role-reader.js';
import { dispatcherTrusting } from '../../src/http-json.js';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({
    // Many roles for Bob, to make the sandbox page (100 per page) its answer.
    fixture: (f) => {
      const bob = f.users.find((u) => u.userPrincipalName === 'bob@contoso.com')!;
      bob.roles = Array.from({ length: 130 }, (_, i) => ({
        displayName: `Custom role ${i}`,
        roleTemplateId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      }));
    },
  });
});
afterAll(() => sb.close());

const idOf = (upn: string) => sb.tenant.users.find((u) => u.userPrincipalName === upn)!.id;

function tokens(clientSecret = sb.app.clientSecret, clientId = sb.app.appId): ClientSecretAppTokens {
  return new ClientSecretAppTokens({
    tenantId: sb.tenantId,
    clientId,
    clientSecret,
    authorityHost: sb.authorityHost,
    caPem: sb.caPem,
  });
}

function reader(source: AppTokenSource = tokens()): AppRoleReader {
  return new AppRoleReader({
    baseUrl: sb.graphBaseUrl,
    tokens: source,
    dispatcher: dispatcherTrusting(sb.caPem),
  });
}

describe('AppRoleReader', () => {
  it('reads eligible, AU-scoped and tenant-wide roles by template id', async () => {
    const r = reader();
    expect(await r.privilegedRolesOf(idOf('paul@contoso.com'))).toEqual([
      {
        roleTemplateId: '62e90394-69f5-4237-9190-012177145e10',
        displayName: 'Global Administrator',
        assignment: 'eligible',
        scope: '/',
      },
    ]);
    expect(await r.privilegedRolesOf(idOf('quinn@contoso.com'))).toEqual([
      {
        roleTemplateId: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
        displayName: 'Helpdesk Administrator',
        assignment: 'active',
        scope: '/administrativeUnits/6e57a98c-7f64-57b4-b5c1-7a2d3543a469',
      },
    ]);
    const owen = await r.privilegedRolesOf(idOf('owen@contoso.com'));
    expect(owen.map((h) => `${h.displayName}/${h.assignment}/${h.scope}`).sort()).toEqual([
      'Authentication Administrator/active//',
      'Intune Administrator/active//',
    ]);
    expect(await r.privilegedRolesOf(idOf('alice@contoso.com'))).toEqual([]);
  });

  it('follows nextLinks; custom roles keep their definition id', async () => {
    const bob = await reader().privilegedRolesOf(idOf('bob@contoso.com'));
    expect(bob).toHaveLength(130);
    expect(bob[129]).toEqual({
      roleTemplateId: '00000000-0000-4000-8000-000000000129',
      displayName: 'Custom role 129',
      assignment: 'active',
      scope: '/',
    });
    const state = await fetch(`${sb.sandboxUrl}/state`, {
      dispatcher: dispatcherTrusting(sb.caPem),
    } as RequestInit);
    const log = ((await state.json()) as { graphLog: { path: string }[] }).graphLog;
    expect(log.filter((l) => l.path.includes('roleAssignments') && l.path.includes('skiptoken')).length).toBe(
      1,
    );
  });

  it('throws GraphFailure: 403 without RoleManagement.Read.Directory, appTokenFailed for a bad secret', async () => {
    const servicenow = sb.tenant.apps[1]!;
    const unpermitted = reader(tokens(servicenow.clientSecret, servicenow.appId));
    const denied = await unpermitted.privilegedRolesOf(idOf('paul@contoso.com')).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(GraphFailure);
    expect(denied).toMatchObject({ status: 403, code: 'Authorization_RequestDenied' });

    const badSecret = await reader(tokens('wrong'))
      .privilegedRolesOf(idOf('paul@contoso.com'))
      .catch((e: unknown) => e);
    expect(badSecret).toBeInstanceOf(GraphFailure);
    expect(badSecret).toMatchObject({ status: 0, code: 'appTokenFailed' });
    expect((badSecret as GraphFailure).cause).toBeInstanceOf(AppTokenError);
    expect((badSecret as GraphFailure).message).toMatch(/AADSTS7000215/);
  });

  it('asks the token service once for several reads (the credential caches the token)', async () => {
    let calls = 0;
    const inner = tokens();
    const counting: AppTokenSource = {
      graphAppToken: async (signal) => {
        calls += 1;
        return inner.graphAppToken(signal);
      },
    };
    const r = reader(counting);
    await r.privilegedRolesOf(idOf('paul@contoso.com'));
    await r.privilegedRolesOf(idOf('quinn@contoso.com'));
    expect(calls).toBe(2);
    // Both reads used the same cached token: ClientSecretCredential hands back the same string.
    expect(await inner.graphAppToken()).toBe(await inner.graphAppToken());
  });
});
