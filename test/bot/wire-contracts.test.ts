import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptiveCardProblems } from '../cards/card-checks.js';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { validateGraphRequestBody } from '../helpers/openapi.js';
import { sandboxState } from '../helpers/sandbox-admin.js';

// Runs the flows that produce every kind of card, then checks what went over the wire:
// each card against the adaptivecards library, each Graph TAP request against Microsoft's OpenAPI.
let h: Harness;
const invokeCards: Record<string, unknown>[] = [];
beforeAll(async () => {
  h = await startHarness();
  const dana = h.user('dana@contoso.com');
  // As in Teams, a click names the message it was made on.
  let lastCardId: string | undefined;
  const say = async (text: string) => {
    const before = h.connector.sent().length;
    await post(h, message(h, dana, text));
    const sent = h.connector.sent()[before]!;
    lastCardId = sent.assignedId;
    return sent.activity;
  };
  const clickCard = async (verb: string, data: Record<string, unknown>) => {
    const response = await post(h, click(h, dana, verb, data, { replyToId: lastCardId }));
    const body = response.body as { type: string; value: Record<string, unknown> };
    if (body.type === 'application/vnd.microsoft.card.adaptive') invokeCards.push(body.value);
  };
  const choice = cardOf(await say('issue TAP for alice'));
  await clickCard('tap.choose', actionData(choice, 'tap.choose'));
  const confirm = cardOf(await say('issue TAP for alice@contoso.com for 12h once start in 1h'));
  await clickCard('tap.confirm', {
    ...actionData(confirm, 'tap.confirm'),
    verification: 'manager',
    ticket: 'INC-9',
  });
  const toCancel = cardOf(await say('issue TAP for bob@contoso.com'));
  await clickCard('tap.cancel', actionData(toCancel, 'tap.cancel'));
  await say('issue TAP for frank@contoso.com');
  const gina = cardOf(await say('issue TAP for gina@contoso.com'));
  await clickCard('tap.confirm', { ...actionData(gina, 'tap.confirm'), verification: 'in-person' });
});
afterAll(async () => h?.close());

describe('what goes over the wire', () => {
  it('every card the bot sent, updated or returned parses without errors or warnings', () => {
    const sent = h.connector.calls
      .filter((c) => c.activity.type === 'message' && Array.isArray(c.activity.attachments))
      .map((c) => cardOf(c.activity));
    const cards = [...sent, ...invokeCards];
    expect(cards.length).toBeGreaterThanOrEqual(12);
    for (const card of cards)
      expect(adaptiveCardProblems(card), JSON.stringify(card).slice(0, 200)).toEqual([]);
  });

  it('every TAP create the bot sent matches the OpenAPI request schema and the policy was read as documented', async () => {
    const creates = h.graphCalls.filter(
      (c) => c.method === 'POST' && /temporaryAccessPassMethods$/.test(c.url),
    );
    expect(creates).toHaveLength(2);
    for (const call of creates) {
      const result = validateGraphRequestBody(
        'post',
        '/users/{user-id}/authentication/temporaryAccessPassMethods',
        call.requestBody,
      );
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
    }
    // Dana may not read the policy; TapDesk's own read clamps 12h to its maximum, 480 minutes.
    expect(creates[0]!.requestBody).toMatchObject({ lifetimeInMinutes: 480, isUsableOnce: true });
    expect(typeof (creates[0]!.requestBody as { startDateTime?: unknown }).startDateTime).toBe('string');
    const isPolicyRead = (url: string) =>
      url.includes(
        '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass',
      );
    // Not with Dana's delegated token: once, app-only (Policy.Read.AuthenticationMethod), and allowed.
    expect(h.graphCalls.filter((c) => isPolicyRead(c.url))).toEqual([]);
    const appReads = (await sandboxState(h)).graphLog.filter((c) => isPolicyRead(c.path));
    expect(appReads.map((c) => c.status)).toEqual([200]);
  });
});
