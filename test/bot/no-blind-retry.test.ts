import { waitFor } from '../helpers/bulk.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

// Graph replaces an existing pass on every create, so a create whose outcome is unknown must never be
// sent again by TapDesk: the admin is told to check instead.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await sandboxAdmin(h, 'POST', '/reset');
});

/** The card's message id: as in Teams, a click names the message it was made on. */
let cardId: string | undefined;

async function prepareThenFault(faults: Record<string, unknown>): Promise<string> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user('dana@contoso.com'), 'issue TAP for alice@contoso.com'));
  const sent = h.connector.sent()[before]!;
  cardId = sent.assignedId;
  const { requestId } = actionData(cardOf(sent.activity), 'tap.confirm');
  // The faults hit the create only: Confirm's re-read of the card's facts must still succeed.
  await sandboxAdmin(h, 'POST', '/faults', faults);
  return requestId as string;
}

const creates = async () =>
  (await sandboxState(h)).graphLog.filter(
    (c) => c.method === 'POST' && c.path.endsWith('temporaryAccessPassMethods'),
  );

describe('a create whose outcome is unknown is never retried', () => {
  it('Graph 503: one POST, "outcome unknown", and a later click does nothing', async () => {
    const requestId = await prepareThenFault({ failRate: 1, failStatus: 503, failWritesOnly: true });
    const dana = h.user('dana@contoso.com');
    const response = await post(
      h,
      click(h, dana, 'tap.confirm', { requestId, verification: 'callback' }, { replyToId: cardId }),
    );
    expect(JSON.stringify(response.body)).toContain('TAP_OUTCOME_UNKNOWN');
    expect(JSON.stringify(response.body)).toContain('list TAP for alice@contoso.com');
    expect(await creates()).toHaveLength(1);
    const shared = JSON.stringify(h.connector.updates().at(-1)!.activity);
    expect(shared).toContain('Outcome unknown');

    await sandboxAdmin(h, 'POST', '/faults', { reset: true });
    const again = await post(
      h,
      click(h, dana, 'tap.confirm', { requestId, verification: 'callback' }, { replyToId: cardId }),
    );
    expect(JSON.stringify(again.body)).toContain('REQUEST_ALREADY_USED');
    expect(await creates()).toHaveLength(1);
  });

  it('Graph 429 on the create: refused as throttled (not unknown), one POST, nothing retried', async () => {
    const requestId = await prepareThenFault({ failRate: 1, failStatus: 429, failWritesOnly: true });
    const response = await post(
      h,
      click(h, h.user('dana@contoso.com'), 'tap.confirm', { requestId, verification: 'callback' }),
    );
    expect(JSON.stringify(response.body)).toContain('TAP_THROTTLED');
    expect(await creates()).toHaveLength(1);
  });

  it('a create slower than the click budget is reported as unknown, and sent once', async () => {
    const requestId = await prepareThenFault({ latencyMs: 9_000, failWritesOnly: true });
    const response = await post(
      h,
      click(h, h.user('dana@contoso.com'), 'tap.confirm', { requestId, verification: 'callback' }),
    );
    expect(JSON.stringify(response.body)).toContain('TAP_OUTCOME_UNKNOWN');
    // The sandbox finishes the slow request after the bot gave up: exactly one pass, from one POST.
    await waitFor('the slow create to finish', async () => (await sandboxState(h)).graphInFlight === 0);
    await sandboxAdmin(h, 'POST', '/faults', { reset: true });
    expect(await creates()).toHaveLength(1);
    expect((await sandboxState(h)).passes).toHaveLength(1);
  });
});
