// The sandbox token service's client_credentials grant, and what the sandbox Graph lets app tokens do.
import { ClientSecretCredential, type AuthorityValidationOptions } from '@azure/identity';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import {
  graphAs,
  graphWithToken,
  httpsJson,
  sandboxAgent,
  type HttpResult,
} from '../helpers/sandbox-http.js';

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());

const graphDefault = 'https://graph.microsoft.com/.default';
const tapPath = (user: string) => `/users/${user}/authentication/temporaryAccessPassMethods`;
const policyPath =
  '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';

const app = (name: string) => {
  const found = sb.tenant.apps.find((a) => a.displayName.startsWith(name));
  if (!found) throw new Error(`no fixture app ${name}`);
  return found;
};

/** A raw client_credentials form post (client_secret_post unless `basic`). */
function clientCredentials(
  fields: Record<string, string>,
  basic?: { id: string; secret: string },
): Promise<HttpResult> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', scope: graphDefault, ...fields });
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (basic) {
    const pair = `${encodeURIComponent(basic.id)}:${encodeURIComponent(basic.secret)}`;
    headers.Authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  return httpsJson(
    sb,
    'POST',
    `${sb.authorityHost}/${sb.tenantId}/oauth2/v2.0/token`,
    form.toString(),
    headers,
  );
}

async function appToken(name: string, scope = graphDefault): Promise<string> {
  const a = app(name);
  const result = await clientCredentials({ client_id: a.appId, client_secret: a.clientSecret, scope });
  expect(result.status, result.text).toBe(200);
  return result.body.access_token as string;
}

describe('client_credentials grant', () => {
  it('gives TapDesk a v2 app token for Graph whose roles are exactly its consented application permissions', async () => {
    const token = await appToken('TapDesk');
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      ver: '2.0',
      tid: sb.tenantId,
      azp: sb.app.appId,
      appid: sb.app.appId,
      idtyp: 'app',
    });
    expect(claims.roles).toEqual(sb.app.consentedApplicationPermissions);
    expect(claims.scp).toBeUndefined();
    expect(claims.upn).toBeUndefined();
    expect(claims.oid).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.sub).toBe(claims.oid);
    // Stable per app, distinct between apps, and no user's id.
    expect(decodeJwt(await appToken('TapDesk')).oid).toBe(claims.oid);
    expect(decodeJwt(await appToken('ServiceNow')).oid).not.toBe(claims.oid);
    expect(sb.tenant.users.some((u) => u.id === claims.oid)).toBe(false);
  });

  it("accepts Graph's app id as resource, client_secret_basic, and @azure/identity's ClientSecretCredential", async () => {
    const byId = await appToken('TapDesk', '00000003-0000-0000-c000-000000000000/.default');
    expect(decodeJwt(byId).roles).toEqual(sb.app.consentedApplicationPermissions);
    const basic = await clientCredentials({}, { id: sb.app.appId, secret: sb.app.clientSecret });
    expect(basic.status, basic.text).toBe(200);
    expect(decodeJwt(basic.body.access_token).azp).toBe(sb.app.appId);

    const discovery: AuthorityValidationOptions = { disableInstanceDiscovery: true };
    const credential = new ClientSecretCredential(sb.tenantId, sb.app.appId, sb.app.clientSecret, {
      authorityHost: sb.authorityHost,
      agent: sandboxAgent(sb),
      ...discovery,
    });
    const token = await credential.getToken(graphDefault);
    expect(decodeJwt(token.token).idtyp).toBe('app');
  });

  it('gives another app a Graph token without roles (Entra issues it; Graph then refuses)', async () => {
    const token = await appToken('ServiceNow');
    const claims = decodeJwt(token);
    expect(claims.roles).toBeUndefined();
    expect(claims.azp).toBe(app('ServiceNow').appId);
    expect((await graphWithToken(sb, token, 'GET', policyPath)).status).toBe(403);
    expect((await graphWithToken(sb, token, 'GET', '/users/alice@contoso.com')).status).toBe(403);
  });

  it("issues tokens for TapDesk's own API with the client's assigned app roles", async () => {
    const scope = `${sb.app.ssoResource}/.default`;
    const servicenow = decodeJwt(await appToken('ServiceNow', scope));
    expect(servicenow).toMatchObject({ aud: sb.app.appId, idtyp: 'app', roles: ['TapDesk.Request'] });
    expect(servicenow.scp).toBeUndefined();
    const script = decodeJwt(await appToken('Unapproved script', scope));
    expect(script.aud).toBe(sb.app.appId);
    expect(script.roles).toBeUndefined();
  });

  it('gives only app roles TapDesk defines for applications, and mints other lifetimes through the admin API', async () => {
    const scoped = await startSandbox({
      fixture: (f) => {
        // A role TapDesk no longer defines, and one it defines for people only: neither reaches a token.
        f.apps[1]!.assignedAppRoles = ['TapDesk.Request', 'TapDesk.Retired', 'TapDesk.Reader'];
        f.apps[0].appRoles!.push({ value: 'TapDesk.Reader', id: 'r', allowedMemberTypes: ['User'] });
      },
    });
    try {
      const form = (index: number) => {
        const a = scoped.tenant.apps[index]!;
        return new URLSearchParams({
          grant_type: 'client_credentials',
          scope: `${scoped.app.ssoResource}/.default`,
          client_id: a.appId,
          client_secret: a.clientSecret,
        }).toString();
      };
      const url = `${scoped.authorityHost}/${scoped.tenantId}/oauth2/v2.0/token`;
      const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
      const servicenow = await httpsJson(scoped, 'POST', url, form(1), headers);
      expect(decodeJwt(servicenow.body.access_token).roles).toEqual(['TapDesk.Request']);
      const expired = await httpsJson(scoped, 'POST', `${scoped.sandboxUrl}/app-token`, {
        client: scoped.tenant.apps[1]!.appId,
        scope: `${scoped.app.ssoResource}/.default`,
        lifetimeSeconds: -600,
      });
      expect(expired.status, expired.text).toBe(200);
      const claims = decodeJwt(expired.body.access_token);
      expect(claims.exp! * 1000).toBeLessThan(Date.now());
      expect(claims).toMatchObject({ aud: scoped.app.appId, roles: ['TapDesk.Request'], idtyp: 'app' });
      const bad = await httpsJson(scoped, 'POST', `${scoped.sandboxUrl}/app-token`, { client: 'nobody' });
      expect(bad.status).toBe(400);
    } finally {
      await scoped.close();
    }
  });

  it('refuses an unknown client, a wrong or missing secret, a non-.default scope and an unknown resource', async () => {
    const unknown = await clientCredentials({
      client_id: '11111111-1111-1111-1111-111111111111',
      client_secret: 'x',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    expect(unknown.body.error_description).toMatch(/^AADSTS700016: Application with identifier/);

    const servicenow = app('ServiceNow');
    const badSecret = await clientCredentials({
      client_id: servicenow.appId,
      client_secret: sb.app.clientSecret,
    });
    expect(badSecret.status).toBe(401);
    expect(badSecret.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const noSecret = await clientCredentials({ client_id: servicenow.appId });
    expect(noSecret.body).toMatchObject({ error: 'invalid_client', error_codes: [7000218] });

    const creds = { client_id: sb.app.appId, client_secret: sb.app.clientSecret };
    const named = await clientCredentials({ ...creds, scope: 'https://graph.microsoft.com/User.Read.All' });
    expect(named.status).toBe(400);
    expect(named.body).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
    const noScope = await clientCredentials({ ...creds, scope: '' });
    expect(noScope.body).toMatchObject({ error: 'invalid_request', error_codes: [900144] });
    const elsewhere = await clientCredentials({ ...creds, scope: 'api://someone-else/.default' });
    expect(elsewhere.body).toMatchObject({ error: 'invalid_resource', error_codes: [500011] });
  });

  it('lets only TapDesk present SSO assertions (on-behalf-of)', async () => {
    const servicenow = app('ServiceNow');
    const form = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: servicenow.appId,
      client_secret: servicenow.clientSecret,
      scope: graphDefault,
      assertion: await sb.ssoToken('dana@contoso.com'),
    });
    const result = await httpsJson(
      sb,
      'POST',
      `${sb.authorityHost}/${sb.tenantId}/oauth2/v2.0/token`,
      form.toString(),
      { 'Content-Type': 'application/x-www-form-urlencoded' },
    );
    expect(result.body).toMatchObject({ error: 'invalid_grant', error_codes: [50013] });
  });
});

