import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphTapClient, type GraphCallRecord } from '../../src/graph/client.js';
import { GraphFailure } from '../../src/graph/failure.js';
import type { BatchCreateResult, UserLookup } from '../../src/graph/port.js';
import { dispatcherTrusting } from '../../src/http-json.js';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { admin, graphTokenFor, type Json } from '../helpers/sandbox-http.js';

const dana = 'dana@contoso.com';
const bobId = '55b40da7-cc05-558a-8a55-22fc4a479f14';
const harryId = '17a549e4-9af1-5e81-b69a-f0108a454dc6';
const judy = 'judy_fabrikam.com#EXT#@contoso.com';
const globalAdmin = '62e90394-69f5-4237-9190-012177145e10';
const helpdeskAdmin = '729827e3-9c14-49f7-bb1b-9608f156bbb8';

let sb: SandboxHandle;
let dispatcher: Dispatcher | undefined;
let token: string;
beforeAll(async () => {
  sb = await startSandbox();
  dispatcher = dispatcherTrusting(sb.caPem);
  token = await graphTokenFor(sb, dana);
});
afterAll(async () => {
  await dispatcher?.close();
  await sb?.close();
});
beforeEach(async () => {
  await admin(sb, 'POST', '/reset');
});

function client(calls: GraphCallRecord[] = []) {
  return new GraphTapClient(token, { baseUrl: sb.graphBaseUrl, dispatcher, onCall: (c) => calls.push(c) });
}
const state = async () => (await admin(sb, 'GET', '/state')).body as Json;
const batchLog = (s: Json) => s.graphLog.filter((l: Json) => l.path === '/v1.0/$batch');
const failureOf = (r: UserLookup | BatchCreateResult) => (r.ok ? undefined : r.failure);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('GraphTapClient.lookupUsers', () => {
  const keys = [
    'alice@contoso.com',
    bobId,
    'nobody@contoso.com',
    'frank@contoso.com',
    judy,
    'Carol@Contoso.com',
    harryId,
    'erin@contoso.com',
    'leo@contoso.com',
    'kim@contoso.com',
  ];

  it('reads 10 users and their roles in one $batch POST, in input order', async () => {
    const calls: GraphCallRecord[] = [];
    const results = await client(calls).lookupUsers(keys);
    expect(calls.map((c) => [c.method, c.url, c.status])).toEqual([
      ['POST', `${sb.graphBaseUrl}/$batch`, 200],
    ]);
    expect((calls[0]?.requestBody as Json).requests).toHaveLength(20);
    const s = await state();
    expect(batchLog(s)).toHaveLength(1);
    // Every item ran as its own operation, user and roles by the same key.
    expect(s.graphLog.filter((l: Json) => l.path !== '/v1.0/$batch')).toHaveLength(20);

    expect(results.map((r) => r.key)).toEqual(keys);
    expect(results.every((r) => r.ok)).toBe(true);
    const [alice, bob, nobody, frank, guest, carol, harry, erin, leo] = results as Extract<
      UserLookup,
      { ok: true }
    >[];
    expect(alice?.user).toMatchObject({ userPrincipalName: 'alice@contoso.com', userType: 'Member' });
    expect(alice?.roles).toEqual([]);
    expect(bob?.user?.id).toBe(bobId);
    expect(nobody).toEqual({ key: 'nobody@contoso.com', ok: true, user: null, roles: [] });
    expect(frank?.roles.map((r) => r.roleTemplateId)).toEqual([globalAdmin]);
    expect(guest?.user).toMatchObject({ userPrincipalName: judy, userType: 'Guest' });
    expect(carol?.user?.userPrincipalName).toBe('carol@contoso.com');
    expect(harry?.roles).toMatchObject([
      { roleTemplateId: helpdeskAdmin, displayName: 'Helpdesk Administrator' },
    ]);
    expect(erin?.roles).toHaveLength(1);
    expect(leo?.user?.accountEnabled).toBe(false);
  });

  it('gives the same answers as getUser and getRoles one by one', async () => {
    const graph = client();
    const results = await graph.lookupUsers(keys);
    for (const result of results) {
      if (!result.ok) throw result.failure;
      expect(result.user).toEqual(await graph.getUser(result.key));
      if (result.user) expect(result.roles).toEqual(await graph.getRoles(result.key));
    }
  });

  it('accepts a UPN key for directory roles (sandbox route check)', async () => {
    expect((await client().getRoles('frank@contoso.com')).map((r) => r.roleTemplateId)).toEqual([
      globalAdmin,
    ]);
    expect(await client().getRoles(judy)).toEqual([]);
  });

  it('returns per-key 429s with Retry-After instead of retrying them', async () => {
    await admin(sb, 'POST', '/faults', { failRate: 1, failStatus: 429 });
    const calls: GraphCallRecord[] = [];
    const results = await client(calls).lookupUsers(keys.slice(0, 3));
    expect(calls).toHaveLength(1);
    for (const result of results) {
      expect(result.ok).toBe(false);
      expect(failureOf(result)).toMatchObject({ status: 429, code: 'TooManyRequests', retryAfterSeconds: 1 });
      expect(failureOf(result)).toBeInstanceOf(GraphFailure);
    }
    expect(batchLog(await state())).toHaveLength(1);
  });
});

