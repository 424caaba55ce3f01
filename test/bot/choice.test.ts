import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('resolving the target', () => {
  it("'alice' matches two people → a choice card; choosing one gives the confirmation card", async () => {
    const dana = h.user('dana@contoso.com');
    await post(h, message(h, dana, 'issue TAP for alice'));
    const card = cardOf(h.connector.sent()[0]!.activity);
    const text = JSON.stringify(card);
    expect(text).toContain('Alice Wong');
    expect(text).toContain('Alice Smith');
    const choose = actionData(card, 'tap.choose');
    const chosen = await post(
      h,
      click(h, dana, 'tap.choose', choose, { replyToId: h.connector.sent()[0]!.assignedId }),
    );
    const body = JSON.stringify(chosen.body);
    expect(body).toContain('tap.confirm');
    expect(h.connector.updates()).toHaveLength(1);
  });

  it('a choice of someone who was not offered is refused', async () => {
    const dana = h.user('dana@contoso.com');
    const before = h.connector.sent().length;
    await post(h, message(h, dana, 'issue TAP for alice'));
    const card = cardOf(h.connector.sent()[before]!.activity);
    const { requestId } = actionData(card, 'tap.choose');
    const response = await post(
      h,
      click(h, dana, 'tap.choose', { requestId, userId: h.user('bob@contoso.com').id }),
    );
    expect(JSON.stringify(response.body)).toContain('could not read that click');
  });

  it("'alice@contoso' resolves to Alice Wong directly", async () => {
    const before = h.connector.sent().length;
    await post(h, message(h, h.user('dana@contoso.com'), 'issue TAP for alice@contoso'));
    const text = JSON.stringify(cardOf(h.connector.sent()[before]!.activity));
    expect(text).toContain('Alice Wong');
    expect(text).not.toContain('Alice Smith');
    expect(text).toContain('tap.confirm');
  });

  it('a display name resolves, and a disabled account is flagged on the card', async () => {
    const before = h.connector.sent().length;
    await post(h, message(h, h.user('dana@contoso.com'), 'issue TAP for Leo Martin'));
    const text = JSON.stringify(cardOf(h.connector.sent()[before]!.activity));
    expect(text).toContain('leo@contoso.com');
    expect(text).toContain('disabled');
  });
});
