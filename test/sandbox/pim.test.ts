// PIM self-activation in the sandbox (contract next-wave §2.3-§2.7): the rules, the claims challenge,
// approval, and an activated role counting for the TAP rules and role reads for as long as it lasts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { admin, graphAs, graphWithToken, httpsJson } from '../helpers/sandbox-http.js';

const AUTH_ADMIN = 'c4e39bd9-1100-46d3-8c65-fb160da0071f';
const GA = '62e90394-69f5-4237-9190-012177145e10';
const requests = '/roleManagement/directory/roleAssignmentScheduleRequests';
const mineActive =
  "/roleManagement/directory/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')";
const mineEligible = "/roleManagement/directory/roleEligibilitySchedules/filterByCurrentUser(on='principal')";

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({
    fixture: (f) => {
      // Test people beside olga and paul: one role setting each.
      const add = (name: string, role: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        f.users.push({
          ...structuredClone(f.users.find((u) => u.userPrincipalName === 'olga@contoso.com')!),
          id: `00000000-0000-4000-a000-${Buffer.from(name.padEnd(6, '0')).toString('hex').slice(0, 12)}`,
          displayName: name,
          userPrincipalName: `${name}@contoso.com`,
          mail: `${name}@contoso.com`,
          teamsUserId: `29:sandbox-${name}`,
          eligibleRoles: [
            {
              displayName: 'Authentication Administrator',
              roleTemplateId: AUTH_ADMIN,
              maximumDuration: 'PT8H',
              ...role,
            },
          ],
          ...extra,
        });
      add('tessa', { requiresTicket: true });
      add('mona', { requiresMfa: true }, { amr: ['pwd'] });
      add('cara', { authenticationContext: 'c1' });
    },
  });
});
afterAll(() => sb.close());
beforeEach(async () => {
  await admin(sb, 'POST', '/reset');
});

const idOf = (upn: string) => sb.tenant.users.find((u) => u.userPrincipalName === upn)!.id;

function activation(upn: string, extra: Record<string, unknown> = {}) {
  return {
    action: 'selfActivate',
    principalId: idOf(upn),
    roleDefinitionId: AUTH_ADMIN,
    directoryScopeId: '/',
    justification: 'Ticket INC-1: Alice lost her phone',
    scheduleInfo: {
      startDateTime: new Date().toISOString(),
      expiration: { type: 'AfterDuration', duration: 'PT1H' },
    },
    ...extra,
  };
}

const activate = (upn: string, extra: Record<string, unknown> = {}) =>
  graphAs(sb, upn, 'POST', requests, activation(upn, extra));

/** TapDesk's own app-only token: how it reads role assignments to judge whether a target is privileged. */
async function appToken(): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    scope: 'https://graph.microsoft.com/.default',
    client_id: sb.app.appId,
    client_secret: sb.app.clientSecret,
  });
  const url = `${sb.authorityHost}/${sb.tenantId}/oauth2/v2.0/token`;
  const result = await httpsJson(sb, 'POST', url, form.toString(), {
    'Content-Type': 'application/x-www-form-urlencoded',
  });
  return result.body.access_token as string;
}

const createTap = (upn: string, target: string) =>
  graphAs(sb, upn, 'POST', `/users/${target}/authentication/temporaryAccessPassMethods`, {
    lifetimeInMinutes: 60,
  });

describe('eligibility and active assignments, for the caller herself', () => {
  it('olga sees her eligibility through filterByCurrentUser, and nothing active', async () => {
    const eligible = await graphAs(sb, 'olga@contoso.com', 'GET', `${mineEligible}?$expand=roleDefinition`);
    expect(eligible.status).toBe(200);
    expect(eligible.body.value).toHaveLength(1);
    expect(eligible.body.value[0]).toMatchObject({
      principalId: idOf('olga@contoso.com'),
      roleDefinitionId: AUTH_ADMIN,
      directoryScopeId: '/',
      roleDefinition: { displayName: 'Authentication Administrator' },
    });
    const active = await graphAs(sb, 'olga@contoso.com', 'GET', mineActive);
    expect(active.body.value).toEqual([]);
  });

  it('the admin listings need a PIM reader role: olga gets 403', async () => {
    for (const set of ['roleAssignmentScheduleInstances', 'roleEligibilitySchedules']) {
      const result = await graphAs(sb, 'olga@contoso.com', 'GET', `/roleManagement/directory/${set}`);
      expect(result.status).toBe(403);
    }
  });
});

