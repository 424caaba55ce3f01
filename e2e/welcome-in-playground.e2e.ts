import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { card, logEntries, openConversation, openPlayground, say, type Session } from './browser.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';

const APPROVALS_CHANNEL = 'IT - TAP approvals';

let sandbox: SandboxProcess;
let session: Session;

beforeAll(async () => {
  sandbox = await startSandboxProcess();
  session = await openPlayground(sandbox.ready.playground);
});

afterAll(async () => {
  await session?.browser.close();
  await sandbox?.stop();
});

describe('the greeting in the Agents Playground, as Dana Reyes', () => {
  it('opening the 1:1 chat installs TapDesk: one welcome card for an issuer', async () => {
    const { page, shot } = session;
    // The Playground announces the install twice, as Teams does.
    await logEntries(page, 'installationUpdate 200').first().waitFor({ timeout: 20_000 });
    await logEntries(page, 'conversationUpdate 200').first().waitFor({ timeout: 20_000 });
    // The Playground's installationUpdate carries no name, so whichever announcement came first decides.
    const welcome = card(page, 'Welcome to TapDesk');
    await welcome.waitFor({ timeout: 20_000 });
    const text = await welcome.innerText();
    expect(text).toContain('Issue a pass');
    expect(text).toContain('at most 8 hours here');
    expect(text).toContain('Approve');
    // Markdown is rendered, not shown.
    expect(text).not.toContain('**');
    await shot('welcome-01-personal');
    // Both announcements were answered before this point; still only one welcome.
    expect(await page.locator('.ac-adaptiveCard').filter({ hasText: 'Welcome to TapDesk' }).count()).toBe(1);
    expect(session.consoleErrors).toEqual([]);
    expect(sandbox.botErrors).toEqual([]);
  });

  it('a welcome button sends its command as if typed: All commands shows help, cleanly', async () => {
    const { page, shot } = session;
    await card(page, 'Welcome to TapDesk').locator('button[aria-label="All commands"]').click();
    await page
      .getByText('More than 10 passes within an hour', { exact: false })
      .first()
      .waitFor({ timeout: 20_000 });
    const chat = await page.locator('body').innerText();
    expect(chat).not.toMatch(/<(person|duration|who|when|why|n)>|&lt;/);
    // The placeholders are italic words, not tags a Teams client might swallow.
    await expect(page.locator('em', { hasText: /^person$/ }).count()).resolves.toBeGreaterThan(0);
    await shot('welcome-02-help');
    expect(session.consoleErrors).toEqual([]);
    expect(sandbox.botErrors).toEqual([]);
  });

  it('"hi" is answered with what she may do', async () => {
    const { page, shot } = session;
    await say(page, 'hi');
    const hello = card(page, "Hi Dana Reyes, I'm TapDesk");
    await hello.waitFor({ timeout: 20_000 });
    await expect(hello.innerText()).resolves.toContain('Issue a pass');
    await shot('welcome-03-hi');
    expect(session.consoleErrors).toEqual([]);
    expect(sandbox.botErrors).toEqual([]);
  });

  it('opening the approvers channel greets it about approvals, once', async () => {
    const { page, shot } = session;
    await openConversation(page, APPROVALS_CHANNEL);
    const welcome = card(page, 'posted in this channel for approval');
    await welcome.waitFor({ timeout: 20_000 });
    await expect(welcome.innerText()).resolves.toContain('TapDesk is here');
    await shot('welcome-04-channel');
    expect(await page.locator('.ac-adaptiveCard').filter({ hasText: 'TapDesk is here' }).count()).toBe(1);
    expect(session.consoleErrors).toEqual([]);
    expect(sandbox.botErrors).toEqual([]);
  });
});
