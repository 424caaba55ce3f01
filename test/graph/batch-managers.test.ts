import { describe, expect, it } from 'vitest';
import { USER_FIELDS, managerBatchBody, managerResults } from '../../src/graph/batch.js';

const ok = (id: string, body: unknown) => ({ id, status: 200, headers: {}, body });
const fail = (id: string, status: number, code: string, headers: Record<string, unknown> = {}) => ({
  id,
  status,
  headers,
  body: { error: { code, message: `${code} message` } },
});

describe('managerBatchBody', () => {
  it('asks for each user’s manager with encoded, versionless URLs', () => {
    expect(managerBatchBody(['a1', 'b#2']).requests).toEqual([
      { id: 'm0', method: 'GET', url: `/users/a1/manager?$select=${USER_FIELDS}` },
      { id: 'm1', method: 'GET', url: `/users/b%232/manager?$select=${USER_FIELDS}` },
    ]);
  });

  it('refuses no ids, more than 20 and empty ids', () => {
    expect(() => managerBatchBody([])).toThrow(/at least one/);
    expect(() => managerBatchBody(Array.from({ length: 21 }, (_, i) => `u${i}`))).toThrow(/at most 20/);
    expect(managerBatchBody(Array.from({ length: 20 }, (_, i) => `u${i}`)).requests).toHaveLength(20);
    expect(() => managerBatchBody(['a', ''])).toThrow(/non-empty/);
  });
});

describe('managerResults', () => {
  it('maps items back by id whatever their order: a manager, none (404), a 429 with Retry-After, a missing item', () => {
    const carol = { id: 'carol', displayName: 'Carol Diaz', userPrincipalName: 'carol@contoso.com' };
    const results = managerResults(['a', 'b', 'c', 'd'], {
      responses: [
        fail('m2', 429, 'TooManyRequests', { 'Retry-After': '7' }),
        fail('m1', 404, 'Request_ResourceNotFound'),
        ok('m0', carol),
      ],
    });
    expect(results[0]).toEqual({ userId: 'a', ok: true, manager: carol });
    expect(results[1]).toEqual({ userId: 'b', ok: true, manager: null });
    const throttled = results[2]!;
    expect(throttled.ok ? 'ok' : [throttled.failure.status, throttled.failure.retryAfterSeconds]).toEqual([
      429, 7,
    ]);
    const missing = results[3]!;
    expect(missing.ok ? 'ok' : missing.failure.code).toBe('missingBatchItem');
  });

  it('a 2xx item that is not a user is a failure, not a manager', () => {
    const [r] = managerResults(['a'], { responses: [ok('m0', { value: [] })] });
    expect(r!.ok ? 'ok' : r!.failure.code).toBe('malformedBatchItem');
  });
});
