// A bulk waiting on someone closes at its deadline without a click: its cards stop offering buttons
// and the requester is told once. Its own harness, because it moves the sandbox clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/log.js';
import { actionData, APPROVALS_CHANNEL, cardOf, click, post } from '../helpers/activities.js';
import type { Harness } from '../helpers/bot-harness.js';
import {
  clickBulk,
  inApproversThread,
  newHiresCsv,
  passesByUser,
  queuedNoticesFor,
  sendCsv,
  startApprovalsHarness,
  waitFor,
} from '../helpers/bulk.js';
import { sandboxAdmin } from '../helpers/sandbox-admin.js';

let h: Harness;
beforeAll(async () => {
  h = await startApprovalsHarness(60);
});
afterAll(async () => h?.close());
const text = (value: unknown) => JSON.stringify(value);
const danaChat = () => `a:1:${h.user('dana@contoso.com').id}`;
/** The "Your bulk … expired" messages TapDesk sent into Dana's chat. */
const expiryMessages = () =>
  h.connector.proactive(danaChat()).filter((c) => text(c.activity).includes('expired'));
/** The newest version of a card TapDesk posted (a closed card has no buttons, hence no bulk id). */
const latest = (activityId: string) =>
  text(
    h.connector
      .updates()
      .filter((u) => u.activityId === activityId)
      .at(-1)?.activity ?? {},
  );
const expiries = async (bulkId: string) =>
  (await new AuditLog(h.store, () => new Date()).recent(200)).filter(
    (e) => e.type === 'bulk.expired' && e.requestId === bulkId,
  );

/** Dana sends 30 new hires (above the approval size) and asks the approvers: the bulk and its two cards. */
async function askApproval(first: number) {
  const dana = h.user('dana@contoso.com');
  const reply = await sendCsv(h, dana, `wave-${first}.csv`, newHiresCsv(first, 30));
  const bulkId = String(actionData(cardOf(reply.activity), 'bulk.ask').bulkId);
  const asked = await clickBulk(h, dana, reply, 'bulk.ask');
  expect(text(asked.body)).toContain('Waiting for a second admin');
  const approval = await waitFor('the approval card', () =>
    h.connector.proactive(APPROVALS_CHANNEL).find((c) => text(c.activity).includes(bulkId)),
  );
  return { bulkId, danaCard: reply.assignedId, approversCard: approval.assignedId };
}

describe('a bulk nobody acts on in time (APPROVAL_TTL_MINUTES, 60)', () => {
  it('awaiting approval: at its deadline the approvers’ card closes, Dana is told, a late Approve issues nothing', async () => {
    const { bulkId, danaCard, approversCard } = await askApproval(1);
    const toldBefore = expiryMessages().length;
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 61 });

    await waitFor('the closed approvers’ card', () =>
      latest(approversCard).includes('No longer waiting: expired'),
    );
    expect(latest(approversCard)).not.toContain('bulk.approve');
    const told = await waitFor('the expiry message', () => expiryMessages()[toldBefore]);
    expect(text(told.activity)).toContain('Your bulk of 30 passes expired');
    expect(text(told.activity)).toContain('No approver decided before');
    expect(latest(danaCard)).toContain('Expired before anyone confirmed it');

    const late = await post(
      h,
      inApproversThread(click(h, h.user('erin@contoso.com'), 'bulk.approve', { bulkId })),
    );
    expect(text(late.body)).toMatch(/Already decided|expired/);
    expect((await passesByUser(h)).state.passes).toHaveLength(0);
    const recorded = await expiries(bulkId);
    expect(recorded.map((e) => e.actor.name)).toEqual(['TapDesk']);
  });

  it('approved but never issued: closes at the new deadline, once; the first deadline is moot', async () => {
    const { bulkId, danaCard, approversCard } = await askApproval(31);
    const approved = await post(
      h,
      inApproversThread(click(h, h.user('erin@contoso.com'), 'bulk.approve', { bulkId })),
    );
    expect(text(approved.body)).toContain('Approved by Erin');
    const toldBefore = expiryMessages().length;
    // Both deadlines (the ask's and the approval's) are past after this; only the approval's counts.
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 61 });

    const told = await waitFor('the expiry message', () => expiryMessages()[toldBefore]);
    expect(text(told.activity)).toContain('Erin Lee approved it, but it was not issued before');
    expect(latest(danaCard)).toContain('Expired before anyone confirmed it');
    expect(latest(danaCard)).not.toContain('bulk.confirm');
    expect(latest(approversCard)).toContain('Now expired');

    const issue = await post(h, click(h, h.user('dana@contoso.com'), 'bulk.confirm', { bulkId }));
    expect(text(issue.body)).toContain('Expired before anyone confirmed it');
    expect((await passesByUser(h)).state.passes).toHaveLength(0);
    // The queue has delivered everything due: still one message and one audit event for this bulk.
    await waitFor('no notice left for this bulk', async () => (await queuedNoticesFor(h, bulkId)) === 0);
    expect(expiryMessages()).toHaveLength(toldBefore + 1);
    expect(await expiries(bulkId)).toHaveLength(1);
  });
});
