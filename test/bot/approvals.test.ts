import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  actionData,
  APPROVALS_CHANNEL,
  botAdded,
  cardOf,
  click,
  inConversation,
  message,
  post,
  type PostResult,
} from '../helpers/activities.js';
import { AuditLog } from '../../src/audit/log.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { findCode } from '../helpers/passes.js';
import { sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

// Approvals through real HTTP into /api/messages, the real sandbox tenant (OBO, Graph, roles,
// managers, groups) and a SQLite file. The approvers decide in the fixture's "TAP approvals" channel.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const user = (upn: string) => h.user(upn);
const auditTypes = async () => (await new AuditLog(h.store, () => new Date()).recent(100)).map((e) => e.type);
const text = (value: unknown) => JSON.stringify(value);
const passesFor = async (upn: string) =>
  (await sandboxState(h)).passes.filter((p) => p.userPrincipalName === upn);

/** `request TAP …` in the requester's 1:1 chat: returns the tracking card and the approval card posted to the channel. */
async function request(upn: string, line: string) {
  const sentBefore = h.connector.sent().length;
  const channelBefore = h.connector.proactive(APPROVALS_CHANNEL).length;
  await post(h, message(h, user(upn), line));
  const replies = h.connector.sent().slice(sentBefore);
  expect(replies).toHaveLength(1);
  const posted = h.connector.proactive(APPROVALS_CHANNEL).slice(channelBefore);
  return {
    reply: cardOf(replies[0]!.activity),
    replyConversation: replies[0]!.conversationId,
    approval: posted[0] ? cardOf(posted[0].activity) : undefined,
  };
}

/** A click on the approval card, in the approvers' channel. */
function decide(
  upn: string,
  verb: 'tap.approve' | 'tap.reject',
  data: Record<string, unknown>,
): Promise<PostResult> {
  // Teams reports a click on a channel card with the card's thread: "<channel id>;messageid=<root>".
  return post(
    h,
    inConversation(click(h, user(upn), verb, data), `${APPROVALS_CHANNEL};messageid=1763776000000`),
  );
}

/** The latest version of the approvers' card (proactive updates replace it for everyone). */
function latestChannelCard(): string {
  const updates = h.connector.updates().filter((c) => c.conversationId === APPROVALS_CHANNEL);
  return text(cardOf(updates.at(-1)!.activity));
}

describe('approval requests', () => {
  it('before TapDesk is in the approvers’ channel, a request is refused and nothing is stored', async () => {
    const { reply } = await request('carol@contoso.com', 'request TAP for alice@contoso.com');
    expect(text(reply)).toContain('APPROVERS_UNREACHABLE');
    expect(await auditTypes()).toEqual([]);
    // A Teams admin adds TapDesk to the channel: its reference is remembered from now on.
    expect((await post(h, botAdded(h, user('dana@contoso.com'), APPROVALS_CHANNEL))).status).toBe(200);
  });

  it('Carol (manager) asks for Alice; her own Approve is refused; Dana approves and only Dana sees the pass', async () => {
    const { reply, replyConversation, approval } = await request(
      'carol@contoso.com',
      'request TAP for alice@contoso.com for 2h once reason: lost phone on the train',
    );
    expect(text(reply)).toContain('Waiting for approval');
    expect(approval).toBeDefined();
    const approvalText = text(approval);
    expect(approvalText).toContain('Alice Wong');
    expect(approvalText).toContain('Carol Diaz (their manager)');
    expect(approvalText).toContain('lost phone on the train');
    expect(approvalText).toContain('2 hours');
    const { requestId } = actionData(approval, 'tap.approve');
    expect(actionData(approval, 'tap.reject')).toEqual({ requestId });

    const own = await decide('carol@contoso.com', 'tap.approve', { requestId });
    expect(text(own.body)).toContain('whoever asked for a pass cannot approve');
    expect(await passesFor('alice@contoso.com')).toHaveLength(0);

    const approved = await decide('dana@contoso.com', 'tap.approve', { requestId });
    expect(approved.status).toBe(200);
    const [pass] = await passesFor('alice@contoso.com');
    expect(pass?.createdBy).toBe(user('dana@contoso.com').id);
    expect(pass?.isUsableOnce).toBe(true);
    expect(pass?.lifetimeInMinutes).toBe(120);
    const code = findCode(text(approved.body), pass!.passSha256);

    // Everyone else sees redacted cards: the channel card and Carol's tracking card are updated.
    expect(latestChannelCard()).toContain('Approved by Dana Reyes');
    expect(latestChannelCard()).not.toContain('tap.approve');
    const tracking = h.connector.updates().filter((c) => c.conversationId === replyConversation);
    expect(text(tracking.at(-1)!.activity)).toContain('Approved by Dana Reyes');
    expect(text(h.connector.proactive(`a:1:${user('carol@contoso.com').id}`))).toContain(
      'Dana Reyes approved',
    );
    expect(h.connector.allText()).not.toContain(code);
    expect(h.logLines.join('\n')).not.toContain(code);
    expect(h.storageContains(code)).toBe(false);
    const audit = await auditTypes();
    expect(audit).toEqual(expect.arrayContaining(['approval.requested', 'approval.approved', 'tap.issued']));
  });

  it('Mallory (not the manager, not in the requester group) is told who may ask; nothing is posted', async () => {
    const { reply, approval } = await request('mallory@contoso.com', 'request TAP for alice@contoso.com');
    expect(approval).toBeUndefined();
    expect(text(reply)).toContain('APPROVAL_NOT_ALLOWED');
    expect(text(reply)).toContain('Carol Diaz');
  });

  it('Harry (service desk) asks for Frank (Global Administrator): Dana is refused, the request stays open, Erin approves', async () => {
    const { approval } = await request(
      'harry@contoso.com',
      'request TAP for frank@contoso.com reason: new laptop',
    );
    const approvalText = text(approval);
    expect(approvalText).toContain('Harry Smith (service desk)');
    expect(approvalText).toContain(
      'only a Privileged Authentication Administrator or Global Administrator can approve',
    );
    const { requestId } = actionData(approval, 'tap.approve');

    const byDana = await decide('dana@contoso.com', 'tap.approve', { requestId });
    expect(text(byDana.body)).toContain('APPROVER_NOT_PRIVILEGED');
    expect(await passesFor('frank@contoso.com')).toHaveLength(0);
    expect(latestChannelCard()).toContain('Dana Reyes could not approve');
    expect(latestChannelCard()).toContain('tap.approve');

    const byErin = await decide('erin@contoso.com', 'tap.approve', { requestId });
    const [pass] = await passesFor('frank@contoso.com');
    expect(pass?.createdBy).toBe(user('erin@contoso.com').id);
    findCode(text(byErin.body), pass!.passSha256);
  });

  it('when Graph itself refuses the approver’s create (throttled), the request stays open and the next Approve issues', async () => {
    const { approval } = await request('carol@contoso.com', 'request TAP for bob@contoso.com for 1h');
    const data = actionData(approval, 'tap.approve');
    // Roles look fine to the pre-check; only the write is refused, as Graph's write throttling does.
    await sandboxAdmin(h, 'POST', '/faults', { writeLimitPerMinute: 0 });
    const throttled = await decide('dana@contoso.com', 'tap.approve', data);
    expect(text(throttled.body)).toContain('TAP_THROTTLED');
    expect(latestChannelCard()).toContain('Dana Reyes could not approve');
    expect(latestChannelCard()).toContain('tap.approve');
    await sandboxAdmin(h, 'POST', '/faults', { writeLimitPerMinute: 100_000 });
    const retried = await decide('erin@contoso.com', 'tap.approve', data);
    expect(text(retried.body)).toContain('Copy it now');
    expect((await passesFor('bob@contoso.com')).map((p) => p.createdBy)).toEqual([
      user('erin@contoso.com').id,
    ]);
  });

  it('Erin cannot issue Frank a pass directly: admins’ passes always go through approval', async () => {
    await post(h, message(h, user('erin@contoso.com'), 'issue TAP for frank@contoso.com'));
    const reply = text(cardOf(h.connector.sent().at(-1)!.activity));
    expect(reply).toContain('TAP_TARGET_PRIVILEGED');
    expect(reply).toContain('request TAP for frank@contoso.com');
    expect(reply).not.toContain('tap.confirm');
  });

  it('Dana and Erin click Approve at the same moment: exactly one pass, the other is told who won', async () => {
    const { approval } = await request('carol@contoso.com', 'request TAP for bob@contoso.com');
    const { requestId } = actionData(approval, 'tap.approve');
    const writesBefore = (await sandboxState(h)).graphLog.filter((l) => l.method === 'POST').length;
    const [a, b] = await Promise.all([
      decide('dana@contoso.com', 'tap.approve', { requestId }),
      decide('erin@contoso.com', 'tap.approve', { requestId }),
    ]);
    const bodies = [text(a.body), text(b.body)];
    expect(bodies.filter((body) => body.includes('Copy it now'))).toHaveLength(1);
    expect(bodies.filter((body) => body.includes('APPROVAL_DECIDED'))).toHaveLength(1);
    const writes = (await sandboxState(h)).graphLog.filter((l) => l.method === 'POST').length - writesBefore;
    expect(writes).toBe(1);
    expect(await passesFor('bob@contoso.com')).toHaveLength(1);
  });

  it('Reject needs a reason; the requester is told; nothing is issued and a later Approve sees who rejected', async () => {
    const { approval } = await request('harry@contoso.com', 'request TAP for alice.smith@contoso.com');
    const { requestId } = actionData(approval, 'tap.reject');
    const blank = await decide('dana@contoso.com', 'tap.reject', { requestId, rejectReason: '  ' });
    expect(text(blank.body)).toContain('A rejection needs a reason');

    const rejected = await decide('dana@contoso.com', 'tap.reject', {
      requestId,
      rejectReason: 'Could not reach Alice to verify',
    });
    expect(text(rejected.body)).toContain('Rejected by Dana Reyes');
    const toHarry = text(h.connector.proactive(`a:1:${user('harry@contoso.com').id}`).at(-1)!.activity);
    expect(toHarry).toContain('Could not reach Alice to verify');
    const late = await decide('erin@contoso.com', 'tap.approve', { requestId });
    expect(text(late.body)).toContain('already rejected by Dana Reyes');
    expect(await passesFor('alice.smith@contoso.com')).toHaveLength(0);
  });

  it('the requester cancels from the tracking card; approvers’ card closes; Approve then changes nothing', async () => {
    const { reply, approval } = await request('carol@contoso.com', 'request TAP for leo@contoso.com');
    const cancelled = await post(
      h,
      click(h, user('carol@contoso.com'), 'tap.cancel', actionData(reply, 'tap.cancel')),
    );
    expect(text(cancelled.body)).toContain('Cancelled by Carol Diaz');
    expect(latestChannelCard()).toContain('Cancelled by Carol Diaz');
    const late = await decide('dana@contoso.com', 'tap.approve', actionData(approval, 'tap.approve'));
    expect(text(late.body)).toContain('already cancelled');
    expect(await passesFor('leo@contoso.com')).toHaveLength(0);
  });

  it('approving from anywhere but the approvers’ conversation, or for yourself, is refused', async () => {
    const { approval } = await request('harry@contoso.com', 'request TAP for carol@contoso.com');
    const data = actionData(approval, 'tap.approve');
    const fromDm = await post(h, click(h, user('dana@contoso.com'), 'tap.approve', data));
    expect(text(fromDm.body)).toContain('Approval requests are decided on the card in the approvers');
    const bySelf = await decide('carol@contoso.com', 'tap.approve', data);
    expect(text(bySelf.body)).toContain('Nobody can approve or reject a pass for their own account');
    const forged = await decide('dana@contoso.com', 'tap.approve', {
      ...data,
      userId: user('bob@contoso.com').id,
    });
    expect(text(forged.body)).toContain('could not read that click');
    expect(await passesFor('carol@contoso.com')).toHaveLength(0);
  });

  it('an approval request expires by the (sandbox) clock: TapDesk closes its cards and tells the requester', async () => {
    const carol = user('carol@contoso.com');
    const { approval } = await request('carol@contoso.com', 'request TAP for gina@contoso.com');
    expect(text(approval)).toMatch(/expires at/);
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 61 });
    // Nobody clicks: the notice scheduler closes it at its expiry.
    await vi.waitFor(
      () => {
        expect(latestChannelCard()).toContain('without a decision');
        expect(text(h.connector.proactive(`a:1:${carol.id}`).at(-1)?.activity)).toContain('expired');
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(latestChannelCard()).not.toContain('tap.approve');
    const late = await decide('dana@contoso.com', 'tap.approve', actionData(approval, 'tap.approve'));
    expect(text(late.body)).toContain('This request has expired');
    expect(await passesFor('gina@contoso.com')).toHaveLength(0);
    expect(await auditTypes()).toContain('request.expired');
  });
});

describe('DELIVER_TO=requester: the pass is revealed once, to the requester only', () => {
  let r: Harness;
  beforeAll(async () => {
    r = await startHarness({ DELIVER_TO: 'requester' });
    await post(r, botAdded(r, r.user('dana@contoso.com'), APPROVALS_CHANNEL));
  });
  afterAll(async () => r?.close());

  async function approvedForAlice() {
    const carol = r.user('carol@contoso.com');
    await post(r, message(r, carol, 'request TAP for alice@contoso.com reason: first day'));
    const approval = cardOf(r.connector.proactive(APPROVALS_CHANNEL).at(-1)!.activity);
    const approved = await post(
      r,
      inConversation(
        click(r, r.user('dana@contoso.com'), 'tap.approve', actionData(approval, 'tap.approve')),
        APPROVALS_CHANNEL,
      ),
    );
    // The reveal card and the "Dana approved" message reach Carol's chat in either order.
    const revealCards = r.connector
      .proactive(`a:1:${carol.id}`)
      .filter((c) => text(c.activity).includes('tap.reveal'));
    const reveal = cardOf(revealCards.at(-1)!.activity);
    return { approved, reveal, carol };
  }

  it('Dana approves without seeing it; Mallory cannot reveal it; Carol reveals it once; a second reveal is refused', async () => {
    const { approved, reveal, carol } = await approvedForAlice();
    const [pass] = (await sandboxState(r)).passes;
    expect(text(approved.body)).toContain('offered to Carol Diaz');
    expect(() => findCode(text(approved.body), pass!.passSha256)).toThrow();

    const data = actionData(reveal, 'tap.reveal');
    const byMallory = await post(r, click(r, r.user('mallory@contoso.com'), 'tap.reveal', data));
    expect(text(byMallory.body)).toContain('This is not your request');
    const byCarol = await post(r, click(r, carol, 'tap.reveal', data));
    const code = findCode(text(byCarol.body), pass!.passSha256);
    const again = await post(r, click(r, carol, 'tap.reveal', data));
    expect(text(again.body)).toContain('The pass is no longer here');
    expect(r.connector.allText()).not.toContain(code);
    expect(r.storageContains(code)).toBe(false);
  });

  it('after a restart the pass is gone, and Carol is told to ask again', async () => {
    const { reveal, carol } = await approvedForAlice();
    await r.restartBot();
    const afterRestart = await post(r, click(r, carol, 'tap.reveal', actionData(reveal, 'tap.reveal')));
    expect(text(afterRestart.body)).toContain('TapDesk restarted');
    expect(text(afterRestart.body)).toContain('request TAP for alice@contoso.com');
  });
});
