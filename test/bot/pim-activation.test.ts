// Just-in-time role (PIM) through real HTTP: olga is only eligible for Authentication Administrator,
// activates it from the refusal card with her own account, and the original request goes on to a
// pass; each rule PIM enforces gets its own answer; paul's Global Administrator needs an approver.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { securityEventSchema } from '../../src/audit/security-event.js';
import type { FixtureUser } from '../../sandbox/index.js';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

const AUTH_ADMIN = 'c4e39bd9-1100-46d3-8c65-fb160da0071f';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(
    {},
    {
      fixture: (f) => {
        // Colleagues of olga's, each eligible for the same role with one more setting.
        const olga = f.users.find((u) => u.userPrincipalName === 'olga@contoso.com')!;
        const add = (
          name: string,
          id: string,
          setting: Record<string, unknown>,
          extra: Partial<FixtureUser> = {},
        ) =>
          f.users.push({
            ...structuredClone(olga),
            id,
            displayName: `${name} Test`,
            userPrincipalName: `${name}@contoso.com`,
            mail: `${name}@contoso.com`,
            teamsUserId: `29:sandbox-${name}`,
            eligibleRoles: [{ ...olga.eligibleRoles![0]!, ...setting }],
            ...extra,
          });
        add('tessa', '8e0f3c1a-0000-4000-a000-000000000001', { requiresTicket: true });
        add('mona', '8e0f3c1a-0000-4000-a000-000000000002', { requiresMfa: true }, { amr: ['pwd'] });
        add('cara', '8e0f3c1a-0000-4000-a000-000000000003', { authenticationContext: 'c1' });
      },
    },
  );
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await sandboxAdmin(h, 'POST', '/reset');
});

/** Types a command; returns the one card TapDesk answered with. */
async function ask(upn: string, text: string) {
  const before = h.connector.sent().length;
  expect((await post(h, message(h, h.user(upn), text))).status).toBe(200);
  const replies = h.connector.sent().slice(before);
  expect(replies).toHaveLength(1);
  return { card: cardOf(replies[0]!.activity), id: replies[0]!.assignedId };
}

/** Clicks Activate on a card with these inputs; returns the card the invoke response carries. */
async function activate(upn: string, card: unknown, inputs: Record<string, unknown>, replyToId?: string) {
  const { requestId } = actionData(card, 'pim.activate');
  const response = await post(
    h,
    click(h, h.user(upn), 'pim.activate', { requestId, ...inputs }, { replyToId }),
  );
  expect(response.status).toBe(200);
  return (response.body as { value: unknown }).value;
}

const text = (v: unknown) => JSON.stringify(v);
const activations = async () => (await sandboxState(h)).activations;

