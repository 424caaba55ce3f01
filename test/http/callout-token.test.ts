// The custom extension callout token check over a JWKS served on loopback: both Entra issuers, the
// route's own caller only, and what Entra's docs ask a Logic App's policy to refuse.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCalloutToken, type CalloutTokenRules } from '../../src/extensions/callout-token.js';
import { TenantKeys } from '../../src/http/tenant-keys.js';

const TENANT = '7c1f6a2e-0000-4000-8000-000000000001';
const API = 'e80c831c-776c-55ce-aec6-f90b910f57f0';
const EM = '810dcf14-1858-4bf2-8134-4c369fa3235b';
const LCW = 'ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7';
const V2 = `https://login.example/${TENANT}/v2.0`;
const V1 = `https://sts.windows.net/${TENANT}/`;
const rules: CalloutTokenRules = { tenantId: TENANT, issuers: [V2, V1], audiences: [API], callerAppId: EM };

let server: Server;
let keys: TenantKeys;
let signing: Awaited<ReturnType<typeof generateKeyPair>>;

beforeAll(async () => {
  signing = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(signing.publicKey)), kid: 'k0', alg: 'RS256' };
  server = createServer((_req, res) => res.end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  keys = new TenantKeys(`http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`, undefined);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function sign(claims: JWTPayload = {}, opts: { aud?: string; iss?: string; exp?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tid: TENANT, azp: EM, appid: EM, idtyp: 'app', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k0' })
    .setIssuer(opts.iss ?? V2)
    .setAudience(opts.aud ?? API)
    .setIssuedAt(now - 60)
    .setExpirationTime(opts.exp ?? now + 600)
    .sign(signing.privateKey);
}

const check = async (token: string | undefined) =>
  checkCalloutToken(token === undefined ? undefined : `Bearer ${token}`, rules, keys);

describe('checkCalloutToken', () => {
  it('accepts Entitlement Management’s v2 token, and a v1 token naming it only by appid', async () => {
    expect(await check(await sign())).toEqual({ ok: true, callerAppId: EM });
    const v1 = await sign({ azp: undefined, ver: '1.0' }, { iss: V1 });
    expect(await check(v1)).toEqual({ ok: true, callerAppId: EM });
  });

  it('refuses each on its own: none, another audience, issuer, tenant, expired, a person’s, another app', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await check(undefined)).toMatchObject({ status: 401, reason: 'no bearer token' });
    expect(await check(await sign({}, { aud: 'https://graph.microsoft.com' }))).toMatchObject({
      status: 401,
      reason: 'wrong audience',
    });
    expect(await check(await sign({}, { iss: 'https://login.example/other/v2.0' }))).toMatchObject({
      reason: 'wrong issuer',
    });
    expect(await check(await sign({ tid: 'other' }))).toMatchObject({ status: 401, reason: 'wrong tenant' });
    expect(await check(await sign({}, { exp: now - 600 }))).toMatchObject({ status: 401, reason: 'expired' });
    expect(await check(await sign({ scp: 'User.Read', idtyp: 'user' }))).toMatchObject({
      reason: 'not an app-only token',
    });
    // Lifecycle Workflows is Entra too, but not the caller of this route.
    expect(await check(await sign({ azp: LCW, appid: LCW }))).toMatchObject({ status: 403 });
  });
});
