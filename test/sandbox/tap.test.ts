import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { validateGraphRequestBody, validateGraphResponse } from '../helpers/openapi.js';
import { admin, graphAs, type HttpResult } from '../helpers/sandbox-http.js';

const tapTemplate = '/users/{user-id}/authentication/temporaryAccessPassMethods';
const tapItemTemplate = `${tapTemplate}/{temporaryAccessPassAuthenticationMethod-id}`;
const policyPath =
  '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';
const policyTemplate =
  '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{authenticationMethodConfiguration-id}';

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({ seed: 'tap-tests' });
});
afterAll(() => sb.close());
beforeEach(async () => {
  expect((await admin(sb, 'POST', '/reset')).status).toBe(200);
});

/** Calls a TAP path as `caller` and checks request and response against the OpenAPI contract. */
async function tap(
  caller: string,
  method: string,
  target: string,
  body?: unknown,
  methodId?: string,
): Promise<HttpResult> {
  const path = `/users/${encodeURIComponent(target)}/authentication/temporaryAccessPassMethods${methodId ? `/${methodId}` : ''}`;
  const template = methodId ? tapItemTemplate : tapTemplate;
  if (method === 'POST' && body !== undefined && typeof body === 'object') {
    expect(validateGraphRequestBody(method, template, body).errors).toEqual([]);
  }
  const result = await graphAs(sb, caller, method, path, body ?? (method === 'POST' ? {} : undefined));
  expect(validateGraphResponse(method, template, result.status, result.body).errors).toEqual([]);
  return result;
}

const create = (caller: string, target: string, body: unknown = {}) => tap(caller, 'POST', target, body);

describe('who may create a pass (contract §2)', () => {
  it.each([
    ['dana@contoso.com', 'alice@contoso.com', 201, 'Authentication Administrator → user without roles'],
    ['dana@contoso.com', 'kim@contoso.com', 201, 'Authentication Administrator → Password Administrator'],
    [
      'erin@contoso.com',
      'frank@contoso.com',
      201,
      'Privileged Authentication Administrator → Global Administrator',
    ],
    ['frank@contoso.com', 'dana@contoso.com', 201, 'Global Administrator → Authentication Administrator'],
    ['dana@contoso.com', 'frank@contoso.com', 403, 'Authentication Administrator → Global Administrator'],
    ['dana@contoso.com', 'harry@contoso.com', 403, 'Authentication Administrator → Helpdesk Administrator'],
    ['dana@contoso.com', 'ivan@contoso.com', 403, 'Authentication Administrator → User Administrator'],
    [
      'dana@contoso.com',
      'erin@contoso.com',
      403,
      'Authentication Administrator → Privileged Authentication Administrator',
    ],
    ['frank@contoso.com', 'frank@contoso.com', 403, 'nobody for themselves'],
    ['harry@contoso.com', 'alice@contoso.com', 403, 'Helpdesk Administrator cannot'],
    ['kim@contoso.com', 'alice@contoso.com', 403, 'Password Administrator cannot'],
    ['mallory@contoso.com', 'alice@contoso.com', 403, 'user without roles cannot'],
  ])('%s → %s = %i (%s)', async (caller, target, status) => {
    const result = await create(caller, target);
    expect(result.status).toBe(status);
    if (status === 403) {
      expect(result.body.error.code).toBe('accessDenied');
      expect(result.body.error.message).toBe('Request Authorization failed');
      expect(result.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.body.error.innerError['request-id']).toBe(result.headers['request-id']);
    } else {
      expect(result.body.temporaryAccessPass).toMatch(/^\S{8}$/);
    }
  });

  it('refuses /me/... creation (self) with 403', async () => {
    const result = await graphAs(
      sb,
      'dana@contoso.com',
      'POST',
      '/me/authentication/temporaryAccessPassMethods',
      {},
    );
    expect(result.status).toBe(403);
  });
});

