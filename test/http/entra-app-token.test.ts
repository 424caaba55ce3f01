// The request API's token check over a JWKS served on loopback: what Entra's docs ask an API called by
// daemons to verify, each refusal on its own, and the key cache's refetch on an unknown key id.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAppToken, type AppTokenRules } from '../../src/http/entra-app-token.js';
import { TenantKeys } from '../../src/http/tenant-keys.js';

const TENANT = '7c1f6a2e-0000-4000-8000-000000000001';
const API = 'e80c831c-776c-55ce-aec6-f90b910f57f0';
const CLIENT = '3658e7e7-d7a6-56a7-9fd4-c7c75344a5c2';
const ISSUER = `https://login.example/${TENANT}/v2.0`;
const rules: AppTokenRules = {
  tenantId: TENANT,
  issuer: ISSUER,
  audience: API,
  clients: new Map([[CLIENT, 'ServiceNow']]),
};

type Key = Awaited<ReturnType<typeof generateKeyPair>>;
let server: Server;
let url: string;
let published: Key[] = [];
let fetches = 0;
let failing = false;
let signing: Key;
let rolled: Key;

beforeAll(async () => {
  signing = await generateKeyPair('RS256');
  rolled = await generateKeyPair('RS256');
  published = [signing];
  server = createServer((_req, res) => {
    fetches += 1;
    if (failing) {
      res.statusCode = 503;
      res.end();
      return;
    }
    void Promise.all(
      published.map(async (k, i) => ({ ...(await exportJWK(k.publicKey)), kid: `k${i}`, alg: 'RS256' })),
    ).then((keys) => res.end(JSON.stringify({ keys })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const base: JWTPayload = { tid: TENANT, azp: CLIENT, idtyp: 'app', roles: ['TapDesk.Request'] };

function sign(
  claims: JWTPayload = {},
  opts: { key?: Key; kid?: string; aud?: string; iss?: string; exp?: number } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...base, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'k0' })
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? API)
    .setIssuedAt(now)
    .setExpirationTime(opts.exp ?? now + 3600)
    .sign((opts.key ?? signing).privateKey);
}

const check = async (token: string, keys = new TenantKeys(url)) =>
  checkAppToken(`Bearer ${token}`, rules, keys);

describe('checkAppToken', () => {
  it('accepts an app token of the tenant, for TapDesk, with the role, from an allowed client', async () => {
    expect(await check(await sign())).toEqual({ ok: true, clientId: CLIENT, name: 'ServiceNow' });
  });

  it.each([
    ['wrong audience', { aud: 'https://graph.microsoft.com' }, {}],
    ['wrong issuer', { iss: `https://sts.windows.net/${TENANT}/` }, {}],
    ['expired', { exp: Math.floor(Date.now() / 1000) - 600 }, {}],
    ['wrong tenant', {}, { tid: '00000000-0000-4000-8000-000000000000' }],
    ['not an app-only token', {}, { scp: 'access_as_user' }],
    ['not an app-only token', {}, { idtyp: 'user' }],
  ])('401 %s', async (reason, opts, claims) => {
    expect(await check(await sign(claims, opts))).toMatchObject({ ok: false, status: 401, reason });
  });

  it('401 for a token signed by a key the tenant never published, for alg none, and without a Bearer token', async () => {
    const stranger = await generateKeyPair('RS256');
    expect(await check(await sign({}, { key: stranger }))).toMatchObject({
      status: 401,
      reason: 'bad signature',
    });
    const [, payload] = (await sign()).split('.');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    expect(await check(none)).toMatchObject({ status: 401 });
    expect(await checkAppToken(undefined, rules, new TenantKeys(url))).toMatchObject({
      status: 401,
      reason: 'no bearer token',
    });
    expect(await checkAppToken('Basic abc', rules, new TenantKeys(url))).toMatchObject({ status: 401 });
  });

  it('403 without the role or off the allow-list', async () => {
    expect(await check(await sign({ roles: [] }))).toMatchObject({
      status: 403,
      error: 'insufficient_scope',
    });
    expect(await check(await sign({ roles: ['Other.Role'] }))).toMatchObject({ status: 403 });
    expect(await check(await sign({ azp: '9e8d7c6b-5a49-4382-9160-f5e4d3c2b1a0' }))).toMatchObject({
      status: 403,
      reason: 'client not in REQUEST_API_CLIENTS',
    });
  });

  it('fetches the keys once, again when a token names a new key (a rollover), and answers 503 when none can be had', async () => {
    const keys = new TenantKeys(url);
    fetches = 0;
    await check(await sign(), keys);
    await check(await sign(), keys);
    expect(fetches).toBe(1);
    published = [signing, rolled];
    expect(await check(await sign({}, { key: rolled, kid: 'k1' }), keys)).toMatchObject({ ok: true });
    expect(fetches).toBe(2);
    // An unknown kid again within the cooldown does not fetch again.
    await check(await sign({}, { key: rolled, kid: 'k9' }), keys);
    expect(fetches).toBe(2);
    expect(await check(await sign(), new TenantKeys('http://127.0.0.1:1/keys'))).toMatchObject({
      status: 503,
    });
  });

  it('while the keys cannot be fetched, tokens are answered 503 without a fetch each, and a retry comes after ten seconds', async () => {
    let clock = 0;
    const keys = new TenantKeys(url, undefined, () => clock);
    failing = true;
    fetches = 0;
    try {
      for (let i = 0; i < 5; i++) expect(await check(await sign(), keys)).toMatchObject({ status: 503 });
      expect(fetches).toBe(1);
      clock = 11_000;
      failing = false;
      expect(await check(await sign(), keys)).toMatchObject({ ok: true });
      expect(fetches).toBe(2);
    } finally {
      failing = false;
    }
  });
});
