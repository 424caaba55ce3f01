// The sandbox's Verified ID Request Service: its app-only token check, the request validation, the 201
// answer, and the callbacks it sends when a test plays the person's phone.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { admin, httpsJson, type HttpResult, type Json } from '../helpers/sandbox-http.js';

const RESOURCE = '3db474b9-6a0c-4840-96ac-1fceb342124f';
let sb: SandboxHandle;
let receiver: Server;
let callbackUrl: string;
let received: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
let answerWith = 200;

beforeAll(async () => {
  sb = await startSandbox();
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
      res.statusCode = answerWith;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/verified-id/callback`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await sb.close();
});
beforeEach(() => {
  received = [];
  answerWith = 200;
});

const app = (name: string) => sb.tenant.apps.find((a) => a.displayName.startsWith(name))!;

async function tokenFor(name: string, scope = `${RESOURCE}/.default`): Promise<string> {
  const a = app(name);
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: a.appId,
    client_secret: a.clientSecret,
    scope,
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

function requestBody(
  overrides: Record<string, unknown> = {},
  mail = 'alice@contoso.com',
): Record<string, unknown> {
  return {
    authority: 'did:web:verifiedid.contoso.com',
    includeQRCode: true,
    includeReceipt: false,
    registration: { clientName: 'TapDesk', purpose: 'Prove it is you' },
    callback: { url: callbackUrl, state: 'state-1', headers: { 'api-key': 'the-callback-secret' } },
    requestedCredentials: [
      {
        type: 'VerifiedEmployee',
        acceptedIssuers: ['did:web:verifiedid.contoso.com'],
        configuration: {
          validation: {
            allowRevoked: false,
            validateLinkedDomain: true,
            faceCheck: { sourcePhotoClaimName: 'photo', matchConfidenceThreshold: 70 },
          },
        },
        constraints: [{ claimName: 'mail', values: [mail] }],
      },
    ],
    ...overrides,
  };
}

async function create(body: unknown, token?: string, version = 'v1.0'): Promise<HttpResult> {
  return httpsJson(
    sb,
    'POST',
    `${sb.origin}/${version}/verifiableCredentials/createPresentationRequest`,
    body,
    {
      Authorization: `Bearer ${token ?? (await tokenFor('TapDesk'))}`,
    },
  );
}

describe('Verified ID Request Service: the token check', () => {
  it('gives TapDesk an app-only token for the Request Service with its presentation role only', async () => {
    const token = await tokenFor('TapDesk');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims.aud).toBe(RESOURCE);
    expect(claims.roles).toEqual(['VerifiableCredential.Create.PresentRequest']);
    expect(claims.idtyp).toBe('app');
  });

  it('refuses a missing token, a Graph token and a token without a presentation role', async () => {
    const none = await httpsJson(
      sb,
      'POST',
      `${sb.origin}/v1.0/verifiableCredentials/createPresentationRequest`,
      requestBody(),
    );
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    expect(none.body.error.innererror.code).toBe('tokenError');
    const graph = await create(
      requestBody(),
      await tokenFor('TapDesk', 'https://graph.microsoft.com/.default'),
    );
    expect(graph.status).toBe(401);
    const noRole = await create(requestBody(), await tokenFor('ServiceNow'));
    expect(noRole.status).toBe(403);
    expect(noRole.body.error.code).toBe('forbidden');
    expect(noRole.body.error.message).toBe('Missing permissions to fulfill this request.');
  });
});

describe('Verified ID Request Service: createPresentationRequest', () => {
  it('answers 201 with requestId, url, expiry and the QR code only when asked, on /v1.0 and /beta', async () => {
    const withQr = await create(requestBody());
    expect(withQr.status, withQr.text).toBe(201);
    expect(withQr.body.url).toMatch(
      /^openid-vc:\/\/\?request_uri=https:\/\/127\.0\.0\.1:\d+\/v1\.0\/.+\/presentationRequests\//,
    );
    expect(withQr.body.url).toContain(withQr.body.requestId);
    expect(withQr.body.qrCode).toMatch(/^data:image\/png;base64,/);
    expect(withQr.body.expiry).toBeGreaterThan(Date.now() / 1000);
    const beta = await create(requestBody({ includeQRCode: false }), undefined, 'beta');
    expect(beta.status).toBe(201);
    expect(beta.body).not.toHaveProperty('qrCode');
  });

  it.each([
    ['callback missing', { callback: undefined }, 'callback'],
    [
      'callback url not HTTPS',
      { callback: { url: 'http://tapdesk.example/cb', headers: {} } },
      'callback.url',
    ],
    [
      'another callback header',
      { callback: { url: 'https://tapdesk.example/cb', headers: { 'x-secret': 's' } } },
      'callback.headers',
    ],
    ['a receipt with faceCheck', { includeReceipt: true }, 'includeReceipt'],
    ['includeQRCode not a boolean', { includeQRCode: 'yes' }, 'includeQRCode'],
    ['another authority', { authority: 'did:web:fabrikam.com' }, 'authority'],
  ])('refuses %s with badOrMissingField and its target', async (_name, overrides, target) => {
    const result = await create(requestBody(overrides));
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('badRequest');
    expect(result.body.error.innererror).toMatchObject({ code: 'badOrMissingField', target });
  });

  it.each([
    [{ sourcePhotoClaimName: 'photo', matchConfidenceThreshold: 49 }, 'matchConfidenceThreshold'],
    [{ sourcePhotoClaimName: 'photo', matchConfidenceThreshold: 101 }, 'matchConfidenceThreshold'],
    [{ matchConfidenceThreshold: 70 }, 'sourcePhotoClaimName'],
  ])('refuses faceCheck %j', async (faceCheck, field) => {
    const body = requestBody();
    const cred = (body.requestedCredentials as Record<string, unknown>[])[0]!;
    cred.configuration = { validation: { faceCheck } };
    const result = await create(body);
    expect(result.status).toBe(400);
    expect(String(result.body.error.innererror.target)).toMatch(new RegExp(`faceCheck\\.${field}$`));
  });
});

describe('Verified ID Request Service: the phone and the callbacks', () => {
  const present = (body: Record<string, unknown>) => admin(sb, 'POST', '/verified-id/present', body);

  it('a score at or above the threshold: request_retrieved, then presentation_verified with the claims and the score', async () => {
    const { body: created } = await create(requestBody());
    const played = await present({ requestId: created.requestId, score: 87 });
    expect(played.status, played.text).toBe(200);
    expect(played.body.callbacks).toEqual([
      { requestStatus: 'request_retrieved', httpStatus: 200 },
      { requestStatus: 'presentation_verified', httpStatus: 200 },
    ]);
    expect(received.map((r) => r.body.requestStatus)).toEqual(['request_retrieved', 'presentation_verified']);
    for (const r of received) {
      expect(r.headers['api-key']).toBe('the-callback-secret');
      expect(r.body).toMatchObject({ requestId: created.requestId, state: 'state-1' });
    }
    const data = (received[1]!.body.verifiedCredentialsData as Record<string, Json>[])[0]!;
    expect(data.type).toEqual(['VerifiableCredential', 'VerifiedEmployee']);
    expect(data.claims.mail).toBe('alice@contoso.com');
    expect(data.faceCheck.matchConfidenceScore).toBe(87);
    expect(data.credentialState).toEqual({ revocationStatus: 'VALID' });
  });

  it('a score below the threshold fails the whole presentation, without the score', async () => {
    const { body: created } = await create(requestBody());
    await present({ requestId: created.requestId, score: 69 });
    expect(received[1]!.body.requestStatus).toBe('presentation_error');
    expect(received[1]!.body.error).toEqual({
      code: 'claimValidationError',
      message: 'Match confidence score failing to meet the threshold.',
    });
    // The score is nowhere in the callback: no field carries it (ids are random, so no substring check).
    const rest: Record<string, unknown> = { ...(received[1]!.body as Record<string, unknown>) };
    delete rest.requestId;
    expect(Object.keys(rest).sort()).toEqual(['error', 'requestStatus', 'state']);
    expect(JSON.stringify(rest)).not.toContain('69');
  });

  it("another person's credential fails the constraint; someone without a credential cannot present", async () => {
    const { body: created } = await create(requestBody());
    await present({ requestId: created.requestId, score: 95, holder: 'bob@contoso.com' });
    expect(received[1]!.body.requestStatus).toBe('presentation_error');
    expect(received[1]!.body).not.toHaveProperty('verifiedCredentialsData');
    const { body: other } = await create(requestBody());
    const dana = await present({ requestId: other.requestId, score: 95, holder: 'dana@contoso.com' });
    expect(dana.status).toBe(409);
  });

  it('an error from the phone, a second answer and an expired request', async () => {
    const { body: created } = await create(requestBody());
    await present({ requestId: created.requestId, error: 'userCanceled' });
    expect(received[1]!.body).toMatchObject({
      requestStatus: 'presentation_error',
      error: { code: 'userCanceled' },
    });
    expect((await present({ requestId: created.requestId, score: 90 })).status).toBe(409);
    const { body: late } = await create(requestBody());
    sb.clock.advanceMinutes(6);
    try {
      expect((await present({ requestId: late.requestId, score: 90 })).status).toBe(409);
    } finally {
      sb.clock.advanceMinutes(-6);
    }
    expect((await present({ requestId: late.requestId })).status).toBe(400);
  });

  it('records the callbacks the verifier answered, and shows the state without the callback secret', async () => {
    answerWith = 401;
    const { body: created } = await create(requestBody());
    await present({ requestId: created.requestId, score: 80 });
    const state = await admin(sb, 'GET', '/state');
    const shown = (state.body.presentations as Record<string, Json>[]).find(
      (p) => p.requestId === created.requestId,
    )!;
    expect(shown).toMatchObject({
      status: 'presentation_verified',
      callbackHeaderNames: ['api-key'],
      faceCheck: { sourcePhotoClaimName: 'photo', matchConfidenceThreshold: 70 },
      constraints: [{ claimName: 'mail', values: ['alice@contoso.com'] }],
      callbacks: [
        { requestStatus: 'request_retrieved', httpStatus: 401 },
        { requestStatus: 'presentation_verified', httpStatus: 401 },
      ],
    });
    expect(state.text).not.toContain('the-callback-secret');
  });
});