describe('create rules', () => {
  it('returns the full object with defaults from the policy', async () => {
    const result = await create('dana@contoso.com', 'alice@contoso.com');
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({
      lifetimeInMinutes: 60,
      isUsableOnce: false,
      isUsable: true,
      methodUsabilityReason: 'EnabledByPolicy',
    });
    expect(result.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(result.body.createdDateTime).toMatch(/Z$/);
    expect(result.body.startDateTime).toBe(result.body.createdDateTime);
  });

  it('rejects a user in an excluded group with the UserCredentialPolicy message', async () => {
    const result = await create('dana@contoso.com', 'gina@contoso.com');
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('badRequest');
    expect(result.body.error.message).toContain('Converged UserCredentialPolicy does not allow');
  });

  it('rejects an external guest', async () => {
    const result = await create('dana@contoso.com', 'judy_fabrikam.com#EXT#@contoso.com');
    expect(result.status).toBe(400);
    expect(result.body.error.message).toBe(
      'Temporary Access Pass cannot be added to an external guest user.',
    );
  });

  it.each([30, 481, 9])('rejects lifetime %i outside the policy range', async (lifetimeInMinutes) => {
    const result = await create('dana@contoso.com', 'alice@contoso.com', { lifetimeInMinutes });
    expect(result.status).toBe(400);
    expect(result.body.error.message).toBe(
      'Invalid LifetimeInMinutes specified. The valid range between 60 and 480.',
    );
  });

  it.each([
    ['no body', undefined],
    ['not JSON', '{"lifetimeInMinutes": '],
    ['wrong type', { lifetimeInMinutes: '60' }],
    ['unknown property', { lifetime: 60 }],
    ['array', [1]],
  ])('rejects a malformed body (%s) with 400 BadRequest', async (_label, body) => {
    const path = '/users/alice@contoso.com/authentication/temporaryAccessPassMethods';
    const token = await graphAs(sb, 'dana@contoso.com', 'POST', path, body ?? '');
    expect(token.status).toBe(400);
    expect(token.body.error.code).toBe('BadRequest');
  });

  it('rejects a multi-use pass when the policy forces one-time passes, and defaults to one-time', async () => {
    expect((await admin(sb, 'POST', '/policy', { isUsableOnce: true })).status).toBe(200);
    const multi = await create('dana@contoso.com', 'alice@contoso.com', { isUsableOnce: false });
    expect(multi.status).toBe(400);
    expect(multi.body.error.message).toContain('UserCredentialPolicy');
    const defaulted = await create('dana@contoso.com', 'alice@contoso.com');
    expect(defaulted.body.isUsableOnce).toBe(true);
  });

  it('rejects everyone while the policy is disabled', async () => {
    await admin(sb, 'POST', '/policy', { state: 'disabled' });
    const result = await create('erin@contoso.com', 'alice@contoso.com');
    expect(result.status).toBe(400);
    expect(result.body.error.message).toContain('UserCredentialPolicy');
  });

  it('answers 404 Request_ResourceNotFound for an unknown user', async () => {
    const result = await create('dana@contoso.com', 'nobody@contoso.com');
    expect(result.status).toBe(404);
    expect(result.body.error.code).toBe('Request_ResourceNotFound');
    expect(result.body.error.message).toBe(
      "Resource 'nobody@contoso.com' does not exist or one of its queried reference-property objects are not present.",
    );
  });

  it('uses a queued pass code exactly once', async () => {
    await admin(sb, 'POST', '/next-pass', { value: 'CANARY-pass-42' });
    expect((await create('dana@contoso.com', 'alice@contoso.com')).body.temporaryAccessPass).toBe(
      'CANARY-pass-42',
    );
    expect((await create('dana@contoso.com', 'alice@contoso.com')).body.temporaryAccessPass).not.toBe(
      'CANARY-pass-42',
    );
  });
});

describe('reading, replacing and deleting', () => {
  it('a second create replaces the first; reads never show the code', async () => {
    const first = await create('dana@contoso.com', 'alice@contoso.com');
    const second = await create('dana@contoso.com', 'alice@contoso.com', { lifetimeInMinutes: 120 });
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    const list = await tap('dana@contoso.com', 'GET', 'alice@contoso.com');
    expect(list.status).toBe(200);
    expect(list.body.value).toHaveLength(1);
    expect(list.body.value[0]).toMatchObject({
      id: second.body.id,
      temporaryAccessPass: null,
      lifetimeInMinutes: 120,
    });
    const old = await tap('dana@contoso.com', 'GET', 'alice@contoso.com', undefined, first.body.id);
    expect(old.status).toBe(404);
    const current = await tap(
      'dana@contoso.com',
      'GET',
      'cff6308a-6d44-5def-9200-b6f5023a44aa',
      undefined,
      second.body.id,
    );
    expect(current.status).toBe(200);
    expect(current.body.temporaryAccessPass).toBeNull();
  });

  it('Global Reader-less, role-less callers cannot read; Frank (Global Administrator) can', async () => {
    await create('dana@contoso.com', 'alice@contoso.com');
    expect((await tap('mallory@contoso.com', 'GET', 'alice@contoso.com')).status).toBe(403);
    expect((await tap('frank@contoso.com', 'GET', 'alice@contoso.com')).body.value).toHaveLength(1);
  });

  it('deletes with 204 and an empty body; the id then 404s', async () => {
    const created = await create('dana@contoso.com', 'alice@contoso.com');
    const deleted = await tap('dana@contoso.com', 'DELETE', 'alice@contoso.com', undefined, created.body.id);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(
      (await tap('dana@contoso.com', 'DELETE', 'alice@contoso.com', undefined, created.body.id)).status,
    ).toBe(404);
    expect((await tap('dana@contoso.com', 'GET', 'alice@contoso.com')).body.value).toEqual([]);
  });

  it('expires by the sandbox clock', async () => {
    const created = await create('dana@contoso.com', 'alice@contoso.com');
    await admin(sb, 'POST', '/clock', { advanceMinutes: 61 });
    const read = await tap('dana@contoso.com', 'GET', 'alice@contoso.com', undefined, created.body.id);
    expect(read.body).toMatchObject({ isUsable: false, methodUsabilityReason: 'Expired' });
  });

  it('is NotYetValid before a future start', async () => {
    const start = new Date(sb.clock.now().getTime() + 3 * 3600_000).toISOString();
    const created = await create('dana@contoso.com', 'alice@contoso.com', { startDateTime: start });
    expect(created.body).toMatchObject({
      startDateTime: start,
      isUsable: false,
      methodUsabilityReason: 'NotYetValid',
    });
    sb.clock.advanceMinutes(181);
    const read = await tap('dana@contoso.com', 'GET', 'alice@contoso.com');
    expect(read.body.value[0]).toMatchObject({ isUsable: true, methodUsabilityReason: 'EnabledByPolicy' });
  });
});

describe('TAP policy', () => {
  it('is readable by a Global Administrator and matches the fixture', async () => {
    const result = await graphAs(sb, 'frank@contoso.com', 'GET', policyPath);
    expect(result.status).toBe(200);
    expect(validateGraphResponse('GET', policyTemplate, 200, result.body).errors).toEqual([]);
    expect(result.body).toMatchObject({
      '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration',
      state: 'enabled',
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
      defaultLength: 8,
    });
  });

  it('is refused to an Authentication Administrator (403 accessDenied)', async () => {
    const result = await graphAs(sb, 'dana@contoso.com', 'GET', policyPath);
    expect(result.status).toBe(403);
    expect(result.body.error.code).toBe('accessDenied');
    expect(validateGraphResponse('GET', policyTemplate, 403, result.body).errors).toEqual([]);
  });
});
