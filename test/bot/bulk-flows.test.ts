import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newHireUpn } from '../../sandbox/new-hires.js';
import {
  actionData,
  APPROVALS_CHANNEL,
  cardOf,
  click,
  inConversation,
  message,
  post,
} from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import {
  acceptFile,
  clickBulk,
  consentCard,
  factsOf,
  passesByUser,
  inApproversThread,
  newHiresCsv,
  sendCsv,
  startApprovalsHarness,
  waitFor,
} from '../helpers/bulk.js';
import { fileConsentInvoke, fileMessage } from '../helpers/files.js';
import { openUploadSession, putUserFile, setFileFaults } from '../helpers/sandbox-admin.js';

let h: Harness;
beforeAll(async () => {
  h = await startApprovalsHarness(200);
});
afterAll(async () => h?.close());
const bodyText = (r: { body: unknown }) => JSON.stringify(r.body);

describe('approval above the bulk size (default 25)', () => {
  it('30 ready → a second admin approves in the channel → the requester issues and alone gets the file', async () => {
    const dana = h.user('dana@contoso.com');
    const reply = await sendCsv(h, dana, 'thirty.csv', newHiresCsv(1, 30));
    const card = cardOf(reply.activity);
    expect(factsOf(card).Ready).toBe('30');
    expect(() => actionData(card, 'bulk.confirm')).toThrow();
    const { bulkId } = actionData(card, 'bulk.ask');

    const asked = await clickBulk(h, dana, reply, 'bulk.ask');
    expect(bodyText(asked)).toContain('Waiting for a second admin');
    const approval = await waitFor('the approval card', () =>
      h.connector.proactive(APPROVALS_CHANNEL).at(-1),
    );
    expect(JSON.stringify(approval.activity)).toContain('Bulk approval: 30 passes for Dana');
    // The second admin sees whom they approve, not only how many (and so does Dana before asking).
    for (const shown of [JSON.stringify(approval.activity), JSON.stringify(card)]) {
      expect(shown).toContain('Who: the first 25 of 30');
      expect(shown).toContain('New Hire 0001 (newhire0001@contoso.com); New Hire 0002');
      expect(shown).toContain('New Hire 0025 (newhire0025@contoso.com)');
      expect(shown).not.toContain('New Hire 0026');
    }

    // Not by the requester, not by someone without a role that can issue passes.
    const own = await post(h, inApproversThread(click(h, dana, 'bulk.approve', { bulkId })));
    expect(bodyText(own)).toContain('You asked for this one');
    const mallory = await post(
      h,
      inApproversThread(click(h, h.user('mallory@contoso.com'), 'bulk.approve', { bulkId })),
    );
    expect(bodyText(mallory)).toContain('Your role cannot approve this');
    // Not from anywhere but the approvers' conversation.
    const elsewhere = await post(h, click(h, h.user('erin@contoso.com'), 'bulk.approve', { bulkId }));
    expect(bodyText(elsewhere)).toContain('Decide in the approvers');
    // Issuing before approval changes nothing.
    await post(h, click(h, dana, 'bulk.confirm', { bulkId }));
    expect(String(h.connector.sent().at(-1)!.activity.text)).toContain('waiting for a second admin');
    expect((await passesByUser(h)).state.passes).toHaveLength(0);

    const approved = await post(
      h,
      inApproversThread(click(h, h.user('erin@contoso.com'), 'bulk.approve', { bulkId })),
    );
    expect(bodyText(approved)).toContain('Approved by Erin');
    const late = await post(
      h,
      inApproversThread(click(h, h.user('harry@contoso.com'), 'bulk.approve', { bulkId })),
    );
    expect(bodyText(late)).toContain('Already decided');
    const danaCard = await waitFor('the approved card', () =>
      h.connector
        .updates()
        .find(
          (u) =>
            u.conversationId === `a:1:${dana.id}` && JSON.stringify(u.activity).includes('Approved by Erin'),
        ),
    );
    expect(actionData(cardOf(danaCard.activity), 'bulk.confirm').bulkId).toBe(bulkId);

    await post(h, click(h, dana, 'bulk.confirm', { bulkId }));
    // The approvers see that the approved bulk is now being issued.
    expect(
      h.connector
        .updates()
        .some(
          (u) =>
            u.conversationId.startsWith(APPROVALS_CHANNEL) &&
            JSON.stringify(u.activity).includes('Now issuing'),
        ),
    ).toBe(true);
    const { rows } = await acceptFile(h, dana);
    expect(rows).toHaveLength(30);
    const { state } = await passesByUser(h);
    expect(state.passes.filter((p) => p.createdBy === dana.id)).toHaveLength(30);
    // The approvers' channel never saw a pass.
    const channelText = JSON.stringify(
      h.connector.calls.filter((c) => c.conversationId.startsWith(APPROVALS_CHANNEL)),
    );
    for (const row of rows) expect(channelText).not.toContain(row.pass);
  });

  it('a rejection needs a reason and closes the bulk for the requester', async () => {
    const dana = h.user('dana@contoso.com');
    const reply = await sendCsv(h, dana, 'rejected.csv', newHiresCsv(31, 26));
    await clickBulk(h, dana, reply, 'bulk.ask');
    const { bulkId } = actionData(cardOf(reply.activity), 'bulk.ask');
    const noReason = await post(
      h,
      inApproversThread(click(h, h.user('erin@contoso.com'), 'bulk.reject', { bulkId })),
    );
    expect(bodyText(noReason)).toContain('Give a reason');
    const rejected = await post(
      h,
      inApproversThread(
        click(h, h.user('erin@contoso.com'), 'bulk.reject', { bulkId, rejectReason: 'Wave starts in May' }),
      ),
    );
    expect(bodyText(rejected)).toContain('Rejected by Erin');
    await waitFor('the rejection message', () =>
      h.connector
        .proactive(`a:1:${dana.id}`)
        .find((c) => String(c.activity.text).includes('Wave starts in May')),
    );
    const issue = await post(h, click(h, dana, 'bulk.confirm', { bulkId }));
    expect(String(h.connector.sent().at(-1)!.activity.text)).toContain('moved on');
    expect(bodyText(issue)).toContain('Rejected by Erin');
  });
});

