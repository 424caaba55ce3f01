import { describe, expect, it } from 'vitest';
import {
  ROLE_FIELDS,
  USER_FIELDS,
  createBatchBody,
  createResults,
  lookupBatchBody,
  lookupResults,
} from '../../src/graph/batch.js';
import { GraphFailure } from '../../src/graph/failure.js';
import type { BatchCreateResult, UserLookup } from '../../src/graph/port.js';

const user = (id: string) => ({ id, displayName: id, userPrincipalName: `${id}@contoso.com` });
const roles = (...ids: string[]) => ({ value: ids.map((id) => ({ roleTemplateId: id, displayName: id })) });
const ok = (id: string, body: unknown, status = 200) => ({ id, status, headers: {}, body });
const fail = (id: string, status: number, code: string, headers: Record<string, unknown> = {}) => ({
  id,
  status,
  headers,
  body: { error: { code, message: `${code} message`, innerError: { 'request-id': `req-${id}` } } },
});
const failureOf = (r: UserLookup | BatchCreateResult | undefined) => (r && !r.ok ? r.failure : undefined);
const pass = (code: string) => ({ id: `m-${code}`, temporaryAccessPass: code, lifetimeInMinutes: 60 });

describe('lookupBatchBody', () => {
  it('asks for each user and their roles with simple ids and encoded, versionless URLs', () => {
    const guest = 'judy_fabrikam.com#EXT#@contoso.com';
    expect(lookupBatchBody(['alice@contoso.com', guest]).requests).toEqual([
      { id: 'u0', method: 'GET', url: `/users/alice%40contoso.com?$select=${USER_FIELDS}` },
      {
        id: 'r0',
        method: 'GET',
        url: `/users/alice%40contoso.com/transitiveMemberOf/microsoft.graph.directoryRole?$select=${ROLE_FIELDS}`,
      },
      {
        id: 'u1',
        method: 'GET',
        url: `/users/judy_fabrikam.com%23EXT%23%40contoso.com?$select=${USER_FIELDS}`,
      },
      {
        id: 'r1',
        method: 'GET',
        url: `/users/judy_fabrikam.com%23EXT%23%40contoso.com/transitiveMemberOf/microsoft.graph.directoryRole?$select=${ROLE_FIELDS}`,
      },
    ]);
  });

  it('refuses no keys, more than 10 keys and empty keys', () => {
    expect(() => lookupBatchBody([])).toThrow(/at least one/);
    expect(() => lookupBatchBody(Array.from({ length: 11 }, (_, i) => `k${i}`))).toThrow(/at most 10/);
    expect(lookupBatchBody(Array.from({ length: 10 }, (_, i) => `k${i}`)).requests).toHaveLength(20);
    expect(() => lookupBatchBody(['a', ' '])).toThrow(/non-empty/);
  });
});

describe('createBatchBody', () => {
  it('posts each body with a JSON Content-Type', () => {
    expect(
      createBatchBody([
        { userId: 'alice@contoso.com', body: { lifetimeInMinutes: 60 } },
        { userId: 'b0b', body: {} },
      ]).requests,
    ).toEqual([
      {
        id: 'c0',
        method: 'POST',
        url: '/users/alice%40contoso.com/authentication/temporaryAccessPassMethods',
        headers: { 'Content-Type': 'application/json' },
        body: { lifetimeInMinutes: 60 },
      },
      {
        id: 'c1',
        method: 'POST',
        url: '/users/b0b/authentication/temporaryAccessPassMethods',
        headers: { 'Content-Type': 'application/json' },
        body: {},
      },
    ]);
  });

  it('refuses no items, more than 20, empty and duplicate user ids (case-insensitively)', () => {
    const item = (userId: string) => ({ userId, body: {} });
    expect(() => createBatchBody([])).toThrow(/at least one/);
    expect(() => createBatchBody(Array.from({ length: 21 }, (_, i) => item(`u${i}`)))).toThrow(/at most 20/);
    expect(createBatchBody(Array.from({ length: 20 }, (_, i) => item(`u${i}`))).requests).toHaveLength(20);
    expect(() => createBatchBody([item('')])).toThrow(/non-empty/);
    expect(() => createBatchBody([item('a@contoso.com'), item('b'), item('A@Contoso.com')])).toThrow(
      /Duplicate user id in one \$batch: A@Contoso.com/,
    );
  });
});