describe('the sandbox Graph with app-only tokens', () => {
  it('reads the TAP policy with Policy.Read.AuthenticationMethod, no directory role needed', async () => {
    const result = await graphWithToken(sb, await appToken('TapDesk'), 'GET', policyPath);
    expect(result.status, result.text).toBe(200);
    expect(result.body).toMatchObject({ id: 'TemporaryAccessPass', state: 'enabled' });
  });

  it("refuses TapDesk's app token on every pass operation: it holds no authentication-method permission", async () => {
    const token = await appToken('TapDesk');
    const create = await graphWithToken(sb, token, 'POST', tapPath('alice@contoso.com'), {});
    expect(create.status).toBe(403);
    expect(create.body.error).toMatchObject({
      code: 'accessDenied',
      message: 'Request Authorization failed',
    });
    expect((await graphWithToken(sb, token, 'GET', tapPath('alice@contoso.com'))).status).toBe(403);
    const state = await httpsJson(sb, 'GET', `${sb.sandboxUrl}/state`);
    expect(state.body.passes).toEqual([]);
    // The refusal is logged under the app's service principal.
    const oid = String(decodeJwt(token).oid);
    expect(
      state.body.graphLog.filter((l: { callerOid: string }) => l.callerOid === oid).length,
    ).toBeGreaterThan(0);
  });

  it('creates a pass with an app token only with UserAuthMethod-TAP.ReadWrite.All (no role, no target rule)', async () => {
    const writer = await startSandbox({
      fixture: (f) => {
        f.apps[1]!.consentedApplicationPermissions = ['UserAuthMethod-TAP.ReadWrite.All'];
        f.apps[2]!.consentedApplicationPermissions = ['UserAuthMethod-TAP.Read.All'];
      },
    });
    try {
      const token = async (index: number) => {
        const a = writer.tenant.apps[index]!;
        const form = new URLSearchParams({
          grant_type: 'client_credentials',
          scope: graphDefault,
          client_id: a.appId,
          client_secret: a.clientSecret,
        });
        const result = await httpsJson(
          writer,
          'POST',
          `${writer.authorityHost}/${writer.tenantId}/oauth2/v2.0/token`,
          form.toString(),
          { 'Content-Type': 'application/x-www-form-urlencoded' },
        );
        return result.body.access_token as string;
      };
      const readOnly = await token(2);
      expect((await graphWithToken(writer, readOnly, 'POST', tapPath('frank@contoso.com'), {})).status).toBe(
        403,
      );
      expect((await graphWithToken(writer, readOnly, 'GET', tapPath('frank@contoso.com'))).status).toBe(200);
      const created = await graphWithToken(writer, await token(1), 'POST', tapPath('frank@contoso.com'), {});
      expect(created.status, created.text).toBe(201);
      expect(created.body.temporaryAccessPass).toEqual(expect.any(String));
    } finally {
      await writer.close();
    }
  });

  it('answers /me with 400 for app tokens and refuses user reads without User.Read.All, never crashing', async () => {
    const token = await appToken('TapDesk');
    for (const path of [
      '/me',
      '/me/transitiveMemberOf/microsoft.graph.directoryRole',
      `/me${tapPath('x').slice(8)}`,
    ]) {
      const result = await graphWithToken(sb, token, 'GET', path);
      expect(result.status, path).toBe(400);
      expect(result.body.error.message).toMatch(/only valid with delegated authentication flow/);
    }
    for (const path of [
      '/users',
      '/users/alice@contoso.com',
      '/users/alice@contoso.com/manager',
      '/users/alice@contoso.com/transitiveMemberOf/microsoft.graph.directoryRole',
      '/users/alice@contoso.com/transitiveMemberOf/microsoft.graph.group',
    ]) {
      const result = await graphWithToken(sb, token, 'GET', path);
      expect(result.status, path).toBe(403);
      expect(result.body.error.code, path).toBe('Authorization_RequestDenied');
    }
    const batch = await graphWithToken(sb, token, 'POST', '/$batch', {
      requests: [
        { id: '1', method: 'GET', url: policyPath },
        {
          id: '2',
          method: 'POST',
          url: tapPath('alice@contoso.com'),
          body: {},
          headers: { 'Content-Type': 'application/json' },
        },
      ],
    });
    expect(batch.status).toBe(200);
    const statuses = Object.fromEntries(
      (batch.body.responses as { id: string; status: number }[]).map((r) => [r.id, r.status]),
    );
    expect(statuses).toEqual({ '1': 200, '2': 403 });
  });
});