describe('delivery of the results file', () => {
  it('declined → passes dropped, the card says so and offers to issue again', async () => {
    const erin = h.user('erin@contoso.com');
    const reply = await sendCsv(h, erin, 'declined.csv', newHiresCsv(60, 3));
    await clickBulk(h, erin, reply, 'bulk.confirm');
    const { call, attachment } = await consentCard(h, `a:1:${erin.id}`);
    await post(
      h,
      fileConsentInvoke(
        h,
        erin,
        { action: 'decline', context: attachment.content.declineContext },
        { replyToId: call.assignedId },
      ),
    );
    const card = await waitFor('the declined card', () =>
      h.connector.updates().find((u) => JSON.stringify(u.activity).includes('You declined the file')),
    );
    expect(actionData(cardOf(card.activity), 'bulk.reissue')).toBeDefined();
    // A late accept finds nothing.
    const uploadInfo = await openUploadSession(h, attachment.name);
    await post(
      h,
      fileConsentInvoke(h, erin, { action: 'accept', context: attachment.content.acceptContext, uploadInfo }),
    );
    expect(JSON.stringify(h.connector.sent().at(-1)!.activity)).toContain('no longer here');

    // Issue again: a new card for the same three people, checked again.
    const before = h.connector.sent().length;
    const again = await post(
      h,
      click(h, erin, 'bulk.reissue', actionData(cardOf(card.activity), 'bulk.reissue')),
    );
    expect(again.status).toBe(200);
    const fresh = h.connector.sent()[before]!;
    expect(factsOf(cardOf(fresh.activity)).Ready).toBe('3');
    const twice = await post(
      h,
      click(h, erin, 'bulk.reissue', actionData(cardOf(card.activity), 'bulk.reissue')),
    );
    expect(bodyText(twice)).toContain('already issued again');
  });

  it('upload fails → passes dropped, never retried later; only the owner may accept', async () => {
    const harry = h.user('frank@contoso.com');
    const reply = await sendCsv(h, harry, 'upload.csv', newHiresCsv(70, 2));
    await clickBulk(h, harry, reply, 'bulk.confirm');
    const { attachment } = await consentCard(h, `a:1:${harry.id}`);
    // Someone else replaying the consent for Harry's bulk gets nothing and takes nothing away.
    const kimInfo = await openUploadSession(h, 'stolen.csv');
    await post(
      h,
      fileConsentInvoke(h, h.user('kim@contoso.com'), {
        action: 'accept',
        context: attachment.content.acceptContext,
        uploadInfo: kimInfo,
      }),
    );
    await setFileFaults(h, { failUploads: 3 });
    const uploadInfo = await openUploadSession(h, attachment.name);
    await post(
      h,
      fileConsentInvoke(h, harry, {
        action: 'accept',
        context: attachment.content.acceptContext,
        uploadInfo,
      }),
    );
    await waitFor('the upload-failed card', () =>
      h.connector.updates().find((u) => JSON.stringify(u.activity).includes('could not be delivered')),
    );
    expect(String(h.connector.sent().at(-1)!.activity.text)).toContain('could not put the file');
    await setFileFaults(h, { failUploads: 0 });
  });
});

describe('the sample wave in samples/', () => {
  it('reads as the README says: 26 rows, 22 ready, one of each problem', async () => {
    const csv = readFileSync(new URL('../../samples/onboarding-wave.csv', import.meta.url), 'utf8');
    const reply = await sendCsv(h, h.user('kim@contoso.com'), 'onboarding-wave.csv', csv);
    // Kim holds no role that can issue passes: nothing is validated for her.
    expect(JSON.stringify(reply.activity)).toContain('You need an authentication admin role');
    const dana = await sendCsv(h, h.user('dana@contoso.com'), 'onboarding-wave.csv', csv);
    expect(factsOf(cardOf(dana.activity))).toMatchObject({
      Rows: '26',
      Ready: '22',
      'Not found': '1',
      'Privileged (excluded from bulk)': '1',
      Duplicate: '1',
      'Outside policy': '1',
    });
  });
});

