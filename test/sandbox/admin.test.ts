import { X509Certificate, createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackAddress, startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { admin, graphAs, httpsJson, type Json } from '../helpers/sandbox-http.js';

let sb: SandboxHandle;
let startupMs = 0;
beforeAll(async () => {
  const started = performance.now();
  sb = await startSandbox({ seed: 'admin-tests' });
  startupMs = performance.now() - started;
});
afterAll(() => sb.close());

const tapUrl = '/users/alice@contoso.com/authentication/temporaryAccessPassMethods';

describe('startup and TLS', () => {
  it('starts quickly on 127.0.0.1 with a certificate for 127.0.0.1 and localhost', async () => {
    console.log(`sandbox startup: ${startupMs.toFixed(0)} ms`);
    expect(sb.origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(sb.graphBaseUrl).toBe(`${sb.origin}/v1.0`);
    const ca = new X509Certificate(sb.caPem);
    expect(ca.ca).toBe(true);
    const served = await new Promise<X509Certificate>((resolve, reject) => {
      import('node:tls').then(({ connect }) => {
        const socket = connect(
          { host: '127.0.0.1', port: Number(new URL(sb.origin).port), ca: sb.caPem },
          () => {
            resolve(new X509Certificate(socket.getPeerX509Certificate()?.raw ?? Buffer.alloc(0)));
            socket.end();
          },
        );
        socket.on('error', reject);
      }, reject);
    });
    expect(served.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(served.checkHost('localhost')).toBe('localhost');
    expect(served.verify(ca.publicKey)).toBe(true);
  });

  it('is rejected by a client that does not trust the CA', async () => {
    await expect(httpsJson({ caPem: '' }, 'GET', `${sb.sandboxUrl}/clock`)).rejects.toThrow(
      /self-signed|certificate/i,
    );
  });

  it('starts two sandboxes side by side on separate ports with separate CAs', async () => {
    const other = await startSandbox({ seed: 'other' });
    try {
      expect(other.origin).not.toBe(sb.origin);
      expect(other.caPem).not.toBe(sb.caPem);
    } finally {
      await other.close();
    }
  });
});

describe('admin API', () => {
  it('answers loopback peers only', () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('10.0.0.5')).toBe(false);
    expect(isLoopbackAddress('::ffff:192.168.1.2')).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
  });

  it('issues SSO assertions for a UPN, object id or Teams id, and 404s unknown users', async () => {
    for (const user of ['dana@contoso.com', 'c471bfec-d2bc-5963-9e7f-ca1e2725a30d', '29:sandbox-dana']) {
      const result = await admin(sb, 'POST', '/sso-token', { user });
      expect(result.status).toBe(200);
      const claims = JSON.parse(Buffer.from(result.body.token.split('.')[1], 'base64url').toString());
      expect(claims).toMatchObject({
        aud: sb.app.ssoResource,
        scp: 'access_as_user',
        azp: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
        oid: 'c471bfec-d2bc-5963-9e7f-ca1e2725a30d',
        tid: sb.tenantId,
        upn: 'dana@contoso.com',
        iss: `${sb.origin}/${sb.tenantId}/v2.0`,
      });
    }
    const unknown = await admin(sb, 'POST', '/sso-token', { user: 'ghost@contoso.com' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBeDefined();
  });

  it('shows pass metadata with a SHA-256 of the code, never the code, and logs Graph calls', async () => {
    await admin(sb, 'POST', '/reset');
    await admin(sb, 'POST', '/next-pass', { value: 'Canary!Pass#1' });
    const created = await graphAs(sb, 'dana@contoso.com', 'POST', tapUrl, { lifetimeInMinutes: 90 });
    expect(created.body.temporaryAccessPass).toBe('Canary!Pass#1');
    const state = await admin(sb, 'GET', '/state');
    expect(state.text).not.toContain('Canary!Pass#1');
    expect(state.body.passes).toEqual([
      {
        userId: 'cff6308a-6d44-5def-9200-b6f5023a44aa',
        userPrincipalName: 'alice@contoso.com',
        id: created.body.id,
        createdDateTime: created.body.createdDateTime,
        startDateTime: created.body.startDateTime,
        lifetimeInMinutes: 90,
        isUsableOnce: false,
        createdBy: 'c471bfec-d2bc-5963-9e7f-ca1e2725a30d',
        passSha256: createHash('sha256').update('Canary!Pass#1').digest('hex'),
      },
    ]);
    expect(state.body.graphLog.at(-1)).toMatchObject({
      method: 'POST',
      path: `/v1.0${tapUrl}`,
      callerOid: 'c471bfec-d2bc-5963-9e7f-ca1e2725a30d',
      status: 201,
    });
  });

  it('moves the clock and resets everything to the fixture state', async () => {
    const before = await admin(sb, 'GET', '/clock');
    expect(before.body.offsetMinutes).toBe(0);
    const moved = await admin(sb, 'POST', '/clock', { advanceMinutes: 90 });
    expect(moved.body.offsetMinutes).toBe(90);
    expect(Date.parse(moved.body.now) - Date.now()).toBeGreaterThan(89 * 60_000);
    await admin(sb, 'POST', '/faults', { latencyMs: 5 });
    await graphAs(sb, 'dana@contoso.com', 'POST', tapUrl, {});
    const olga = sb.tenant.users.find((u) => u.userPrincipalName === 'olga@contoso.com')!;
    const activation = await graphAs(
      sb,
      'olga@contoso.com',
      'POST',
      '/roleManagement/directory/roleAssignmentScheduleRequests',
      {
        action: 'selfActivate',
        principalId: olga.id,
        roleDefinitionId: olga.eligibleRoles![0]!.roleTemplateId,
        directoryScopeId: '/',
        justification: 'reset test',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
      },
    );
    expect(activation.status).toBe(201);
    await admin(sb, 'POST', '/reset');
    const state = await admin(sb, 'GET', '/state');
    // Devices come back as the fixture has them (checked field by field in autopilot.test.ts).
    expect(state.body).toEqual({
      passes: [],
      devices: expect.any(Array),
      graphLog: [],
      graphInFlight: 0,
      activations: [],
      presentations: [],
      resumes: [],
      outbox: [],
      installedApps: [],
    });
    expect(state.body.devices.map((d: { updatedBy: unknown }) => d.updatedBy)).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect((await admin(sb, 'GET', '/clock')).body.offsetMinutes).toBe(0);
    expect((await admin(sb, 'GET', '/faults')).body).toEqual({});
  });

  it('counts Graph requests it holds, including their latency', async () => {
    await admin(sb, 'POST', '/reset');
    await admin(sb, 'POST', '/faults', { latencyMs: 400 });
    const held = graphAs(sb, 'dana@contoso.com', 'GET', '/me');
    let seen = 0;
    for (let i = 0; i < 200 && seen === 0; i++) {
      seen = (await admin(sb, 'GET', '/state')).body.graphInFlight;
      if (seen === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(seen).toBe(1);
    expect((await held).status).toBe(200);
    expect((await admin(sb, 'GET', '/state')).body.graphInFlight).toBe(0);
    await admin(sb, 'POST', '/reset');
  });

  it('generates the same pass codes for the same seed after a reset', async () => {
    const codes = async () => {
      await admin(sb, 'POST', '/reset');
      const out: Json[] = [];
      for (const user of ['alice@contoso.com', 'bob@contoso.com']) {
        const created = await graphAs(
          sb,
          'dana@contoso.com',
          'POST',
          `/users/${user}/authentication/temporaryAccessPassMethods`,
          {},
        );
        out.push([created.body.temporaryAccessPass, created.body.id]);
      }
      return out;
    };
    const first = await codes();
    expect(first[0][0]).toMatch(/^[A-Za-z0-9!@#$%&*?]{8}$/);
    expect(await codes()).toEqual(first);
  });

  it('validates admin input', async () => {
    expect((await admin(sb, 'POST', '/clock', { advanceMinutes: 'soon' })).status).toBe(400);
    expect((await admin(sb, 'POST', '/faults', { failRate: 2 })).status).toBe(400);
    expect((await admin(sb, 'POST', '/next-pass', { value: '' })).status).toBe(400);
    expect((await admin(sb, 'GET', '/nope')).status).toBe(404);
  });
});
