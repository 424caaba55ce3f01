import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actionData,
  APPROVALS_CHANNEL,
  botAdded,
  cardOf,
  click,
  inConversation,
  message,
  post,
} from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxState } from '../helpers/sandbox-admin.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function ask(upn: string, text: string): Promise<Record<string, unknown>> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user(upn), text));
  expect(h.connector.sent().length).toBe(before + 1);
  return h.connector.sent().at(-1)!.activity;
}

async function issue(upn: string, targetUpn: string): Promise<string> {
  const card = cardOf(await ask(upn, `issue TAP for ${targetUpn}`));
  const { requestId } = actionData(card, 'tap.confirm');
  const response = await post(
    h,
    click(h, h.user(upn), 'tap.confirm', { requestId, verification: 'callback' }),
  );
  expect(JSON.stringify(response.body)).toContain('Copy it now');
  return requestId as string;
}

const passesFor = async (upn: string) =>
  (await sandboxState(h)).passes.filter((p) => p.userPrincipalName === upn);

describe('list, revoke, policy, help', () => {
  it('`list TAP for alice`: no pass, then the pass with a Revoke button that deletes it for good', async () => {
    expect(JSON.stringify(await ask('dana@contoso.com', 'list TAP for alice@contoso.com'))).toMatch(
      /no (active )?pass|No Temporary Access Pass/i,
    );
    await issue('dana@contoso.com', 'alice@contoso.com');
    const listed = cardOf(await ask('dana@contoso.com', 'list TAP for alice@contoso.com'));
    expect(JSON.stringify(listed)).toContain('Alice Wong');
    const { requestId } = actionData(listed, 'tap.revoke');

    // Only the admin who listed it can use that button.
    const mallory = await post(h, click(h, h.user('mallory@contoso.com'), 'tap.revoke', { requestId }));
    expect(JSON.stringify(mallory.body)).toContain('Only Dana Reyes');
    expect(await passesFor('alice@contoso.com')).toHaveLength(1);

    const revoked = await post(h, click(h, h.user('dana@contoso.com'), 'tap.revoke', { requestId }));
    expect(JSON.stringify(revoked.body)).toMatch(/Revoked by Dana Reyes/i);
    expect(await passesFor('alice@contoso.com')).toHaveLength(0);
    const deletes = (await sandboxState(h)).graphLog.filter((c) => c.method === 'DELETE');
    expect(deletes.map((d) => d.callerOid)).toEqual([h.user('dana@contoso.com').id]);

    const again = await post(h, click(h, h.user('dana@contoso.com'), 'tap.revoke', { requestId }));
    expect(JSON.stringify(again.body)).toContain('REQUEST_ALREADY_USED');
  });

  it('`revoke TAP for bob`: a confirmation card, then DELETE as the clicker', async () => {
    const issueRequestId = await issue('dana@contoso.com', 'bob@contoso.com');
    const confirm = cardOf(await ask('dana@contoso.com', 'revoke TAP for bob@contoso.com'));
    expect(JSON.stringify(confirm)).toMatch(/Revoke the pass for Bob Kim\?/);
    const { requestId } = actionData(confirm, 'tap.revoke');
    await post(h, click(h, h.user('dana@contoso.com'), 'tap.revoke', { requestId }));
    expect(await passesFor('bob@contoso.com')).toHaveLength(0);
    // The shared card shows the outcome for everyone.
    expect(JSON.stringify(h.connector.updates().at(-1)!.activity)).toMatch(/Revoked by Dana Reyes/);
    // The issue request learned it too, so no expiry reminder goes out for a pass that is gone.
    const issuedRow = await h.store.get<{ state: string; kind?: string }>(
      'requests',
      issueRequestId,
      'request',
    );
    expect(issuedRow?.value.state).toBe('revoked');
  });

  it('a pass on a privileged user is listed without a Revoke button for an Authentication Administrator', async () => {
    const frank = h.user('frank@contoso.com');
    // Admins' passes come only through approval: Harry (service desk) asks, Erin approves.
    await post(h, botAdded(h, h.user('erin@contoso.com'), APPROVALS_CHANNEL));
    await ask('harry@contoso.com', 'request TAP for frank@contoso.com');
    const approval = cardOf(h.connector.proactive(APPROVALS_CHANNEL).at(-1)!.activity);
    const approved = await post(
      h,
      inConversation(
        click(h, h.user('erin@contoso.com'), 'tap.approve', actionData(approval, 'tap.approve')),
        APPROVALS_CHANNEL,
      ),
    );
    expect(JSON.stringify(approved.body)).toContain('Copy it now');
    const listed = JSON.stringify(
      cardOf(await ask('dana@contoso.com', `list TAP for ${frank.userPrincipalName}`)),
    );
    expect(listed).toContain('Frank Ortiz');
    expect(listed).not.toContain('tap.revoke');
  });

  it('`revoke`/`list` without a role: refused with the PIM hint', async () => {
    expect(JSON.stringify(await ask('harry@contoso.com', 'revoke TAP for alice@contoso.com'))).toContain(
      'TAP_ROLE_MISSING',
    );
  });

  it('`tap policy`: shown to Frank (Global Administrator); its terms to Dana, but not who it applies to', async () => {
    const forFrank = JSON.stringify(await ask('frank@contoso.com', 'tap policy'));
    expect(forFrank).toMatch(/1 hour/);
    expect(forFrank).toMatch(/8 hours/);
    expect(forFrank).toContain('all users');
    // Dana's role cannot read the policy: TapDesk's own read gives her the terms every card shows.
    const forDana = JSON.stringify(await ask('dana@contoso.com', 'tap policy'));
    expect(forDana).toMatch(/8 hours/);
    expect(forDana).not.toContain('all users');
    expect(forDana).toContain('your role cannot read who the policy applies to');
  });

  it('bad input: says what to type instead, and an unknown person is named', async () => {
    const missing = JSON.stringify(await ask('dana@contoso.com', 'list TAP'));
    expect(missing).toMatch(/list TAP for [^'"]+/);
    expect(JSON.stringify(await ask('dana@contoso.com', 'revoke TAP for alice@contoso.com for 2h'))).toMatch(
      /Try|Put|e\.g\./,
    );
    const unknown = JSON.stringify(await ask('dana@contoso.com', 'revoke TAP for nobody@contoso.com'));
    expect(unknown).toContain('TAP_USER_NOT_FOUND');
    expect(unknown).toContain('nobody@contoso.com');
    expect((await sandboxState(h)).graphLog.filter((c) => c.method === 'DELETE' && c.status !== 204)).toEqual(
      [],
    );
  });

  it('`help` adapts to what the caller may do', async () => {
    const forDana = JSON.stringify(await ask('dana@contoso.com', 'help'));
    const forMallory = JSON.stringify(await ask('mallory@contoso.com', 'help'));
    expect(forDana).toContain('issue TAP for');
    expect(forDana).not.toEqual(forMallory);
    expect(forMallory).toMatch(/admin/i);
  });
});