describe('olga activates Authentication Administrator and issues', () => {
  it('refusal offers the role → Activate (her own token) → the original request goes on → Confirm → the pass', async () => {
    const olga = h.user('olga@contoso.com');
    const securityFrom = h.logLines.length;
    const { card, id } = await ask('olga@contoso.com', 'issue TAP for alice@contoso.com for 2h');
    expect(text(card)).toContain('You need an authentication admin role');
    expect(text(card)).toContain('Activate Authentication Administrator');
    // The justification is prefilled from what she asked for.
    expect(text(card)).toContain('Issue a Temporary Access Pass for Alice Wong (alice@contoso.com)');
    const justification = 'INC-42: Alice lost her phone';
    const next = await activate('olga@contoso.com', card, { duration: '60', justification, ticket: '' }, id);

    // PIM granted the role to olga herself, for one hour on the sandbox clock.
    const granted = await activations();
    expect(granted).toHaveLength(1);
    expect(granted[0]).toMatchObject({
      principalId: olga.id,
      roleDefinitionId: AUTH_ADMIN,
      status: 'Granted',
      justification,
      active: true,
    });
    const minutes =
      (Date.parse(String(granted[0]!.endDateTime)) - Date.parse(String(granted[0]!.startDateTime))) / 60_000;
    expect(minutes).toBe(60);

    // Without retyping: the same request, now a confirmation card whose Confirm works.
    expect(text(next)).toContain('Alice Wong');
    const { requestId } = actionData(next, 'tap.confirm');
    expect(requestId).toBe(actionData(card, 'pim.activate').requestId);
    const confirmed = await post(
      h,
      click(h, olga, 'tap.confirm', { requestId, verification: 'callback' }, { replyToId: id }),
    );
    expect(confirmed.status).toBe(200);
    const passes = (await sandboxState(h)).passes.filter((p) => p.userId === h.user('alice@contoso.com').id);
    expect(passes).toHaveLength(1);
    expect(passes[0]!.createdBy).toBe(olga.id);

    // Audited, and the SOC gets it as a security event.
    const events = h.logLines
      .slice(securityFrom)
      .filter((l) => l.includes('"channel":"security"'))
      .map((l) => securityEventSchema.parse((JSON.parse(l) as { securityEvent: unknown }).securityEvent));
    const activated = events.filter((e) => e.eventType === 'pim.activated');
    expect(activated).toHaveLength(1);
    expect(activated[0]).toMatchObject({ outcome: 'success', actor: { id: olga.id } });
    expect(activated[0]!.reason).toContain('Authentication Administrator for 1 hour');
    expect(events.map((e) => e.eventType)).toContain('tap.issued');
  });

  it('a click by someone else on her Activate button is refused and activates nothing', async () => {
    const { card } = await ask('olga@contoso.com', 'issue TAP for bob@contoso.com');
    const answer = await post(
      h,
      click(h, h.user('dana@contoso.com'), 'pim.activate', {
        requestId: actionData(card, 'pim.activate').requestId,
        duration: '60',
        justification: 'not mine',
      }),
    );
    // REQUEST_NOT_YOURS leaves the card as it is, with a line for the clicker.
    expect(text(answer.body)).toContain('This is not your request. Only Olga Petrova');
    expect(await activations()).toEqual([]);
    // Her card still works for her.
    const next = await activate('olga@contoso.com', card, { duration: '30', justification: 'INC-5' });
    expect(text(next)).toContain('tap.confirm');
  });

  it('a forged duration outside the card’s list is refused before anything happens', async () => {
    const { card } = await ask('olga@contoso.com', 'issue TAP for bob@contoso.com');
    const answer = await post(
      h,
      click(h, h.user('olga@contoso.com'), 'pim.activate', {
        requestId: actionData(card, 'pim.activate').requestId,
        duration: '6000',
        justification: 'x',
      }),
    );
    expect(text(answer.body)).toContain('I could not read that click');
    expect(await activations()).toEqual([]);
  });
});

describe('the activation’s rule failures each get their own answer, and the card stays to try again', () => {
  it('no justification: PIM_JUSTIFICATION_REQUIRED; with one, the same card then activates', async () => {
    const { card } = await ask('olga@contoso.com', 'issue TAP for bob@contoso.com');
    const refused = await activate('olga@contoso.com', card, { duration: '60', justification: '' });
    expect(text(refused)).toContain('PIM_JUSTIFICATION_REQUIRED');
    expect(await activations()).toEqual([]);
    const next = await activate('olga@contoso.com', refused, { duration: '60', justification: 'INC-7' });
    expect(text(next)).toContain('tap.confirm');
  });

  it('no ticket where the role requires one: PIM_TICKET_REQUIRED', async () => {
    const { card } = await ask('tessa@contoso.com', 'issue TAP for bob@contoso.com');
    const refused = await activate('tessa@contoso.com', card, { duration: '60', justification: 'INC-8' });
    expect(text(refused)).toContain('PIM_TICKET_REQUIRED');
    const next = await activate('tessa@contoso.com', card, {
      duration: '60',
      justification: 'INC-8',
      ticket: 'INC-8',
    });
    expect(text(next)).toContain('tap.confirm');
    expect((await activations())[0]).toMatchObject({ ticketNumber: 'INC-8' });
  });

  it('longer than the role allows: PIM_DURATION_TOO_LONG (paul, at most 2 hours)', async () => {
    const { card } = await ask('paul@contoso.com', 'issue TAP for bob@contoso.com');
    expect(text(card)).toContain('Activate Global Administrator');
    const refused = await activate('paul@contoso.com', card, { duration: '240', justification: 'INC-9' });
    expect(text(refused)).toContain('PIM_DURATION_TOO_LONG');
  });

  it('MFA the sign-in lacks, or an authentication context: a link to activate in the portal', async () => {
    for (const [upn, code] of [
      ['mona@contoso.com', 'PIM_MFA_REQUIRED'],
      ['cara@contoso.com', 'PIM_AUTH_CONTEXT_REQUIRED'],
    ] as const) {
      const { card } = await ask(upn, 'issue TAP for bob@contoso.com');
      const refused = await activate(upn, card, { duration: '60', justification: 'INC-10' });
      expect(text(refused)).toContain(code);
      const portal = (refused as { actions: { type: string; url?: string }[] }).actions.find(
        (a) => a.type === 'Action.OpenUrl',
      );
      expect(portal?.url).toMatch(/^https:\/\/entra\.microsoft\.com\/.*PIMCommon/);
    }
    expect(await activations()).toEqual([]);
    const refusedEvents = h.logLines.filter(
      (l) => l.includes('"channel":"security"') && l.includes('pim.activation_refused'),
    );
    expect(refusedEvents.length).toBeGreaterThanOrEqual(2);
  });
});

