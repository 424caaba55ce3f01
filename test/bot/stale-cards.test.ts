import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/log.js';
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
import { sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

// Cards shown minutes ago must not act on facts that changed since: real HTTP into /api/messages,
// the sandbox tenant, a SQLite file. Dana (Authentication Administrator) and Erin (Privileged
// Authentication Administrator) both issue passes.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const text = (value: unknown) => JSON.stringify(value);
const creates = async () =>
  (await sandboxState(h)).graphLog.filter((c) => c.method === 'POST' && /temporaryAccessPass/.test(c.path));
const passesFor = async (upn: string) =>
  (await sandboxState(h)).passes.filter((p) => p.userPrincipalName === upn);
const audit = () => new AuditLog(h.store, () => new Date()).recent(200);

/** Types a command and returns the confirmation card's request id. */
async function cardFor(upn: string, line: string): Promise<string> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user(upn), line));
  return actionData(cardOf(h.connector.sent()[before]!.activity), 'tap.confirm').requestId as string;
}

const confirm = (upn: string, requestId: string) =>
  post(h, click(h, h.user(upn), 'tap.confirm', { requestId, verification: 'callback' }));

describe('a stale confirmation card', () => {
  it('does not replace a pass another admin issued since; a fresh card says so and asks again', async () => {
    const stale = await cardFor('dana@contoso.com', 'issue TAP for bob@contoso.com');
    // Meanwhile Erin issues Bob a pass that Dana's card knows nothing about.
    const erins = await cardFor('erin@contoso.com', 'issue TAP for bob@contoso.com');
    expect(text((await confirm('erin@contoso.com', erins)).body)).toContain('Copy it now');
    const erinsPass = (await passesFor('bob@contoso.com'))[0]!;
    const writes = (await creates()).length;

    const answer = text((await confirm('dana@contoso.com', stale)).body);
    expect(answer).toContain('What changed since the last card');
    expect(answer).toContain('They got another pass since');
    expect((await creates()).length).toBe(writes);
    expect((await passesFor('bob@contoso.com'))[0]!.passSha256).toBe(erinsPass.passSha256);

    // The old card is dead for good; the fresh one is a new request.
    const fresh = actionData(JSON.parse(answer).value, 'tap.confirm').requestId as string;
    expect(fresh).not.toBe(stale);
    expect(text((await confirm('dana@contoso.com', stale)).body)).toContain('REQUEST_ALREADY_USED');
    expect((await creates()).length).toBe(writes);

    // Confirming the fresh card replaces Erin's pass, and the trail says so.
    expect(text((await confirm('dana@contoso.com', fresh)).body)).toContain('Copy it now');
    const events = await audit();
    expect(events.some((e) => e.type === 'request.superseded' && e.requestId === stale)).toBe(true);
    const replaced = events.find((e) => e.type === 'tap.replaced' && e.requestId === fresh);
    expect(replaced?.methodId).toBe(erinsPass.id);
  });

  it('does not issue when the account was disabled since, and says so', async () => {
    const stale = await cardFor('dana@contoso.com', 'issue TAP for alice.smith@contoso.com');
    // Another admin disables the account after the card was shown.
    const disable = (accountEnabled: boolean) =>
      sandboxAdmin(h, 'POST', '/users/alice.smith@contoso.com/account', { accountEnabled });
    await disable(false);
    try {
      const before = (await creates()).length;
      const answer = text((await confirm('dana@contoso.com', stale)).body);
      expect(answer).toContain('Their account was disabled');
      expect((await creates()).length).toBe(before);
    } finally {
      await disable(true);
    }
  });
});

describe('Revoke on a notice of a pass replaced since', () => {
  it('says the pass was replaced, by whom, and offers the newer one; nothing is deleted until asked', async () => {
    const first = await cardFor('dana@contoso.com', 'issue TAP for carol@contoso.com');
    expect(text((await confirm('dana@contoso.com', first)).body)).toContain('Copy it now');
    const newer = await cardFor('erin@contoso.com', 'issue TAP for carol@contoso.com');
    expect(text((await confirm('erin@contoso.com', newer)).body)).toContain('Copy it now');
    const deletesBefore = (await sandboxState(h)).graphLog.filter((c) => c.method === 'DELETE').length;

    // Dana's notice still carries her request's id: "Revoke now".
    const answer = await post(h, click(h, h.user('dana@contoso.com'), 'tap.revoke', { requestId: first }));
    const body = text(answer.body);
    expect(body).toContain('Nothing revoked yet');
    expect(body).toContain('issued by Erin');
    const state = await sandboxState(h);
    expect(state.graphLog.filter((c) => c.method === 'DELETE')).toHaveLength(deletesBefore);
    expect(state.passes.filter((p) => p.userPrincipalName === 'carol@contoso.com')).toHaveLength(1);

    // The button on that answer revokes the pass Carol actually holds.
    const requestId = actionData(JSON.parse(body).value, 'tap.revoke').requestId as string;
    const revoked = await post(h, click(h, h.user('dana@contoso.com'), 'tap.revoke', { requestId }));
    expect(text(revoked.body)).toContain('Revoked by Dana');
    expect(await passesFor('carol@contoso.com')).toHaveLength(0);
    // The old notice's button now finds nothing to revoke, and says so.
    const again = await post(h, click(h, h.user('dana@contoso.com'), 'tap.revoke', { requestId: first }));
    expect(text(again.body)).toContain('it was already gone');
  });
});

describe('a stale approval card', () => {
  it('is reopened with what changed when the person got a pass since; the next Approve issues', async () => {
    await post(h, botAdded(h, h.user('dana@contoso.com'), APPROVALS_CHANNEL));
    await post(h, message(h, h.user('carol@contoso.com'), 'request TAP for alice@contoso.com'));
    const card = cardOf(h.connector.proactive(APPROVALS_CHANNEL).at(-1)!.activity);
    const { requestId } = actionData(card, 'tap.approve');
    // Dana issues Alice a pass directly while the request waits.
    const direct = await cardFor('dana@contoso.com', 'issue TAP for alice@contoso.com');
    expect(text((await confirm('dana@contoso.com', direct)).body)).toContain('Copy it now');
    const approve = () =>
      post(
        h,
        inConversation(click(h, h.user('erin@contoso.com'), 'tap.approve', { requestId }), APPROVALS_CHANNEL),
      );
    const writes = (await creates()).length;

    const first = text((await approve()).body);
    expect(first).toContain('APPROVAL_FACTS_CHANGED');
    expect(first).toContain('They got another pass since');
    expect((await creates()).length).toBe(writes);
    const updated = h.connector.updates().filter((u) => u.conversationId === APPROVALS_CHANNEL);
    expect(text(updated.at(-1)!.activity)).toContain('What changed');

    expect(text((await approve()).body)).toContain('Copy it now');
    expect((await audit()).some((e) => e.type === 'tap.replaced' && e.requestId === requestId)).toBe(true);
  });
});
