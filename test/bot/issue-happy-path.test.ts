import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxState } from '../helpers/sandbox-admin.js';
import { findCode } from '../helpers/passes.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('Dana issues a pass for Alice', () => {
  it('card → confirm → the pass only in the invoke response; shared card redacted', async () => {
    const dana = h.user('dana@contoso.com');
    const alice = h.user('alice@contoso.com');

    const turn = await post(h, message(h, dana, '<at>TapDesk</at> issue TAP for alice@contoso for 2h once'));
    expect(turn.status).toBe(200);
    const sent = h.connector.sent();
    expect(sent).toHaveLength(1);
    const card = cardOf(sent[0]!.activity);
    const cardText = JSON.stringify(card);
    expect(cardText).toContain('Alice Wong');
    expect(cardText).toContain('alice@contoso.com');
    expect(cardText).toContain('Finance');
    expect(cardText).toContain('Carol Diaz'); // manager
    expect(cardText).toContain('2 hours');

    const { requestId } = actionData(card, 'tap.confirm');
    const clicked = await post(
      h,
      click(
        h,
        dana,
        'tap.confirm',
        { requestId, verification: 'callback', ticket: 'INC-1234' },
        { replyToId: sent[0]!.assignedId },
      ),
    );
    expect(clicked.status).toBe(200);
    const body = clicked.body as { statusCode: number; type: string; value: unknown };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');

    const state = await sandboxState(h);
    const passes = state.passes.filter((p) => p.userId === alice.id);
    expect(passes).toHaveLength(1);
    expect(passes[0]!.createdBy).toBe(dana.id);
    expect(passes[0]!.lifetimeInMinutes).toBe(120);
    expect(passes[0]!.isUsableOnce).toBe(true);

    // The pass in the invoke response is the one Graph created (matched by hash) and has the policy's length.
    const passCardText = JSON.stringify(body.value);
    const code = findCode(passCardText, passes[0]!.passSha256);
    expect(code).toHaveLength(h.sandbox.tenant.tapPolicy.defaultLength);

    // The shared message was updated to a redacted card without the pass.
    const updates = h.connector.updates();
    expect(updates).toHaveLength(1);
    // The card's own message, whatever typing indicators took ids before it on a slow machine.
    expect(updates[0]!.activityId).toBe(sent[0]!.assignedId);
    const shared = JSON.stringify(updates[0]!.activity);
    expect(shared).toContain('Alice Wong');
    expect(shared).not.toContain(code);
    expect(JSON.stringify(body.value)).not.toContain('"refresh"');

    // Where to reach Dana later (notices, approvals) was stored from her turn.
    const personal = await h.store.get<{ conversation: { id: string }; serviceUrl: string }>(
      'conversations',
      'personal',
      dana.id,
    );
    expect(personal?.value.conversation.id).toBe(`a:1:${dana.id}`);
    expect(personal?.value.serviceUrl).toBe(h.connector.url);
  });
});
