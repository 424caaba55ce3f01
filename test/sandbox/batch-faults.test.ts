import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { admin, graphAs, type Json } from '../helpers/sandbox-http.js';

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(async () => {
  await admin(sb, 'POST', '/reset');
});

const dana = 'dana@contoso.com';
const tapUrl = (user: string) => `/users/${user}/authentication/temporaryAccessPassMethods`;
const createItem = (id: string, user = 'alice@contoso.com', extra: object = {}) => ({
  id,
  method: 'POST',
  url: `/v1.0${tapUrl(user)}`,
  headers: { 'Content-Type': 'application/json' },
  body: {},
  ...extra,
});
const batch = (requests: unknown[]) => graphAs(sb, dana, 'POST', '/$batch', { requests });
const byId = (body: Json, id: string) => body.responses.find((r: Json) => r.id === id);

describe('$batch', () => {
  it('runs items through the same handlers, with or without /v1.0', async () => {
    const result = await batch([
      createItem('1'),
      { id: '2', method: 'GET', url: '/users/frank@contoso.com?$select=displayName' },
      { id: '3', method: 'GET', url: 'me' },
      createItem('4', 'frank@contoso.com'),
    ]);
    expect(result.status).toBe(200);
    expect(byId(result.body, '1')).toMatchObject({ status: 201, body: { isUsable: true } });
    expect(byId(result.body, '2')).toMatchObject({ status: 200, body: { displayName: 'Frank Ortiz' } });
    expect(byId(result.body, '3').body.userPrincipalName).toBe(dana);
    expect(byId(result.body, '4')).toMatchObject({ status: 403, body: { error: { code: 'accessDenied' } } });
    const state = await admin(sb, 'GET', '/state');
    expect(state.body.graphLog.map((l: Json) => l.path)).toEqual(
      expect.arrayContaining(['/v1.0/$batch', `/v1.0${tapUrl('frank@contoso.com')}`]),
    );
  });

  it('refuses more than 20 requests and duplicate ids', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' }));
    expect((await batch(many)).status).toBe(400);
    expect((await batch(many.slice(0, 20))).status).toBe(200);
    const duplicate = await batch([
      { id: 'a', method: 'GET', url: '/me' },
      { id: 'a', method: 'GET', url: '/me' },
    ]);
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.code).toBe('BadRequest');
  });

  it('needs Content-Type on items with a body and answers 424 when a dependency failed', async () => {
    const result = await batch([
      { id: 'noType', method: 'POST', url: tapUrl('alice@contoso.com'), body: {} },
      createItem('guest', 'judy_fabrikam.com%23EXT%23@contoso.com'),
      createItem('after', 'bob@contoso.com', { dependsOn: ['guest'] }),
      createItem('fine', 'kim@contoso.com', { dependsOn: ['noType'] }),
    ]);
    expect(byId(result.body, 'noType').status).toBe(400);
    expect(byId(result.body, 'guest').status).toBe(400);
    expect(byId(result.body, 'after').status).toBe(424);
    expect(byId(result.body, 'fine').status).toBe(424);
  });
});

