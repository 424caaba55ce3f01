import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlayground, say, submitCard, type Session } from './browser.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';

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

describe('in the Agents Playground, as Dana Reyes', () => {
  it('issues a pass for Alice: card, verification, Confirm, pass shown once', async () => {
    const { page, shot } = session;
    await shot('01-connected');
    await say(page, 'issue TAP for alice@contoso.com for 2h');
    const card = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'Issue a Temporary Access Pass?' })
      .last();
    await card.waitFor({ timeout: 20_000 });
    await expect(card.innerText()).resolves.toContain('Alice Wong');
    await shot('02-confirmation-card');

    await submitCard(
      async () => {
        await card.getByText('Call-back to a number on file').click();
        await card.locator('button[aria-label="Confirm"]').click();
      },
      page.locator('.ac-adaptiveCard').filter({ hasText: 'Copy it now' }).last(),
    );
    const passCard = page.locator('.ac-adaptiveCard').filter({ hasText: 'Copy it now' }).last();
    await passCard.waitFor({ timeout: 20_000 });
    const text = await passCard.innerText();
    expect(text).toContain('Temporary Access Pass for Alice Wong');
    expect(text).toContain('2 hours');
    await shot('03-pass-shown');

    expect(session.consoleErrors).toEqual([]);
    expect(sandbox.botErrors).toEqual([]);
  });

  it('the proactive notice arrives, and list → Revoke deletes the pass', async () => {
    const { page, shot } = session;
    // The "pass for Alice Wong expires at …" notice, sent proactively through the Playground's connector.
    await page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'Issue a new one' })
      .first()
      .waitFor({ timeout: 20_000 });
    await shot('04-issued-notice');

    await say(page, 'list TAP for alice@contoso.com');
    const listed = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'Temporary Access Pass for Alice Wong' })
      .last();
    await listed.locator('button[aria-label="Revoke"]').waitFor({ timeout: 20_000 });
    await shot('05-listed');
    await listed.locator('button[aria-label="Revoke"]').click();
    await page.getByText('Revoked by Dana Reyes', { exact: false }).first().waitFor({ timeout: 20_000 });
    await shot('06-revoked');
    expect(session.consoleErrors).toEqual([]);
    expect(sandbox.botErrors).toEqual([]);
  });

  it('answers bad input with what to type instead', async () => {
    const { page, shot } = session;
    await say(page, 'issue TAP for alice for 2 fortnights');
    await page
      .getByText("Try 'for 2h', 'for 90m' or 'for 1 day'", { exact: false })
      .first()
      .waitFor({ timeout: 20_000 });
    await shot('07-bad-input');
    expect(session.consoleErrors).toEqual([]);
    expect(sandbox.botErrors).toEqual([]);
  });
});