describe("paul's Global Administrator needs approval", () => {
  it('PendingApproval: its own answer, nothing active, no pass; clicking again says it still waits', async () => {
    const { card } = await ask('paul@contoso.com', 'issue TAP for bob@contoso.com');
    const pending = await activate('paul@contoso.com', card, { duration: '60', justification: 'INC-11' });
    expect(text(pending)).toContain('PIM_ACTIVATION_PENDING');
    expect(text(pending)).not.toContain('tap.confirm');
    expect(await activations()).toEqual([
      expect.objectContaining({ status: 'PendingApproval', active: false }),
    ]);
    const again = await activate('paul@contoso.com', pending, { duration: '60', justification: 'INC-11' });
    expect(text(again)).toContain('PIM_ACTIVATION_PENDING');
    expect((await sandboxState(h)).passes).toEqual([]);

    // An approver agrees (the sandbox plays them); Activate again finds the role active and goes on.
    const [waiting] = await activations();
    await sandboxAdmin(h, 'POST', '/pim/approve', { requestId: waiting!.requestId });
    const next = await activate('paul@contoso.com', again, { duration: '60', justification: 'INC-11' });
    const { requestId } = actionData(next, 'tap.confirm');
    const confirmed = await post(
      h,
      click(h, h.user('paul@contoso.com'), 'tap.confirm', { requestId, verification: 'in-person' }),
    );
    expect(confirmed.status).toBe(200);
    expect((await sandboxState(h)).passes).toEqual([
      expect.objectContaining({
        userId: h.user('bob@contoso.com').id,
        createdBy: h.user('paul@contoso.com').id,
      }),
    ]);
  });
});

describe('a tenant that has not consented to the PIM scopes', () => {
  it('olga gets the plain refusal, without an Activate button, and nothing else breaks', async () => {
    const bare = await startHarness(
      {},
      {
        fixture: (f) => {
          f.apps[0].consentedDelegatedScopes = f.apps[0].consentedDelegatedScopes.filter(
            (s) => s !== 'RoleAssignmentSchedule.ReadWrite.Directory',
          );
        },
      },
    );
    try {
      const turn = await post(
        bare,
        message(bare, bare.user('olga@contoso.com'), 'issue TAP for alice@contoso.com'),
      );
      expect(turn.status).toBe(200);
      const replies = bare.connector.sent();
      expect(replies).toHaveLength(1);
      const reply = text(cardOf(replies[0]!.activity));
      expect(reply).toContain('TAP_ROLE_MISSING');
      expect(reply).not.toContain('pim.activate');
      expect(
        bare.logLines.some((l) => l.includes('pim.offer_unavailable') && l.includes('PIM_NOT_CONSENTED')),
      ).toBe(true);
    } finally {
      await bare.close();
    }
  });
});
