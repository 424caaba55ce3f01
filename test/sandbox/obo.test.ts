import { OnBehalfOfCredential, type AuthorityValidationOptions } from '@azure/identity';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_SCOPES } from '../../src/config.js';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { graphWithToken, msalNetworkClient, postOboForm, sandboxAgent } from '../helpers/sandbox-http.js';

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());

const graphScope = 'https://graph.microsoft.com/.default';

/** An unmodified OnBehalfOfCredential pointed at the sandbox and trusting its CA via tlsOptions. */
function credential(userAssertionToken: string, clientSecret = sb.app.clientSecret) {
  // The overloads omit disableInstanceDiscovery; spreading a typed object is the documented way in.
  const authority: AuthorityValidationOptions = { disableInstanceDiscovery: true };
  return new OnBehalfOfCredential({
    tenantId: sb.tenantId,
    clientId: sb.app.appId,
    clientSecret,
    userAssertionToken,
    authorityHost: sb.authorityHost,
    tlsOptions: { ca: sb.caPem },
    ...authority,
  });
}

describe('@azure/identity OnBehalfOfCredential', () => {
  it('exchanges an SSO assertion for a Graph token that Graph accepts', async () => {
    const token = await credential(await sb.ssoToken('dana@contoso.com')).getToken(graphScope);
    const claims = decodeJwt(token.token);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      upn: 'dana@contoso.com',
      tid: sb.tenantId,
      appid: sb.app.appId,
    });
    expect(String(claims.scp).split(' ')).toEqual(
      expect.arrayContaining(['UserAuthenticationMethod.ReadWrite.All', 'User.Read.All']),
    );
    const me = await graphWithToken(sb, token.token, 'GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body.userPrincipalName).toBe('dana@contoso.com');
  });

  it('also works with an https.Agent carrying the CA', async () => {
    const authority: AuthorityValidationOptions = { disableInstanceDiscovery: true };
    const cred = new OnBehalfOfCredential({
      tenantId: sb.tenantId,
      clientId: sb.app.appId,
      clientSecret: sb.app.clientSecret,
      userAssertionToken: await sb.ssoToken('erin@contoso.com'),
      authorityHost: sb.authorityHost,
      agent: sandboxAgent(sb),
      ...authority,
    });
    expect((await cred.getToken(graphScope)).token).toMatch(/^ey/);
  });

  it('fails with AADSTS7000215 for a wrong client secret', async () => {
    const cred = credential(await sb.ssoToken('dana@contoso.com'), 'wrong-secret');
    await expect(cred.getToken(graphScope)).rejects.toThrow(/AADSTS7000215|invalid_client/);
  });

  it('fails with AADSTS500133 for an expired assertion', async () => {
    const expired = await sb.ssoToken('dana@contoso.com', { lifetimeSeconds: -3600 });
    await expect(credential(expired).getToken(graphScope)).rejects.toThrow(/AADSTS500133/);
  });

  it('fails with AADSTS50013 for an assertion meant for another audience', async () => {
    const other = await sb.ssoToken('dana@contoso.com', { audience: 'api://localhost/botid-someone-else' });
    await expect(credential(other).getToken(graphScope)).rejects.toThrow(/AADSTS50013/);
  });

  it("issues exactly TapDesk's least-privilege GRAPH_SCOPES, and .default gives only consented scopes", async () => {
    const cred = credential(await sb.ssoToken('dana@contoso.com'));
    const least = decodeJwt((await cred.getToken(GRAPH_SCOPES)).token);
    expect(String(least.scp).split(' ').sort()).toEqual(
      GRAPH_SCOPES.map((s) => s.replace('https://graph.microsoft.com/', '')).sort(),
    );
    const all = decodeJwt(
      (await credential(await sb.ssoToken('erin@contoso.com')).getToken(graphScope)).token,
    );
    expect(String(all.scp).split(' ').sort()).toEqual([...sb.app.consentedDelegatedScopes].sort());
    expect(all.roles).toBeUndefined();
  });

  it('fails with AADSTS65001 for a scope the app has no consent for', async () => {
    const cred = credential(await sb.ssoToken('dana@contoso.com'));
    await expect(cred.getToken('https://graph.microsoft.com/Directory.ReadWrite.All')).rejects.toThrow(
      /AADSTS65001/,
    );
  });
});

describe('@azure/msal-node ConfidentialClientApplication', () => {
  it('acquires a token on behalf of the user through a CA-trusting network client', async () => {
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: sb.app.appId,
        clientSecret: sb.app.clientSecret,
        authority: `${sb.authorityHost}/${sb.tenantId}`,
        // A known authority skips instance discovery (msal-node 7 has no disableInstanceDiscovery).
        knownAuthorities: [new URL(sb.authorityHost).host],
      },
      system: { networkClient: msalNetworkClient(sb) },
    });
    const result = await app.acquireTokenOnBehalfOf({
      oboAssertion: await sb.ssoToken('frank@contoso.com'),
      scopes: ['https://graph.microsoft.com/User.Read.All'],
    });
    expect(result?.account?.username).toBe('frank@contoso.com');
    expect(result?.account?.homeAccountId).toBe(`5a3ba95c-de45-512d-8656-3546913d1a1a.${sb.tenantId}`);
    const claims = decodeJwt(result?.accessToken ?? '');
    expect(claims.scp).toBe('User.Read.All');
    expect((await graphWithToken(sb, result?.accessToken, 'GET', '/users/alice@contoso.com')).status).toBe(
      200,
    );
  });
});

describe('token endpoint errors (raw form posts)', () => {
  it('answers Entra-shaped errors', async () => {
    const assertion = await sb.ssoToken('dana@contoso.com');
    const unknownClient = await postOboForm(sb, {
      assertion,
      client_id: '11111111-1111-1111-1111-111111111111',
    });
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.body).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    const badSecret = await postOboForm(sb, { assertion, client_secret: 'nope' });
    expect(badSecret.status).toBe(401);
    expect(badSecret.body.error).toBe('invalid_client');
    expect(badSecret.body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);
    for (const key of ['timestamp', 'trace_id', 'correlation_id']) expect(badSecret.body[key]).toBeTruthy();
    // client_credentials is a grant of its own (client-credentials.test.ts); a password grant is not.
    const grant = await postOboForm(sb, { assertion, grant_type: 'password' });
    expect(grant.body).toMatchObject({ error: 'unsupported_grant_type', error_codes: [70003] });
  });

  it('strips OIDC scopes and grants a bare delegated scope', async () => {
    const result = await postOboForm(sb, {
      assertion: await sb.ssoToken('dana@contoso.com'),
      scope: 'openid profile offline_access User.Read',
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    expect(decodeJwt(result.body.access_token).scp).toBe('User.Read');
    expect(JSON.parse(Buffer.from(result.body.client_info, 'base64url').toString())).toEqual({
      uid: 'c471bfec-d2bc-5963-9e7f-ca1e2725a30d',
      utid: sb.tenantId,
    });
    expect(decodeJwt(result.body.id_token).aud).toBe(sb.app.appId);
  });

  it('refuses a disabled account', async () => {
    const result = await postOboForm(sb, { assertion: await sb.ssoToken('leo@contoso.com') });
    expect(result.body.error_codes).toEqual([50057]);
  });
});