describe('delegated scopes (contract next-wave §1.2, §1.4, §1.5)', () => {
  it('creates, lists and deletes with UserAuthMethod-TAP.ReadWrite.All alone', async () => {
    const scopes = ['https://graph.microsoft.com/UserAuthMethod-TAP.ReadWrite.All'];
    const created = await graphAs(sb, 'dana@contoso.com', 'POST', tapPath('bob@contoso.com'), {}, scopes);
    expect(created.status, created.text).toBe(201);
    const listed = await graphAs(
      sb,
      'dana@contoso.com',
      'GET',
      tapPath('bob@contoso.com'),
      undefined,
      scopes,
    );
    expect(listed.body.value).toHaveLength(1);
    const deleted = await graphAs(
      sb,
      'dana@contoso.com',
      'DELETE',
      `${tapPath('bob@contoso.com')}/${created.body.id}`,
      undefined,
      scopes,
    );
    expect(deleted.status).toBe(204);
  });

  it('refuses a token without any TAP scope (403) even for an Authentication Administrator', async () => {
    const scopes = [
      'https://graph.microsoft.com/User.Read.All',
      'https://graph.microsoft.com/Policy.Read.All',
    ];
    const create = await graphAs(sb, 'dana@contoso.com', 'POST', tapPath('bob@contoso.com'), {}, scopes);
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('accessDenied');
    expect(
      (await graphAs(sb, 'dana@contoso.com', 'GET', tapPath('bob@contoso.com'), undefined, scopes)).status,
    ).toBe(403);
  });

  it('reads the TAP policy with Policy.Read.AuthenticationMethod for Global Reader roles only', async () => {
    const scopes = ['https://graph.microsoft.com/Policy.Read.AuthenticationMethod'];
    // Frank is a Global Administrator (a policy reader); Dana only an Authentication Administrator.
    expect((await graphAs(sb, 'frank@contoso.com', 'GET', policyPath, undefined, scopes)).status).toBe(200);
    expect((await graphAs(sb, 'dana@contoso.com', 'GET', policyPath, undefined, scopes)).status).toBe(403);
    const userOnly = ['https://graph.microsoft.com/User.Read.All'];
    expect((await graphAs(sb, 'frank@contoso.com', 'GET', policyPath, undefined, userOnly)).status).toBe(403);
  });
});
