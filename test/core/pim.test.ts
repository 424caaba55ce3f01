// Just-in-time activation in the core, over fakes: which role is offered, that only the requester's
// click on a waiting request activates anything, and what each PIM answer leads to.
import { describe, expect, it } from 'vitest';
import type { EligibleRole } from '../../src/graph/pim-port.js';
import { GraphFailure } from '../../src/graph/failure.js';
import { activateRole } from '../../src/pim/activate.js';
import { activationRefusal, failedRules } from '../../src/pim/failure.js';
import { offerActivation } from '../../src/pim/offer.js';
import { tapRoleToActivate } from '../../src/pim/tap-role.js';
import { chooseTarget } from '../../src/tap/clicks.js';
import type { Person, TapRequest } from '../../src/tap/request.js';
import { coreWorld, PEOPLE, upnOf, type CoreWorld } from '../fakes/core.js';
import { ROLES } from '../fakes/graph.js';
import { FakePim, ruleFailure } from '../fakes/pim.js';
import { codeOf, confirm, conversationOf, stored } from './steps.js';

const { hank, tom, erin } = PEOPLE;
const authAdmin: EligibleRole = {
  roleDefinitionId: ROLES.authenticationAdministrator,
  displayName: 'Authentication Administrator',
  directoryScopeId: '/',
};
const globalAdmin: EligibleRole = {
  roleDefinitionId: ROLES.globalAdministrator,
  displayName: 'Global Administrator',
  directoryScopeId: '/',
};

function offer(w: CoreWorld, pim: FakePim, requester: Person, who: string) {
  return offerActivation(w.deps, w.graphOf(requester), pim, {
    requester,
    timeZone: 'UTC',
    utcOffsetMinutes: 0,
    conversationId: conversationOf(requester),
    command: { kind: 'issue', who },
  });
}

/** Hank (Helpdesk Administrator) is eligible for Authentication Administrator and asks for Tom. */
async function offered(w: CoreWorld, pim: FakePim): Promise<TapRequest> {
  const result = await offer(w, pim, hank, upnOf(tom));
  if (result?.kind !== 'offer') throw new Error(`no offer: ${JSON.stringify(result)}`);
  return result.request;
}

const click = (
  requestId: string,
  clicker: Person,
  extra: Partial<Parameters<typeof activateRole>[2]> = {},
) => ({
  requestId,
  clicker,
  minutes: 60,
  justification: 'INC-1: Tom lost his phone',
  ticket: null,
  ...extra,
});

function activate(w: CoreWorld, pim: FakePim, c: Parameters<typeof activateRole>[2]) {
  return activateRole(w.deps, { graph: async () => w.graphOf(c.clicker), pim: async () => pim }, c);
}

describe('which role is offered', () => {
  it('the least privileged tenant-wide role that can create passes', () => {
    expect(tapRoleToActivate([globalAdmin, authAdmin])).toEqual(authAdmin);
    expect(tapRoleToActivate([globalAdmin])).toEqual(globalAdmin);
    expect(
      tapRoleToActivate([{ ...authAdmin, directoryScopeId: '/administrativeUnits/au-1' }]),
    ).toBeUndefined();
    expect(
      tapRoleToActivate([{ ...authAdmin, roleDefinitionId: ROLES.helpdeskAdministrator }]),
    ).toBeUndefined();
  });

  it('an offer stores the request with the role to activate; no eligibility, no offer; nobody found, no request', async () => {
    const w = coreWorld();
    const request = await offered(w, new FakePim(w.tenant, hank.oid, [authAdmin]));
    expect(request).toMatchObject({
      state: 'choosing',
      activation: authAdmin,
      candidates: [{ id: tom.oid }],
    });
    expect(await offer(w, new FakePim(w.tenant, hank.oid, []), hank, upnOf(tom))).toBeUndefined();
    const nobody = await offer(w, new FakePim(w.tenant, hank.oid, [authAdmin]), hank, 'nobody@contoso.com');
    expect(nobody && codeOf(nobody)).toBe('TAP_USER_NOT_FOUND');
  });
});