describe('lookupResults', () => {
  it('matches items by id whatever their order, and keeps the order of the keys', () => {
    const results = lookupResults(['a', 'b', 'c'], {
      responses: [
        ok('r2', roles()),
        ok('u1', user('b')),
        ok('r0', roles('role-a')),
        ok('u2', user('c')),
        ok('r1', roles()),
        ok('u0', user('a')),
      ],
    });
    expect(results).toEqual([
      { key: 'a', ok: true, user: user('a'), roles: roles('role-a').value },
      { key: 'b', ok: true, user: user('b'), roles: [] },
      { key: 'c', ok: true, user: user('c'), roles: [] },
    ]);
  });

  it('gives user null and no roles for a 404 user, whatever the roles item said', () => {
    const results = lookupResults(['gone', 'also gone', 'unread'], {
      responses: [
        fail('u0', 404, 'Request_ResourceNotFound'),
        fail('r0', 404, 'Request_ResourceNotFound'),
        fail('u1', 404, 'Request_ResourceNotFound'),
        ok('r1', roles('stale')),
        fail('u2', 404, 'Request_ResourceNotFound'),
      ],
    });
    expect(results).toEqual([
      { key: 'gone', ok: true, user: null, roles: [] },
      { key: 'also gone', ok: true, user: null, roles: [] },
      { key: 'unread', ok: true, user: null, roles: [] },
    ]);
  });

  it('prefers a 429 of either item so the caller sees its Retry-After', () => {
    const results = lookupResults(['a', 'b', 'c'], {
      responses: [
        fail('u0', 503, 'serviceNotAvailable'),
        fail('r0', 429, 'TooManyRequests', { 'retry-after': '2.5' }),
        fail('u1', 429, 'TooManyRequests', { 'RETRY-AFTER': 3 }),
        fail('r1', 404, 'Request_ResourceNotFound'),
        ok('u2', user('c')),
        fail('r2', 403, 'Authorization_RequestDenied'),
      ],
    });
    expect(results.map((r) => r.ok)).toEqual([false, false, false]);
    expect(failureOf(results[0])).toMatchObject({
      status: 429,
      code: 'TooManyRequests',
      message: 'TooManyRequests message',
      retryAfterSeconds: 2.5,
      requestId: 'req-r0',
    });
    expect(failureOf(results[1])).toMatchObject({ status: 429, retryAfterSeconds: 3, requestId: 'req-u1' });
    expect(failureOf(results[2])).toMatchObject({ status: 403, code: 'Authorization_RequestDenied' });
    expect(failureOf(results[2])?.retryAfterSeconds).toBeUndefined();
  });

  it('reports the user item first when neither failure is a 429', () => {
    const [result] = lookupResults(['a'], {
      responses: [fail('u0', 500, 'generalException'), fail('r0', 403, 'Authorization_RequestDenied')],
    });
    expect(failureOf(result)).toMatchObject({ status: 500, outcomeUnknown: true });
  });

  it('prefers the request-id header over the body and falls back to generic code and message', () => {
    const [result] = lookupResults(['a'], {
      responses: [
        { id: 'u0', status: 502, headers: { 'Request-Id': 'from-header' }, body: 'Bad gateway' },
        ok('r0', roles()),
      ],
    });
    expect(failureOf(result)).toMatchObject({
      status: 502,
      code: 'unknown',
      message: 'Graph answered 502 to batch item u0',
      requestId: 'from-header',
    });
  });

  it('turns a missing or malformed item into an outcome-unknown failure', () => {
    const results = lookupResults(['a', 'b', 'c'], {
      responses: [
        ok('u0', user('a')),
        ok('u1', user('b')),
        ok('r1', { value: 'not a list' }),
        { id: 'u2', status: '200', body: user('c') },
        ok('r2', roles()),
      ],
    });
    expect(failureOf(results[0])).toMatchObject({
      status: 0,
      code: 'missingBatchItem',
      outcomeUnknown: true,
    });
    expect(failureOf(results[1])).toMatchObject({ status: 0, code: 'malformedBatchItem' });
    expect(failureOf(results[2])).toMatchObject({ code: 'missingBatchItem' });
    for (const garbage of [undefined, null, {}, { responses: 'no' }, []]) {
      const [only] = lookupResults(['a'], garbage);
      expect(failureOf(only)).toBeInstanceOf(GraphFailure);
      expect(failureOf(only)?.code).toBe('missingBatchItem');
    }
  });
});

describe('createResults', () => {
  const items = ['a', 'b', 'c', 'd', 'e'].map((userId) => ({ userId, body: {} }));

  it('maps each item by id to its pass or its failure, in the order of the items', () => {
    const results = createResults(items, {
      responses: [
        fail('c3', 403, 'accessDenied'),
        fail('c1', 429, 'TooManyRequests', { 'Retry-After': '0.5' }),
        ok('c0', pass('AAAA-1111'), 201),
        ok('c2', pass('BBBB-2222'), 201),
        // duplicates of an id: the first one counts
        ok('c3', pass('CCCC-3333'), 201),
      ],
    });
    expect(results.map((r) => r.userId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(results[0]).toEqual({ userId: 'a', ok: true, pass: pass('AAAA-1111') });
    expect(failureOf(results[1])).toMatchObject({
      status: 429,
      retryAfterSeconds: 0.5,
      outcomeUnknown: false,
    });
    expect(results[2]).toEqual({ userId: 'c', ok: true, pass: pass('BBBB-2222') });
    expect(failureOf(results[3])).toMatchObject({ status: 403, code: 'accessDenied', outcomeUnknown: false });
    expect(failureOf(results[4])).toMatchObject({
      status: 0,
      code: 'missingBatchItem',
      outcomeUnknown: true,
    });
  });

  it('treats a 2xx without a pass code as outcome-unknown, and never puts a code in a failure', () => {
    const [noCode, server] = createResults(items.slice(0, 2), {
      responses: [
        ok('c0', { id: 'm1' }, 201),
        fail('c1', 503, 'serviceNotAvailable', { 'Retry-After': 'x' }),
      ],
    });
    expect(failureOf(noCode)).toMatchObject({ status: 0, code: 'malformedBatchItem', outcomeUnknown: true });
    expect(failureOf(server)).toMatchObject({
      status: 503,
      outcomeUnknown: true,
      retryAfterSeconds: undefined,
    });
  });
});