describe('faults and throttling', () => {
  it('gives batch items their own 429 with Retry-After', async () => {
    await admin(sb, 'POST', '/faults', { writeLimitPerMinute: 5 });
    const result = await batch(Array.from({ length: 7 }, (_, i) => createItem(String(i))));
    const statuses = result.body.responses.map((r: Json) => r.status);
    expect(statuses.filter((s: number) => s === 201)).toHaveLength(5);
    const throttled = result.body.responses.filter((r: Json) => r.status === 429);
    expect(throttled).toHaveLength(2);
    for (const item of throttled) {
      expect(Number(item.headers['Retry-After'])).toBeGreaterThan(0);
      expect(item.body.error.code).toBe('TooManyRequests');
    }
  });

  it('lets a client that honours Retry-After complete every write', async () => {
    // 120 writes per minute = one token every 0.5 s, so three extra writes cost about 1.5 s.
    await admin(sb, 'POST', '/faults', { writeLimitPerMinute: 120 });
    for (let b = 0; b < 6; b++) {
      const full = await batch(
        Array.from({ length: 20 }, (_, i) => ({
          id: String(i),
          method: 'DELETE',
          url: `${tapUrl('bob@contoso.com')}/x${i}`,
        })),
      );
      expect(full.body.responses.every((r: Json) => r.status === 404)).toBe(true);
    }
    const waits: number[] = [];
    const throttlesPerWrite: number[] = [];
    for (let i = 0; i < 3; i++) {
      throttlesPerWrite.push(0);
      for (;;) {
        const result = await graphAs(sb, dana, 'POST', tapUrl('alice@contoso.com'), {});
        if (result.status !== 429) {
          expect(result.status).toBe(201);
          break;
        }
        throttlesPerWrite[i]! += 1;
        const retryAfter = Number(result.headers['retry-after']);
        expect(retryAfter).toBeGreaterThan(0);
        waits.push(retryAfter);
        await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
      }
    }
    expect(waits.length).toBeGreaterThan(0);
    // Honouring Retry-After once is always enough.
    expect(Math.max(...throttlesPerWrite)).toBeLessThanOrEqual(1);
    expect(Math.max(...waits)).toBeLessThanOrEqual(0.6);
  });

  it('injects seeded failures with a Graph envelope and Retry-After, reproducibly', async () => {
    const run = async () => {
      await admin(sb, 'POST', '/reset');
      await admin(sb, 'POST', '/faults', { failRate: 0.5, failStatus: 503 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const result = await graphAs(sb, dana, 'GET', '/me');
        if (result.status === 503) {
          expect(result.body.error.code).toBe('serviceNotAvailable');
          expect(result.headers['retry-after']).toBe('1');
        }
        statuses.push(result.status);
      }
      return statuses;
    };
    const first = await run();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  it('adds latency once per HTTP request and clears with {}', async () => {
    await admin(sb, 'POST', '/faults', { latencyMs: 150 });
    let started = performance.now();
    await batch([
      { id: '1', method: 'GET', url: '/me' },
      { id: '2', method: 'GET', url: '/me' },
      { id: '3', method: 'GET', url: '/me' },
    ]);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(590); // three items would take 450 ms if latency applied per item
    expect((await admin(sb, 'POST', '/faults', {})).body).toEqual({});
    // Without latency a call is quick: the fastest of three, so a busy machine's hiccup does not count.
    const plain: number[] = [];
    for (let i = 0; i < 3; i++) {
      started = performance.now();
      await graphAs(sb, dana, 'GET', '/me');
      plain.push(performance.now() - started);
    }
    expect(Math.min(...plain)).toBeLessThan(145);
  });
});

describe('write burst and write-only failures', () => {
  const deletes = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: String(i),
      method: 'DELETE',
      url: `${tapUrl('bob@contoso.com')}/gone${i}`,
    }));
  const statuses = (body: Json): number[] =>
    [...body.responses].sort((a: Json, b: Json) => Number(a.id) - Number(b.id)).map((r: Json) => r.status);

  it('lets a burst of writeBurst through, then refills at the per-minute rate', async () => {
    // Without writeBurst the bucket holds a whole minute: six writes at once are fine.
    await admin(sb, 'POST', '/faults', { writeLimitPerMinute: 60 });
    expect(statuses((await batch(deletes(6))).body)).toEqual([404, 404, 404, 404, 404, 404]);

    // 60 per minute with a burst of 3: three at once, then one per second.
    const set = await admin(sb, 'POST', '/faults', { writeBurst: 3 });
    expect(set.body).toEqual({ writeLimitPerMinute: 60, writeBurst: 3 });
    const burst = await batch(deletes(6));
    expect(statuses(burst.body)).toEqual([404, 404, 404, 429, 429, 429]);
    const retryAfter = Number(
      burst.body.responses.find((r: Json) => r.status === 429).headers['Retry-After'],
    );
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    // One token came back, not the whole burst.
    expect(statuses((await batch(deletes(2))).body)).toEqual([404, 429]);

    // Setting either field starts a full bucket again.
    await admin(sb, 'POST', '/faults', { writeBurst: 4 });
    expect(statuses((await batch(deletes(5))).body)).toEqual([404, 404, 404, 404, 429]);
    await admin(sb, 'POST', '/faults', { writeLimitPerMinute: 60 });
    expect(statuses((await batch(deletes(5))).body)).toEqual([404, 404, 404, 404, 429]);
  });

  it('keeps a limit of 0 closed whatever the burst', async () => {
    await admin(sb, 'POST', '/faults', { writeLimitPerMinute: 0, writeBurst: 20 });
    const result = await graphAs(sb, dana, 'POST', tapUrl('alice@contoso.com'), {});
    expect(result.status).toBe(429);
    expect(result.headers['retry-after']).toBe('60');
  });

  it('fails only writes with failWritesOnly, in and out of $batch', async () => {
    await admin(sb, 'POST', '/faults', { failRate: 1, failStatus: 503, failWritesOnly: true });
    for (let i = 0; i < 3; i++) expect((await graphAs(sb, dana, 'GET', '/me')).status).toBe(200);
    const direct = await graphAs(sb, dana, 'POST', tapUrl('alice@contoso.com'), {});
    expect(direct.status).toBe(503);
    expect(direct.body.error.code).toBe('serviceNotAvailable');
    const mixed = await batch([
      { id: '1', method: 'GET', url: '/me' },
      createItem('2'),
      { id: '3', method: 'GET', url: `${tapUrl('alice@contoso.com')}` },
      { id: '4', method: 'DELETE', url: `${tapUrl('alice@contoso.com')}/x` },
    ]);
    expect(mixed.status).toBe(200);
    expect(statuses(mixed.body)).toEqual([200, 503, 200, 503]);
    expect((await admin(sb, 'GET', '/state')).body.passes).toEqual([]);

    // Switched off again, reads fail too.
    await admin(sb, 'POST', '/faults', { failWritesOnly: false });
    expect((await graphAs(sb, dana, 'GET', '/me')).status).toBe(503);
  });

  it('draws write failures from the seeded stream whatever reads come in between', async () => {
    const run = async (readsBetween: number) => {
      await admin(sb, 'POST', '/reset');
      await admin(sb, 'POST', '/faults', { failRate: 0.5, failWritesOnly: true });
      const out: number[] = [];
      for (let i = 0; i < 10; i++) {
        for (let r = 0; r < readsBetween; r++)
          expect((await graphAs(sb, dana, 'GET', '/me')).status).toBe(200);
        const result = await graphAs(sb, dana, 'DELETE', `${tapUrl('bob@contoso.com')}/x${i}`);
        out.push(result.status);
      }
      return out;
    };
    const quiet = await run(0);
    expect(quiet).toContain(503);
    expect(quiet).toContain(404);
    expect(await run(2)).toEqual(quiet);
  });

  it('validates the new knobs with specific messages', async () => {
    const refused = async (body: object) => {
      const result = await admin(sb, 'POST', '/faults', body);
      expect(result.status).toBe(400);
      return result.body.error.message as string;
    };
    expect(await refused({ writeBurst: 0 })).toBe('writeBurst must be a number >= 1');
    expect(await refused({ writeBurst: 0.5 })).toBe('writeBurst must be a number >= 1');
    expect(await refused({ writeBurst: '20' })).toBe('writeBurst must be a number >= 1');
    expect(await refused({ failWritesOnly: 1 })).toBe('failWritesOnly must be true or false');
    expect(await refused({ failWritesOnly: 'yes' })).toBe('failWritesOnly must be true or false');
    expect(await refused({ failRate: true })).toBe('failRate must be a number >= 0');
    expect(await refused({ writeLimitPerMinute: false })).toBe('writeLimitPerMinute must be a number >= 0');
    expect(await refused({ writeburst: 3 })).toBe('unknown field writeburst');
    expect((await admin(sb, 'GET', '/faults')).body).toEqual({});
    const accepted = await admin(sb, 'POST', '/faults', {
      writeLimitPerMinute: 1200,
      writeBurst: 20,
      failWritesOnly: true,
    });
    expect(accepted.status).toBe(200);
    expect((await admin(sb, 'GET', '/faults')).body).toEqual({
      writeLimitPerMinute: 1200,
      writeBurst: 20,
      failWritesOnly: true,
    });
  });
});