describe('activateRole', () => {
  it('granted: the clicker activates the stored role for themselves, audited, and the request goes on to a pass', async () => {
    const w = coreWorld();
    const pim = new FakePim(w.tenant, hank.oid, [authAdmin]);
    const request = await offered(w, pim);
    const outcome = await activate(w, pim, click(request.id, hank));
    if (outcome.kind !== 'activated' || outcome.next.kind !== 'confirm') throw new Error(codeOf(outcome));
    expect(outcome.next.view.request).toMatchObject({
      id: request.id,
      state: 'pending',
      target: { id: tom.oid },
    });
    expect(pim.calls).toEqual([
      {
        principalId: hank.oid,
        roleDefinitionId: ROLES.authenticationAdministrator,
        directoryScopeId: '/',
        justification: 'INC-1: Tom lost his phone',
        durationMinutes: 60,
        ticketNumber: undefined,
      },
    ]);
    const [event] = await w.audit('pim.activated');
    expect(event).toMatchObject({
      requestId: request.id,
      actor: { oid: hank.oid },
      reason: 'Authentication Administrator for 1 hour: INC-1: Tom lost his phone',
    });
    expect(codeOf(await confirm(w, request.id, hank))).toBe('issued');
    // The activation is spent: a second click does not ask PIM again.
    expect(codeOf(await activate(w, pim, click(request.id, hank)))).not.toBe('activated');
    expect(pim.calls).toHaveLength(1);
  });

  it('someone else’s click, or a choose click that skips the activation, does nothing', async () => {
    const w = coreWorld();
    const pim = new FakePim(w.tenant, hank.oid, [authAdmin]);
    const request = await offered(w, pim);
    expect(codeOf(await activate(w, pim, click(request.id, erin)))).toBe('REQUEST_NOT_YOURS');
    expect(
      codeOf(
        await chooseTarget(w.deps, w.graphOf(hank), {
          requestId: request.id,
          userId: tom.oid,
          clicker: hank,
        }),
      ),
    ).toBe('CLICK_NOT_ALLOWED');
    expect(pim.calls).toEqual([]);
    expect((await stored(w, request.id)).activation).toEqual(authAdmin);
  });

  it('a rule failure: its own answer, audited, and the request still waits for the activation', async () => {
    const w = coreWorld();
    const pim = new FakePim(w.tenant, hank.oid, [authAdmin]);
    const request = await offered(w, pim);
    pim.answers.push(ruleFailure('JustificationRule'));
    const refused = await activate(w, pim, click(request.id, hank, { justification: null }));
    expect(refused.kind).toBe('not-active');
    expect(codeOf(refused)).toBe('PIM_JUSTIFICATION_REQUIRED');
    expect(await w.audit('pim.activation_refused')).toEqual([
      expect.objectContaining({
        code: 'PIM_JUSTIFICATION_REQUIRED',
        reason: 'Authentication Administrator for 1 hour',
      }),
    ]);
    expect((await stored(w, request.id)).activation).toEqual(authAdmin);
    expect((await activate(w, pim, click(request.id, hank))).kind).toBe('activated');
  });

  it('approval needed: pending, audited, nothing active; a role active already: goes on', async () => {
    const w = coreWorld();
    const pim = new FakePim(w.tenant, hank.oid, [authAdmin]);
    const request = await offered(w, pim);
    pim.answers.push({ status: 'PendingApproval' });
    expect(codeOf(await activate(w, pim, click(request.id, hank)))).toBe('PIM_ACTIVATION_PENDING');
    expect(await w.audit('pim.activation_pending')).toHaveLength(1);
    expect(w.tenant.users.get(hank.oid)!.roles).not.toContain(ROLES.authenticationAdministrator);
    // Approved (here: activated in the portal) meanwhile: PIM says it exists, the request goes on.
    w.tenant.users.get(hank.oid)!.roles.push(ROLES.authenticationAdministrator);
    pim.answers.push({
      fail: { status: 400, code: 'RoleAssignmentExists', message: 'The Role assignment already exists.' },
    });
    const next = await activate(w, pim, click(request.id, hank));
    expect(next.kind === 'activated' && next.next.kind).toBe('confirm');
  });

  it('an expired request cannot be activated', async () => {
    const w = coreWorld();
    const pim = new FakePim(w.tenant, hank.oid, [authAdmin]);
    const request = await offered(w, pim);
    w.clock.advanceMinutes(11);
    expect(codeOf(await activate(w, pim, click(request.id, hank)))).toBe('REQUEST_EXPIRED');
    expect(pim.calls).toEqual([]);
  });
});

describe('activationRefusal', () => {
  const fail = (code: string, message: string, status = 400) =>
    activationRefusal(
      new GraphFailure(status, code, message, undefined, undefined),
      'Authentication Administrator',
    );
  const codeOfRefusal = (r: ReturnType<typeof fail>) => (r.kind === 'problem' ? r.problem.code : r.kind);

  it('reads the rule names and answers the first that the person can fix first', () => {
    expect(failedRules('The following policy rules failed: ["ExpirationRule","JustificationRule"]')).toEqual([
      'ExpirationRule',
      'JustificationRule',
    ]);
    const p = 'RoleAssignmentRequestPolicyValidationFailed';
    expect(
      codeOfRefusal(fail(p, 'The following policy rules failed: ["ExpirationRule","JustificationRule"]')),
    ).toBe('PIM_JUSTIFICATION_REQUIRED');
    expect(codeOfRefusal(fail(p, 'The following policy rules failed: ["TicketingRule"]'))).toBe(
      'PIM_TICKET_REQUIRED',
    );
    expect(codeOfRefusal(fail(p, 'The following policy rules failed: ["ExpirationRule"]'))).toBe(
      'PIM_DURATION_TOO_LONG',
    );
    expect(codeOfRefusal(fail(p, 'The following policy rules failed: ["MfaRule"]'))).toBe('PIM_MFA_REQUIRED');
    expect(codeOfRefusal(fail(p, 'The following policy rules failed: ["EligibilityRule"]'))).toBe(
      'PIM_NOT_ELIGIBLE',
    );
    expect(codeOfRefusal(fail(p, 'something else'))).toBe('PIM_ACTIVATION_FAILED');
  });

  it('a claims challenge, a pending request, an existing activation, an outage', () => {
    expect(codeOfRefusal(fail('RoleAssignmentRequestAcrsValidationFailed', '…&claims=%7B%7D'))).toBe(
      'PIM_AUTH_CONTEXT_REQUIRED',
    );
    expect(codeOfRefusal(fail('PendingRoleAssignmentRequest', 'pending'))).toBe('PIM_ACTIVATION_PENDING');
    expect(codeOfRefusal(fail('RoleAssignmentExists', 'exists'))).toBe('already-active');
    expect(codeOfRefusal(fail('serviceNotAvailable', 'down', 503))).toBe('TAP_GRAPH_UNAVAILABLE');
    expect(codeOfRefusal(fail('Authorization_RequestDenied', 'no', 403))).toBe('PIM_ACTIVATION_FAILED');
  });
});
