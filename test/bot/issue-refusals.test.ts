import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxState } from '../helpers/sandbox-admin.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** Sends a command and returns the text of the one card or message the bot answered with. */
async function ask(asUpn: string, text: string): Promise<string> {
  const before = h.connector.sent().length;
  const turn = await post(h, message(h, h.user(asUpn), text));
  expect(turn.status).toBe(200);
  const replies = h.connector.sent().slice(before);
  expect(replies).toHaveLength(1);
  return JSON.stringify(replies[0]!.activity);
}

/** Prepares and confirms; returns the invoke response body text. */
async function askAndConfirm(asUpn: string, text: string): Promise<string> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user(asUpn), text));
  const card = cardOf(h.connector.sent()[before]!.activity);
  const { requestId } = actionData(card, 'tap.confirm');
  const response = await post(
    h,
    click(h, h.user(asUpn), 'tap.confirm', { requestId, verification: 'in-person' }),
  );
  expect(response.status).toBe(200);
  return JSON.stringify(response.body);
}

describe('refusals: each has its own message, and no pass is created', () => {
  it('Harry (Helpdesk Administrator) → Alice: role missing, PIM hint', async () => {
    const text = await ask('harry@contoso.com', 'issue TAP for alice@contoso');
    expect(text).toContain('TAP_ROLE_MISSING');
    expect(text).toContain('Privileged Identity Management');
  });

  it('Mallory (no role) → Alice: role missing', async () => {
    expect(await ask('mallory@contoso.com', 'issue TAP for alice@contoso')).toContain('TAP_ROLE_MISSING');
  });

  it('Dana → Frank (Global Administrator): needs a Privileged Authentication Administrator', async () => {
    const text = await ask('dana@contoso.com', 'issue TAP for frank@contoso.com');
    expect(text).toContain('TAP_TARGET_PRIVILEGED');
    expect(text).toContain('Frank Ortiz');
  });

  it('Dana → Judy (external guest): guests refused', async () => {
    expect(await ask('dana@contoso.com', 'issue TAP for Judy Ext')).toContain('TAP_GUEST');
  });

  it('Dana → herself: self refused', async () => {
    expect(await ask('dana@contoso.com', 'issue TAP for dana@contoso.com')).toContain('TAP_SELF');
  });

  it('Dana → Gina (excluded from the policy): Entra refuses at confirm, mapped to the policy message', async () => {
    const text = await askAndConfirm('dana@contoso.com', 'issue TAP for gina@contoso.com');
    expect(text).toContain('TAP_POLICY_EXCLUDED');
  });

  it('lifetime 30m: the card keeps it within the tenant policy before Confirm and says so', async () => {
    // TapDesk reads the policy with its own app-only permission, though Dana's role cannot.
    const text = await ask('dana@contoso.com', 'issue TAP for bob@contoso for 30m');
    expect(text).toContain('the tenant minimum is 1 hour, so 1 hour will be used');
    expect(text).toContain('Passes of 1 hour to 8 hours');
  });

  it('unknown user: a clear message', async () => {
    const text = await ask('dana@contoso.com', 'issue TAP for nobody@contoso.com');
    expect(text).toContain('TAP_USER_NOT_FOUND');
    expect(text).toContain('nobody@contoso.com');
  });

  it('bad input gets a specific answer with what to type instead', async () => {
    expect(await ask('dana@contoso.com', 'issue TAP for alice for 2 fortnights')).toMatch(/for 2h|for 90m/);
    expect(await ask('dana@contoso.com', 'make me a sandwich')).toMatch(/help/i);
  });

  it('none of the above created a pass', async () => {
    const state = await sandboxState(h);
    expect(state.passes).toEqual([]);
    const writes = state.graphLog.filter((c) => c.method !== 'GET');
    // Only Gina's confirm reached Graph, and Entra refused it.
    expect(writes.map((w) => w.status)).toEqual([400]);
  });
});