describe('bad input and wrong places', () => {
  it('a typed list with short addresses, a name and a guest: counted, nothing issued until Confirm', async () => {
    const dana = h.user('dana@contoso.com');
    const before = h.connector.sent().length;
    await post(
      h,
      message(
        h,
        dana,
        `issue TAP for ${newHireUpn(80).replace('.com', '')}, ${newHireUpn(81)}, Bob Jones, judy for 2h once`,
      ),
    );
    const card = cardOf(h.connector.sent()[before]!.activity);
    expect(factsOf(card)).toMatchObject({ Rows: '4', Ready: '2', 'Invalid row': '2' });
    expect(JSON.stringify(card)).toContain('use the address');
  });

  it('a group chat, a non-CSV file and a download link outside Teams storage are refused', async () => {
    const dana = h.user('dana@contoso.com');
    const before = h.connector.sent().length;
    await post(
      h,
      inConversation(
        message(h, dana, `issue TAP for ${newHireUpn(90)}, ${newHireUpn(91)}`),
        '19:group@thread.v2',
        'groupChat',
      ),
    );
    expect(JSON.stringify(h.connector.sent()[before]!.activity)).toContain('works in your 1:1 chat');

    const text = await putUserFile(h, 'notes.txt', 'user\nalice@contoso.com');
    await post(h, fileMessage(h, dana, text.attachment));
    expect(JSON.stringify(h.connector.sent().at(-1)!.activity)).toContain('not a .csv file');

    const csv = await putUserFile(h, 'wave.csv', 'user\nalice@contoso.com');
    const forged = {
      ...csv.attachment,
      content: { ...csv.attachment.content, downloadUrl: 'https://evil.example/wave.csv' },
    };
    await post(h, fileMessage(h, dana, forged));
    expect(JSON.stringify(h.connector.sent().at(-1)!.activity)).toContain('could not download the file');

    const broken = await putUserFile(h, 'broken.csv', 'name,mail\nAlice,alice@contoso.com');
    await post(h, fileMessage(h, dana, broken.attachment));
    expect(JSON.stringify(h.connector.sent().at(-1)!.activity)).toContain('could not read that CSV');
    expect(
      (await passesByUser(h)).state.passes.filter((p) => p.userPrincipalName === 'alice@contoso.com'),
    ).toHaveLength(0);
  });

  it('someone else clicking a bulk card changes nothing', async () => {
    // Owen has issued nothing this hour, so his small bulk needs no approval (Dana's earlier ones count).
    const dana = h.user('owen@contoso.com');
    const reply = await sendCsv(h, dana, 'mine.csv', newHiresCsv(95, 2));
    const { bulkId } = actionData(cardOf(reply.activity), 'bulk.confirm');
    const erin = await post(h, click(h, h.user('erin@contoso.com'), 'bulk.confirm', { bulkId }));
    expect(bodyText(erin)).toContain('not your bulk');
    const tampered = await post(h, click(h, dana, 'bulk.confirm', { bulkId, users: ['x'] }));
    expect(bodyText(tampered)).toContain('I could not read that click');
    expect(
      (await passesByUser(h)).state.passes.filter((p) => p.userPrincipalName === newHireUpn(95)),
    ).toHaveLength(0);
  });
});

describe('limits', () => {
  it('the per-issuer hourly limit counts every pass in a bulk', async () => {
    // Approval only above 50, so the 21 passes are Dana's alone to issue, within her hourly limit.
    const small = await startHarness({ BULK_APPROVAL_ABOVE: '50' }, { newHires: 30 });
    try {
      const dana = small.user('dana@contoso.com');
      const reply = await sendCsv(small, dana, 'too-many.csv', newHiresCsv(1, 21));
      expect(JSON.stringify(reply.activity)).toContain('More passes than your allowance');
      expect(JSON.stringify(reply.activity)).toContain('your hourly limit (20)');
    } finally {
      await small.close();
    }
  });

  it('splitting a wave does not avoid approval: the threshold counts the last hour, not one bulk', async () => {
    const split = await startHarness({}, { newHires: 20 });
    try {
      const dana = split.user('dana@contoso.com');
      const first = await sendCsv(split, dana, 'part-1.csv', newHiresCsv(1, 6));
      const { bulkId } = actionData(cardOf(first.activity), 'bulk.confirm');
      await post(split, click(split, dana, 'bulk.confirm', { bulkId }));
      // Six more within the hour: twelve in all is above BULK_APPROVAL_ABOVE (10).
      const second = JSON.stringify((await sendCsv(split, dana, 'part-2.csv', newHiresCsv(7, 6))).activity);
      expect(second).toContain('bulk.ask');
      expect(second).not.toContain('bulk.confirm');
      expect(second).toContain('You issued 6 passes in the last hour');
      // A bulk above the threshold is held to the tenant's hourly limit, not Dana's own (20).
      const big = JSON.stringify((await sendCsv(split, dana, 'wave.csv', newHiresCsv(1, 20))).activity);
      expect(big).toContain('bulk.ask');
      expect(big).not.toContain('More passes than your allowance');
    } finally {
      await split.close();
    }
  });
});
