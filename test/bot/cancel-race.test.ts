// A Confirm that comes after (or loses a race to) a Cancel is answered "Already handled", and the
// card says the request was cancelled, by whom, and that nothing was issued.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxState } from '../helpers/sandbox-admin.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function confirmationCard(target: string): Promise<string> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user('dana@contoso.com'), `issue TAP for ${target}`));
  return actionData(cardOf(h.connector.sent()[before]!.activity), 'tap.confirm').requestId as string;
}

const dana = () => h.user('dana@contoso.com');

describe('Already handled after a Cancel', () => {
  it('Cancel, then Confirm: the answer says it was cancelled by Dana, and no pass exists', async () => {
    const requestId = await confirmationCard('alice@contoso.com');
    await post(h, click(h, dana(), 'tap.cancel', { requestId }));
    const late = JSON.stringify(
      (await post(h, click(h, dana(), 'tap.confirm', { requestId, verification: 'callback' }))).body,
    );
    expect(late).toContain('Already handled');
    expect(late).toContain('This request was already cancelled by Dana Reyes');
    expect(late).toContain('Nothing was issued');
    expect((await sandboxState(h)).passes).toEqual([]);
  });

  it('Confirm and Cancel at the same moment: the loser says what the winner did', async () => {
    const requestId = await confirmationCard('bob@contoso.com');
    const [confirmed, cancelled] = await Promise.all([
      post(h, click(h, dana(), 'tap.confirm', { requestId, verification: 'callback' })),
      post(h, click(h, dana(), 'tap.cancel', { requestId })),
    ]);
    const issued = (await sandboxState(h)).passes.some((p) => p.userPrincipalName === 'bob@contoso.com');
    const loser = JSON.stringify(issued ? cancelled.body : confirmed.body);
    expect(loser).toContain('Already handled');
    expect(loser).toContain(issued ? 'already confirmed by Dana Reyes' : 'already cancelled by Dana Reyes');
  });
});