describe('GraphTapClient.lookupManagers', () => {
  it('reads managers in one $batch POST: someone managed by Carol, someone with no manager, nobody', async () => {
    const calls: GraphCallRecord[] = [];
    const alice = sb.tenant.users.find((u) => u.userPrincipalName === 'alice@contoso.com')!;
    const results = await client(calls).lookupManagers([
      alice.id,
      harryId,
      '00000000-0000-4000-8000-000000000000',
    ]);
    expect(results.map((r) => (r.ok ? (r.manager?.userPrincipalName ?? null) : r.failure.status))).toEqual([
      'carol@contoso.com',
      null,
      null,
    ]);
    expect(calls.map((c) => c.url.replace(sb.graphBaseUrl, ''))).toEqual(['/$batch']);
  });
});

describe('GraphTapClient.createTaps', () => {
  const body = { lifetimeInMinutes: 60, isUsableOnce: true };

  it('creates one pass per user in one $batch POST and reports per-item refusals', async () => {
    const calls: GraphCallRecord[] = [];
    const users = [
      'alice@contoso.com',
      bobId,
      'carol@contoso.com',
      'kim@contoso.com',
      'frank@contoso.com',
      judy,
    ];
    const results = await client(calls).createTaps(users.map((userId) => ({ userId, body })));

    expect(results.map((r) => r.userId)).toEqual(users);
    const created = results.slice(0, 4);
    for (const result of created) {
      expect(result.ok).toBe(true);
      if (result.ok) {
        expect(result.pass.temporaryAccessPass).toMatch(/\S{8,}/);
        expect(result.pass).toMatchObject({ lifetimeInMinutes: 60, isUsableOnce: true });
      }
    }
    expect(failureOf(results[4]!)).toMatchObject({ status: 403, outcomeUnknown: false });
    expect(failureOf(results[5]!)).toMatchObject({ status: 400, outcomeUnknown: false });

    const s = await state();
    expect(batchLog(s)).toHaveLength(1);
    const passes = s.passes as Json[];
    expect(passes).toHaveLength(4);
    const upns = ['alice@contoso.com', 'bob@contoso.com', 'carol@contoso.com', 'kim@contoso.com'];
    created.forEach((result, i) => {
      const mine = passes.filter((p) => p.userPrincipalName === upns[i]);
      expect(mine).toHaveLength(1);
      if (result.ok) expect(mine[0].passSha256).toBe(sha256(result.pass.temporaryAccessPass));
    });

    // Telemetry saw one POST whose logged body holds the requests but never a pass code.
    expect(calls.map((c) => [c.method, c.url, c.status])).toEqual([
      ['POST', `${sb.graphBaseUrl}/$batch`, 200],
    ]);
    expect((calls[0]?.requestBody as Json).requests[0]).toEqual({
      id: 'c0',
      method: 'POST',
      url: '/users/alice%40contoso.com/authentication/temporaryAccessPassMethods',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    const logged = JSON.stringify(calls);
    for (const result of created)
      if (result.ok) expect(logged).not.toContain(result.pass.temporaryAccessPass);
  });

  it('reports injected 429s per item with Retry-After 1 and creates nothing', async () => {
    await admin(sb, 'POST', '/faults', { failRate: 1, failStatus: 429 });
    const calls: GraphCallRecord[] = [];
    const results = await client(calls).createTaps(
      ['alice@contoso.com', 'bob@contoso.com', 'carol@contoso.com'].map((userId) => ({ userId, body })),
    );
    for (const result of results) {
      expect(result.ok).toBe(false);
      expect(failureOf(result)).toMatchObject({ status: 429, retryAfterSeconds: 1, outcomeUnknown: false });
    }
    expect(calls).toHaveLength(1);
    const s = await state();
    expect(s.passes).toEqual([]);
    expect(batchLog(s)).toHaveLength(1);
  });

  it('reports the write limit per item with Retry-After 60 and creates nothing', async () => {
    await admin(sb, 'POST', '/faults', { writeLimitPerMinute: 0 });
    const results = await client().createTaps([
      { userId: 'alice@contoso.com', body },
      { userId: 'bob@contoso.com', body: {} },
    ]);
    expect(results.map(failureOf)).toMatchObject([
      { status: 429, code: 'TooManyRequests', retryAfterSeconds: 60 },
      { status: 429, code: 'TooManyRequests', retryAfterSeconds: 60 },
    ]);
    expect((await state()).passes).toEqual([]);
  });

  it('keeps results in input order when only some items pass the write limit', async () => {
    await admin(sb, 'POST', '/faults', { writeLimitPerMinute: 2 });
    const results = await client().createTaps(
      ['alice@contoso.com', 'bob@contoso.com', 'carol@contoso.com'].map((userId) => ({ userId, body })),
    );
    expect(results.map((r) => [r.userId, r.ok])).toEqual([
      ['alice@contoso.com', true],
      ['bob@contoso.com', true],
      ['carol@contoso.com', false],
    ]);
    expect(failureOf(results[2]!)?.status).toBe(429);
    expect((await state()).passes.map((p: Json) => p.userPrincipalName).sort()).toEqual([
      'alice@contoso.com',
      'bob@contoso.com',
    ]);
  });

  it('refuses bad input with an Error before sending anything', async () => {
    const calls: GraphCallRecord[] = [];
    const graph = client(calls);
    const many = Array.from({ length: 21 }, (_, i) => ({ userId: `user${i}@contoso.com`, body }));
    await expect(graph.createTaps(many)).rejects.toThrow(/at most 20/);
    await expect(graph.createTaps([])).rejects.toThrow(Error);
    await expect(
      graph.createTaps([
        { userId: 'alice@contoso.com', body },
        { userId: 'ALICE@contoso.com', body },
      ]),
    ).rejects.toThrow(/Duplicate user id/);
    await expect(
      graph.lookupUsers(Array.from({ length: 11 }, (_, i) => `u${i}@contoso.com`)),
    ).rejects.toThrow(/at most 10/);
    await expect(graph.lookupUsers([])).rejects.toThrow(Error);
    await expect(graph.createTaps(many)).rejects.not.toBeInstanceOf(GraphFailure);
    expect(calls).toEqual([]);
    expect((await state()).graphLog).toEqual([]);
  });
});

describe('a failure of the whole $batch POST', () => {
  let server: Server;
  let mode: 'unavailable' | 'hangUp' = 'unavailable';
  let received = 0;
  let baseUrl = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      received++;
      req.resume();
      if (mode === 'hangUp') {
        req.socket.destroy();
        return;
      }
      // Retry-After 0 so that a retrying client would retry at once (and be counted).
      res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '0' });
      res.end(JSON.stringify({ error: { code: 'serviceNotAvailable', message: 'Try later' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received = 0;
  });

  const outside = () => new GraphTapClient('token', { baseUrl });
  const creates = [{ userId: 'alice@contoso.com', body: {} }];

  it('throws a 503 GraphFailure with outcomeUnknown after exactly one request', async () => {
    mode = 'unavailable';
    const outcome = outside().createTaps(creates);
    await expect(outcome).rejects.toBeInstanceOf(GraphFailure);
    await expect(outcome).rejects.toMatchObject({ status: 503, outcomeUnknown: true });
    expect(received).toBe(1);
    await expect(outside().lookupUsers(['alice@contoso.com'])).rejects.toMatchObject({ status: 503 });
    expect(received).toBe(2);
  });

  it('throws a status 0 GraphFailure when the connection drops, without retrying', async () => {
    mode = 'hangUp';
    const outcome = outside().createTaps(creates);
    await expect(outcome).rejects.toBeInstanceOf(GraphFailure);
    await expect(outcome).rejects.toMatchObject({ status: 0, outcomeUnknown: true });
    expect(received).toBe(1);
  });

  it('throws a status 0 GraphFailure for an aborted signal and sends nothing', async () => {
    const outcome = outside().createTaps(creates, AbortSignal.abort());
    await expect(outcome).rejects.toBeInstanceOf(GraphFailure);
    await expect(outcome).rejects.toMatchObject({ status: 0, outcomeUnknown: true });
    expect(received).toBe(0);
  });
});
