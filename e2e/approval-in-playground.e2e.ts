import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  card,
  logDetails,
  logEntries,
  openConversation,
  openPlayground,
  say,
  submitCard,
  type Session,
} from './browser.js';
import { startPlaygroundAs, type PlaygroundProcess } from './playground-process.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';

// The Playground has one signed-in person per server and no way to switch in its UI. Dana is the
// Playground `npm run sandbox` starts; everyone else gets a Playground server of their own (same bot,
// same config but for `currentUser`) and a browser of their own, as two people at two desks would.
const APPROVALS_CHANNEL = 'IT - TAP approvals';
const APPROVALS_CHANNEL_ID = '19:sandbox-helpdesk-approvals@thread.tacv2';

let sandbox: SandboxProcess;
const playgrounds: PlaygroundProcess[] = [];
const sessions: Session[] = [];

async function open(url: string): Promise<Session> {
  const session = await openPlayground(url);
  sessions.push(session);
  return session;
}

/** A Playground signed in as `name`, open in its own browser. */
async function as(name: string): Promise<Session> {
  const playground = await startPlaygroundAs(name, sandbox.ready.bot);
  playgrounds.push(playground);
  return open(playground.url);
}

function expectNoErrors(): void {
  for (const session of sessions) expect(session.consoleErrors).toEqual([]);
  expect(sandbox.botErrors).toEqual([]);
}

beforeAll(async () => {
  sandbox = await startSandboxProcess();
});

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.browser.close()));
  await Promise.all(playgrounds.map((p) => p.stop()));
  await sandbox?.stop();
});

describe('in the Agents Playground, approvals', () => {
  it('Mallory, who holds no admin role, is refused before any card', async () => {
    const mallory = await as('Mallory Stone');
    await say(mallory.page, 'issue TAP for alice@contoso.com for 2h');
    const refusal = card(mallory.page, 'You need an authentication admin role');
    await refusal.waitFor({ timeout: 20_000 });
    const text = await refusal.innerText();
    expect(text).toContain('TAP_ROLE_MISSING');
    expect(await mallory.page.locator('button[aria-label="Confirm"]').count()).toBe(0);
    await mallory.shot('10-mallory-refused');
    expectNoErrors();
  });

  it('Carol requests a pass for Alice; Dana approves it in the TAP approvals channel and alone sees it', async () => {
    const [dana, carol] = await Promise.all([open(sandbox.ready.playground), as('Carol Diaz')]);
    const request = 'request TAP for alice@contoso.com for 2h reason: lost phone';

    // Nobody has opened the approvals channel yet, so TapDesk does not know where it is.
    await say(carol.page, request);
    await card(carol.page, 'I cannot reach the approvers yet').waitFor({ timeout: 20_000 });
    await expect(card(carol.page, 'I cannot reach the approvers yet').innerText()).resolves.toContain(
      'APPROVERS_UNREACHABLE',
    );
    await carol.shot('11-carol-approvers-unreachable');

    // Dana opens the channel: the Playground sends TapDesk a conversationUpdate from there (as Teams
    // does when an app is added to a team), which is how TapDesk learns the channel's address. Her
    // Log Panel shows when TapDesk has answered it: one entry for her 1:1 chat, then the channel's.
    const updates = logEntries(dana.page, 'conversationUpdate 200');
    await updates.first().waitFor({ timeout: 20_000 });
    const before = await updates.count();
    await openConversation(dana.page, APPROVALS_CHANNEL);
    await updates.nth(before).waitFor({ timeout: 20_000 });
    await dana.shot('12-dana-opens-approvals-channel');

    // Carol asks again: the tracking card in her chat, the approval card in Dana's channel.
    await say(carol.page, request);
    const tracking = card(carol.page, 'Your request: a Temporary Access Pass for Alice Wong');
    await tracking.filter({ hasText: 'Waiting for approval' }).waitFor({ timeout: 20_000 });
    await carol.shot('13-carol-tracking-card');

    const approval = card(dana.page, 'Temporary Access Pass requested for Alice Wong');
    await approval.locator('button[aria-label="Approve"]').waitFor({ timeout: 20_000 });
    const asked = await approval.innerText();
    expect(asked).toContain('Carol Diaz (their manager)');
    expect(asked).toContain('lost phone');
    expect(asked).toContain('2 hours');
    await dana.shot('14-channel-approval-card');

    // Approve: the pass is created with Dana's token and comes back in her click's response only.
    await submitCard(
      () => approval.locator('button[aria-label="Approve"]').click(),
      card(dana.page, 'Copy it now'),
    );
    const pass = card(dana.page, 'Copy it now');
    await pass.waitFor({ timeout: 20_000 });
    const shown = await pass.innerText();
    expect(shown).toContain('Temporary Access Pass for Alice Wong');
    expect(shown).toContain('2 hours');
    await dana.shot('15-dana-pass-shown');

    // Carol's tracking card is updated in place; she never sees the pass.
    await tracking.filter({ hasText: 'Approved by Dana Reyes' }).waitFor({ timeout: 20_000 });
    await card(carol.page, 'Approved: a pass for Alice Wong').waitFor({ timeout: 20_000 });
    expect(await carol.page.getByText('Copy it now').count()).toBe(0);
    await carol.shot('16-carol-request-approved');

    // For everyone else in the channel the approval card became "Approved by Dana Reyes" (Dana, who
    // clicked, keeps seeing her pass there, as in Teams). The Playground shows that update of the
    // channel message in Dana's Log Panel as "message 200"; its details are the redacted card.
    await logEntries(dana.page, 'message 200').last().click();
    const details = logDetails(dana.page);
    const approvedLine = details.getByText(/"text": "Approved by Dana Reyes at /);
    await approvedLine.waitFor({ timeout: 20_000 });
    await approvedLine.scrollIntoViewIfNeeded();
    const update = await details.innerText();
    expect(update).toContain(APPROVALS_CHANNEL_ID);
    expect(update).not.toContain('Copy it now');
    await dana.shot('17-channel-card-approved');

    expectNoErrors();
  });
});
