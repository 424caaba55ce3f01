import { createHash } from 'node:crypto';
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
import { AuditLog } from '../../src/audit/log.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

// Delivery to the manager and by SMS, through real HTTP: /api/messages, the sandbox tenant's Graph
// (OBO and TapDesk's own install permission), its Communication Services stand-in and a SQLite file.
type Outbox = { channel: string; to: string; from: string; at: string; passes: string[] }[];
type Installed = { userId: string; teamsAppId: string; chatId: string }[];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // Teams' side of an install: the sandbox announces it to this bot, whose replies go to the connector.
  await sandboxAdmin(h, 'POST', '/teams/bot', { endpoint: h.bot.url, serviceUrl: h.connector.url });
  await post(h, botAdded(h, h.user('dana@contoso.com'), APPROVALS_CHANNEL));
});
afterAll(async () => h?.close());

const text = (value: unknown) => JSON.stringify(value);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const state = async () =>
  (await sandboxState(h)) as Awaited<ReturnType<typeof sandboxState>> & {
    outbox: Outbox;
    installedApps: Installed;
  };
const auditOf = async (requestId: string) =>
  (await new AuditLog(h.store, () => new Date()).recent(200)).filter((e) => e.requestId === requestId);

/** `request TAP …` by `upn` in their 1:1 chat; returns their reply and the approvers' card, if one was posted. */
async function request(upn: string, line: string) {
  const sentBefore = h.connector.sent().length;
  const channelBefore = h.connector.proactive(APPROVALS_CHANNEL).length;
  await post(h, message(h, h.user(upn), line));
  const reply = h.connector.sent().slice(sentBefore)[0];
  const posted = h.connector.proactive(APPROVALS_CHANNEL).slice(channelBefore)[0];
  return { reply: text(reply?.activity), approval: posted ? cardOf(posted.activity) : undefined };
}

function approve(upn: string, requestId: unknown) {
  return post(
    h,
    inConversation(
      click(h, h.user(upn), 'tap.approve', { requestId }),
      `${APPROVALS_CHANNEL};messageid=1763776000000`,
    ),
  );
}

/** Every place a pass must never be: messages the bot sent, its logs, its database. */
function leaked(code: string): string[] {
  return [
    ...(h.connector.allText().includes(code) ? ['messages'] : []),
    ...(h.logLines.join('\n').includes(code) ? ['logs'] : []),
    ...(h.storageContains(code) ? ['store'] : []),
  ];
}

describe('delivery to the manager', () => {
  it('installs TapDesk for a manager it never talked to, and only that manager can reveal the pass', async () => {
    const carol = h.user('carol@contoso.com');
    expect((await state()).installedApps).toEqual([]);
    const code = 'Mg7#Reveal2x';
    await sandboxAdmin(h, 'POST', '/next-pass', { value: code });
    const { approval } = await request(
      'harry@contoso.com',
      'request TAP for bob@contoso.com deliver to manager reason: lost phone',
    );
    expect(text(approval)).toContain('their manager');
    const { requestId } = actionData(approval, 'tap.approve');

    const approved = await approve('dana@contoso.com', requestId);
    expect(approved.status).toBe(200);
    expect(text(approved.body)).toContain('Carol Diaz');
    expect(text(approved.body)).not.toContain(code);

    // Installed with TapDesk's own app permission; Teams' announcements made the 1:1 chat reachable.
    const installed = (await state()).installedApps;
    expect(installed).toHaveLength(1);
    expect(installed[0]!.userId).toBe(carol.id);
    const chatId = installed[0]!.chatId;
    const install = (await state()).graphLog.find((l) =>
      l.path.endsWith(`/users/${carol.id}/teamwork/installedApps`),
    );
    expect(install?.method).toBe('POST');
    expect(install?.status).toBe(201);
    const revealPost = h.connector.proactive(chatId).find((c) => text(c.activity).includes('tap.reveal'));
    expect(revealPost).toBeDefined();
    expect(text(revealPost!.activity)).not.toContain(code);

    // Bob (the person) and Harry (who asked) cannot reveal it; Carol can, once.
    const asHarry = await post(h, click(h, h.user('harry@contoso.com'), 'tap.reveal', { requestId }));
    expect(text(asHarry.body)).not.toContain(code);
    const reveal = await post(h, click(h, carol, 'tap.reveal', { requestId }, { conversationId: chatId }));
    expect(text(reveal.body)).toContain(code);
    const again = await post(h, click(h, carol, 'tap.reveal', { requestId }, { conversationId: chatId }));
    expect(text(again.body)).not.toContain(code);
    expect(leaked(code)).toEqual([]);

    const audit = await auditOf(requestId as string);
    const delivered = audit.find((e) => e.type === 'pass.delivered');
    expect(delivered?.delivery).toEqual({
      channel: 'manager',
      destination: 'Carol Diaz',
      outcome: 'delivered',
    });
    expect(audit.map((e) => e.type)).toContain('pass.revealed');
    // Teams' install announcements were handled like any install (stored, welcomed), without an error.
    expect(h.logLines.filter((l) => l.includes('"event":"turn.error"'))).toEqual([]);
    expect(h.logLines.some((l) => l.includes('"event":"welcome.sent"'))).toBe(true);
  });

  it('a manager TapDesk already reaches is not installed for again', async () => {
    const { approval } = await request(
      'harry@contoso.com',
      'request TAP for alice@contoso.com deliver to manager reason: new laptop',
    );
    const { requestId } = actionData(approval, 'tap.approve');
    const approved = await approve('dana@contoso.com', requestId);
    expect(text(approved.body)).toContain('Carol Diaz');
    const posts = (await state()).graphLog.filter(
      (l) => l.method === 'POST' && l.path.includes('/teamwork/installedApps'),
    );
    expect(posts).toHaveLength(1);
  });
});