describe('selfActivate', () => {
  it('olga activates: Granted, active for the duration, counted by the TAP rules and role reads, then gone', async () => {
    expect((await createTap('olga@contoso.com', 'alice@contoso.com')).status).toBe(403);
    const granted = await activate('olga@contoso.com');
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ status: 'Granted', action: 'selfActivate', approvalId: null });

    const roles = await graphAs(
      sb,
      'olga@contoso.com',
      'GET',
      '/me/transitiveMemberOf/microsoft.graph.directoryRole',
    );
    expect(roles.body.value.map((r: { roleTemplateId: string }) => r.roleTemplateId)).toEqual([AUTH_ADMIN]);
    const active = await graphAs(sb, 'olga@contoso.com', 'GET', mineActive);
    expect(active.body.value).toEqual([
      expect.objectContaining({ roleDefinitionId: AUTH_ADMIN, assignmentType: 'Activated' }),
    ]);
    expect((await createTap('olga@contoso.com', 'alice@contoso.com')).status).toBe(201);
    // TapDesk's app-only read of role assignments sees the activation as an active role too.
    const assigned = await graphWithToken(
      sb,
      await appToken(),
      'GET',
      `/roleManagement/directory/roleAssignments?$filter=principalId eq '${idOf('olga@contoso.com')}'`,
    );
    expect(assigned.body.value.map((r: { roleDefinitionId: string }) => r.roleDefinitionId)).toEqual([
      AUTH_ADMIN,
    ]);
    const state = (await admin(sb, 'GET', '/state')).body;
    expect(state.activations).toEqual([
      expect.objectContaining({ principalId: idOf('olga@contoso.com'), status: 'Granted', active: true }),
    ]);

    await admin(sb, 'POST', '/clock', { advanceMinutes: 61 });
    expect((await createTap('olga@contoso.com', 'bob@contoso.com')).status).toBe(403);
    expect((await graphAs(sb, 'olga@contoso.com', 'GET', mineActive)).body.value).toEqual([]);
  });

  it('an activation while one is active: RoleAssignmentExists', async () => {
    expect((await activate('olga@contoso.com')).status).toBe(201);
    const again = await activate('olga@contoso.com');
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('RoleAssignmentExists');
  });

  it.each([
    [
      'a duration above the maximum',
      { scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT9H' } } },
      'ExpirationRule',
    ],
    ['no expiration', { scheduleInfo: { expiration: { type: 'noExpiration' } } }, 'ExpirationRule'],
    ['no justification', { justification: undefined }, 'JustificationRule'],
    ['a role she is not eligible for', { roleDefinitionId: GA }, 'EligibilityRule'],
  ])('%s fails its rule and activates nothing', async (_name, extra, rule) => {
    const result = await activate('olga@contoso.com', extra);
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('RoleAssignmentRequestPolicyValidationFailed');
    expect(result.body.error.message).toBe(`The following policy rules failed: ["${rule}"]`);
    expect((await admin(sb, 'GET', '/state')).body.activations).toEqual([]);
  });

  it('the ticketing rule and the MFA rule', async () => {
    const noTicket = await activate('tessa@contoso.com');
    expect(noTicket.body.error.message).toBe('The following policy rules failed: ["TicketingRule"]');
    const withTicket = await activate('tessa@contoso.com', {
      ticketInfo: { ticketNumber: 'INC-1', ticketSystem: 'ServiceNow' },
    });
    expect(withTicket.status).toBe(201);
    const noMfa = await activate('mona@contoso.com');
    expect(noMfa.body.error.message).toBe('The following policy rules failed: ["MfaRule"]');
  });

  it('an authentication context: the claims challenge, URL-encoded in the message', async () => {
    const result = await activate('cara@contoso.com');
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('RoleAssignmentRequestAcrsValidationFailed');
    const claims = /&claims=([^&\s]+)/.exec(result.body.error.message as string)?.[1];
    expect(JSON.parse(decodeURIComponent(claims!))).toEqual({
      access_token: { acrs: { essential: true, value: 'c1' } },
    });
  });

  it("paul's Global Administrator needs approval: PendingApproval, nothing active, a second request refused, then approved", async () => {
    const ga = {
      roleDefinitionId: GA,
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT2H' } },
    };
    const pending = await activate('paul@contoso.com', ga);
    expect(pending.status).toBe(201);
    expect(pending.body.status).toBe('PendingApproval');
    expect(pending.body.approvalId).toEqual(expect.any(String));
    expect((await graphAs(sb, 'paul@contoso.com', 'GET', mineActive)).body.value).toEqual([]);
    const again = await activate('paul@contoso.com', ga);
    expect(again.body.error.code).toBe('PendingRoleAssignmentRequest');

    const approved = await admin(sb, 'POST', '/pim/approve', { requestId: pending.body.id });
    expect(approved.status).toBe(200);
    expect((await graphAs(sb, 'paul@contoso.com', 'GET', mineActive)).body.value).toEqual([
      expect.objectContaining({ roleDefinitionId: GA, assignmentType: 'Activated' }),
    ]);
    expect((await admin(sb, 'POST', '/pim/approve', { requestId: pending.body.id })).status).toBe(404);
    expect((await activate('paul@contoso.com', ga)).body.error.code).toBe('RoleAssignmentExists');
  });

  it('someone else as principal is refused; validation only creates nothing', async () => {
    const other = await graphAs(sb, 'dana@contoso.com', 'POST', requests, activation('olga@contoso.com'));
    expect(other.status).toBe(403);
    const check = await activate('olga@contoso.com', { isValidationOnly: true });
    expect(check.status).toBe(201);
    expect(check.body.isValidationOnly).toBe(true);
    expect((await admin(sb, 'GET', '/state')).body.activations).toEqual([]);
  });

  it('without a role-assignment scope the request is refused', async () => {
    const result = await graphAs(sb, 'olga@contoso.com', 'POST', requests, activation('olga@contoso.com'), [
      'https://graph.microsoft.com/User.Read',
    ]);
    expect(result.status).toBe(403);
  });
});
