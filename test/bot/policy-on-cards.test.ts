// The tenant TAP policy on every card, for admins whose role cannot read it (Dana, Authentication
// Administrator): TapDesk reads it with its own read-only application permission. Without that
// permission it falls back to each admin's own read and says so once, at startup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actionData,
  APPROVALS_CHANNEL,
  botAdded,
  cardOf,
  click,
  message,
  post,
} from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxState } from '../helpers/sandbox-admin.js';

const POLICY_PATH = /authenticationMethodConfigurations\/TemporaryAccessPass/;

async function ask(h: Harness, upn: string, text: string): Promise<string> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user(upn), text));
  expect(h.connector.sent().length).toBe(before + 1);
  return JSON.stringify(cardOf(h.connector.sent().at(-1)!.activity));
}

describe('with Policy.Read.AuthenticationMethod (application)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it("Dana's confirmation card shows the policy's range and the one-time setting, without contradiction", async () => {
    const card = await ask(h, 'dana@contoso.com', 'issue TAP for alice@contoso.com');
    expect(card).toContain(
      '"title":"Tenant policy","value":"Passes of 1 hour to 8 hours; one-time or multi-use"',
    );
    expect(card).toContain('"title":"Use","value":"Multi-use until it expires"');
    expect(card).not.toMatch(/couldn't read|tenant default/);

    // The policy was read once, app-only (no person behind the call); Dana's own read was never tried.
    const reads = (await sandboxState(h)).graphLog.filter((c) => POLICY_PATH.test(c.path));
    expect(reads).toHaveLength(1);
    expect(reads[0]!.status).toBe(200);
    const people = new Set(h.sandbox.tenant.users.map((u) => u.id));
    expect(people.has(reads[0]!.callerOid)).toBe(false);
  });

  it('a second card within minutes reuses the read; `once` and the clamp show on the card before Confirm', async () => {
    const card = await ask(h, 'dana@contoso.com', 'issue TAP for bob@contoso.com for 10h once');
    expect(card).toContain('the tenant maximum is 8 hours, so 8 hours will be used');
    expect(card).toContain('"title":"Lifetime","value":"8 hours"');
    expect(card).toContain('"title":"Use","value":"One-time (works for a single sign-in)"');
    const reads = (await sandboxState(h)).graphLog.filter((c) => POLICY_PATH.test(c.path));
    expect(reads).toHaveLength(1);

    // Confirm creates exactly what the card said, with Dana's own delegated token.
    const { requestId } = actionData(JSON.parse(card), 'tap.confirm');
    const response = await post(
      h,
      click(h, h.user('dana@contoso.com'), 'tap.confirm', { requestId, verification: 'callback' }),
    );
    expect(JSON.stringify(response.body)).toContain('Copy it now');
    const pass = (await sandboxState(h)).passes.find((p) => p.userPrincipalName === 'bob@contoso.com')!;
    expect(pass).toMatchObject({ lifetimeInMinutes: 480, isUsableOnce: true });
    const create = (await sandboxState(h)).graphLog.find((c) => c.method === 'POST');
    expect(create?.callerOid).toBe(h.user('dana@contoso.com').id);
  });

  it('the approval cards show the policy too, for a requester whose role cannot read it', async () => {
    await post(h, botAdded(h, h.user('erin@contoso.com'), APPROVALS_CHANNEL));
    const tracking = await ask(h, 'harry@contoso.com', 'request TAP for frank@contoso.com for 2h');
    expect(tracking).toContain('Passes of 1 hour to 8 hours; one-time or multi-use');
    const approvers = JSON.stringify(cardOf(h.connector.proactive(APPROVALS_CHANNEL).at(-1)!.activity));
    expect(approvers).toContain('Passes of 1 hour to 8 hours; one-time or multi-use');
    expect(approvers).toContain('"title":"Use","value":"Multi-use until it expires"');
  });
});

describe('without it (APP_PERMISSIONS lacks Policy.Read.AuthenticationMethod)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ APP_PERMISSIONS: 'RoleManagement.Read.Directory' });
  });
  afterAll(async () => h?.close());

  it('says so once, at startup', () => {
    const warnings = h.logLines.filter((l) => l.includes('policy.app_read_off'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!).level).toBe(40);
    expect(warnings[0]).toContain('Policy.Read.AuthenticationMethod');
  });

  it("Dana's card falls back quietly: no policy line, no per-card apology, and no app-only read", async () => {
    const card = await ask(h, 'dana@contoso.com', 'issue TAP for alice@contoso.com');
    expect(card).not.toContain('Tenant policy');
    expect(card).not.toMatch(/couldn't read|tenant default|Multi-use until it expires/);
    expect(card).toContain('"title":"Use","value":"As the tenant policy sets it (one-time or multi-use)"');
    const reads = (await sandboxState(h)).graphLog.filter((c) => POLICY_PATH.test(c.path));
    expect(reads.map((r) => [r.callerOid, r.status])).toEqual([[h.user('dana@contoso.com').id, 403]]);
    expect(h.logLines.filter((l) => l.includes('policy.app_read_off'))).toHaveLength(1);
  });

  it('an admin who can read the policy still sees it on the card (delegated read, as before)', async () => {
    // Frank is a Global Administrator, a role that may read authentication method policies.
    const card = await ask(h, 'frank@contoso.com', 'issue TAP for alice@contoso.com');
    expect(card).toContain('Passes of 1 hour to 8 hours; one-time or multi-use');
  });

  it('a lifetime outside the policy is then refused by Entra at Confirm, with the allowed range', async () => {
    const card = JSON.parse(await ask(h, 'dana@contoso.com', 'issue TAP for bob@contoso for 30m'));
    const { requestId } = actionData(card, 'tap.confirm');
    const response = await post(
      h,
      click(h, h.user('dana@contoso.com'), 'tap.confirm', { requestId, verification: 'in-person' }),
    );
    const text = JSON.stringify(response.body);
    expect(text).toContain('TAP_LIFETIME_RANGE');
    expect(text).toContain('between 60 and 480 minutes');
  });
});