describe('delivery by SMS', () => {
  it('sends the pass once, to the directory number only; the approver never sees it', async () => {
    const code = 'Sm5$Canary9q';
    await sandboxAdmin(h, 'POST', '/next-pass', { value: code });
    const before = (await state()).outbox.length;
    const { approval } = await request(
      'harry@contoso.com',
      'request TAP for alice@contoso.com by sms reason: lost phone',
    );
    // The approver sees where it goes, masked, before approving.
    expect(text(approval)).toContain('SMS to +1 ••• ••• 0101');
    expect(text(approval)).not.toContain('4255550101');
    const { requestId } = actionData(approval, 'tap.approve');

    const approved = await approve('dana@contoso.com', requestId);
    expect(text(approved.body)).toContain('+1 ••• ••• 0101');
    expect(text(approved.body)).not.toContain(code);
    const after = await state();
    const sent = after.outbox.slice(before);
    const pass = after.passes.find((p) => p.userPrincipalName === 'alice@contoso.com');
    expect(pass?.passSha256).toBe(sha256(code));
    expect(sent).toEqual([
      expect.objectContaining({
        channel: 'sms',
        to: '+14255550101',
        from: '+18005550100',
        passes: [sha256(code)],
      }),
    ]);
    expect(leaked(code)).toEqual([]);
    const delivered = (await auditOf(requestId as string)).find((e) => e.type === 'pass.delivered');
    expect(delivered?.delivery).toEqual({
      channel: 'sms',
      destination: '+1 ••• ••• 0101',
      outcome: 'delivered',
    });
  });

  it('refuses before approval a person with no mobile number in Entra', async () => {
    const { reply, approval } = await request('carol@contoso.com', 'request TAP for gina@contoso.com by sms');
    expect(approval).toBeUndefined();
    expect(reply).toContain('SMS_NO_MOBILE');
  });

  it('a failed SMS revokes the pass with the approver’s token and tells the approver; nothing is sent again', async () => {
    const before = (await state()).outbox.length;
    const { approval } = await request(
      'harry@contoso.com',
      'request TAP for bob@contoso.com by sms reason: lost phone',
    );
    const { requestId } = actionData(approval, 'tap.approve');
    await sandboxAdmin(h, 'POST', '/faults/sms', { recipientStatus: 500 });
    const approved = await approve('dana@contoso.com', requestId);
    expect(text(approved.body)).toContain('DELIVERY_FAILED');
    const after = await state();
    expect(after.passes.filter((p) => p.userPrincipalName === 'bob@contoso.com')).toEqual([]);
    expect(after.outbox.length).toBe(before);
    const sms = after.graphLog.filter(
      (l) => l.method === 'DELETE' && l.callerOid === h.user('dana@contoso.com').id,
    );
    expect(sms.length).toBeGreaterThan(0);
    const types = (await auditOf(requestId as string)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['tap.issued', 'pass.delivery_failed', 'tap.revoked']));
  });
});
