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
import { sandboxAdmin } from '../helpers/sandbox-admin.js';
import { securityEventSchema, type SecurityEvent } from '../../src/audit/security-event.js';

// The SOC's view through real HTTP: each committed audit event is one JSON line on the security
// channel of the log, valid against the published schema, and never carries the pass.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await post(h, botAdded(h, h.user('dana@contoso.com'), APPROVALS_CHANNEL));
});
afterAll(async () => h?.close());

const securityLines = () => h.logLines.filter((line) => line.includes('"channel":"security"'));
/** The security events logged since `from` lines, each validated against the schema. */
function eventsSince(from: number): SecurityEvent[] {
  return securityLines()
    .slice(from)
    .map((line) => securityEventSchema.parse((JSON.parse(line) as { securityEvent: unknown }).securityEvent));
}
const one = (events: SecurityEvent[], type: string) => {
  const found = events.filter((e) => e.eventType === type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};

async function ask(upn: string, line: string) {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user(upn), line));
  return h.connector.sent()[before]!;
}

function decide(upn: string, verb: 'tap.approve' | 'tap.reject', data: Record<string, unknown>) {
  return post(
    h,
    inConversation(click(h, h.user(upn), verb, data), `${APPROVALS_CHANNEL};messageid=1763776000000`),
  );
}

async function requestApproval(upn: string, line: string): Promise<string> {
  const before = h.connector.proactive(APPROVALS_CHANNEL).length;
  await post(h, message(h, h.user(upn), line));
  const approval = cardOf(h.connector.proactive(APPROVALS_CHANNEL)[before]!.activity);
  return actionData(approval, 'tap.approve').requestId as string;
}

describe('security events', () => {
  it('Confirm: request.created, request.confirmed and tap.issued, by Dana for Alice, without the pass', async () => {
    const CANARY = 'Sx4!mR8q';
    await sandboxAdmin(h, 'POST', '/next-pass', { value: CANARY });
    const from = securityLines().length;
    const sent = await ask('dana@contoso.com', 'issue TAP for alice@contoso.com for 4 hours');
    const { requestId } = actionData(cardOf(sent.activity), 'tap.confirm');
    const response = await post(
      h,
      click(
        h,
        h.user('dana@contoso.com'),
        'tap.confirm',
        { requestId, verification: 'video-photo-id' },
        { replyToId: sent.assignedId },
      ),
    );
    expect(JSON.stringify(response.body)).toContain(CANARY);

    // The notice scheduler may log its own events (an unreachable recipient) at any moment: this
    // request's events are the ones compared.
    const events = eventsSince(from).filter((e) => e.requestId === requestId);
    expect(events.map((e) => e.eventType)).toEqual(['request.created', 'request.confirmed', 'tap.issued']);
    const issued = one(events, 'tap.issued');
    expect(issued).toMatchObject({
      requestId,
      source: 'chat',
      outcome: 'success',
      code: null,
      actor: { id: h.user('dana@contoso.com').id, displayName: 'Dana Reyes' },
      target: { userPrincipalName: 'alice@contoso.com', displayName: 'Alice Wong' },
      targetPrivileged: false,
      verification: 'video-photo-id',
      lifetimeMinutes: 240,
      approvers: [],
    });
    expect(issued.methodId).toBeTruthy();
    expect(issued.expiresAt).toBeTruthy();
    expect(securityLines().join('\n')).not.toContain(CANARY);
  });

  it('approval requested, refused (Dana for a Global Administrator), then approved by Erin', async () => {
    const CANARY = 'Ap9!zW3e';
    const from = securityLines().length;
    const requestId = await requestApproval(
      'harry@contoso.com',
      'request TAP for frank@contoso.com reason: new laptop',
    );
    await decide('dana@contoso.com', 'tap.approve', { requestId });
    await sandboxAdmin(h, 'POST', '/next-pass', { value: CANARY });
    const approved = await decide('erin@contoso.com', 'tap.approve', { requestId });
    expect(JSON.stringify(approved.body)).toContain(CANARY);

    const events = eventsSince(from);
    const requested = one(events, 'approval.requested');
    expect(requested).toMatchObject({
      actor: { id: h.user('harry@contoso.com').id },
      target: { userPrincipalName: 'frank@contoso.com' },
      targetPrivileged: true,
      reason: 'new laptop',
      outcome: 'info',
    });
    expect(requested.targetPrivilegedReason).toContain('Global Administrator');
    const refused = one(events, 'approval.refused');
    expect(refused).toMatchObject({ actor: { id: h.user('dana@contoso.com').id }, outcome: 'failure' });
    expect(refused.code).toContain('APPROVER_NOT_PRIVILEGED');
    const erin = { id: h.user('erin@contoso.com').id, userPrincipalName: null, displayName: 'Erin Park' };
    expect(one(events, 'approval.approved')).toMatchObject({ actor: { id: erin.id }, outcome: 'success' });
    expect(one(events, 'tap.issued')).toMatchObject({
      actor: { id: erin.id },
      approvers: [{ id: erin.id }],
      targetPrivileged: true,
      outcome: 'success',
    });
    expect(securityLines().join('\n')).not.toContain(CANARY);
  });

  it('Reject: approval.rejected by Dana with her reason, as a failure', async () => {
    const from = securityLines().length;
    const requestId = await requestApproval('harry@contoso.com', 'request TAP for alice.smith@contoso.com');
    await decide('dana@contoso.com', 'tap.reject', { requestId, rejectReason: 'Could not reach Alice' });
    const rejected = one(eventsSince(from), 'approval.rejected');
    expect(rejected).toMatchObject({
      requestId,
      actor: { id: h.user('dana@contoso.com').id },
      target: { userPrincipalName: 'alice.smith@contoso.com' },
      outcome: 'failure',
      reason: 'Could not reach Alice',
    });
  });

  it('Revoke: tap.revoked by Dana for the pass Graph deleted', async () => {
    const card = cardOf((await ask('dana@contoso.com', 'revoke TAP for alice@contoso.com')).activity);
    const { requestId } = actionData(card, 'tap.revoke');
    const from = securityLines().length;
    await post(h, click(h, h.user('dana@contoso.com'), 'tap.revoke', { requestId }));
    const revoked = one(eventsSince(from), 'tap.revoked');
    expect(revoked).toMatchObject({
      actor: { id: h.user('dana@contoso.com').id },
      target: { userPrincipalName: 'alice@contoso.com' },
      outcome: 'success',
    });
    expect(revoked.methodId).toBeTruthy();
  });
});
