import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlayground, say, submitCard, type Session } from './browser.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';

// A hurried admin in the Agents Playground: two cards for the same person, the newer confirmed first,
// then the older one clicked; and a pass asked for someone only eligible for an admin role.
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

describe('in the Agents Playground, as Dana Reyes in a hurry', () => {
  it('an older card clicked after a newer one issued does not replace the pass; a fresh card says why', async () => {
    const { page, shot } = session;
    await say(page, 'issue tap for bob@contoso');
    const cards = page.locator('.ac-adaptiveCard').filter({ hasText: 'Issue a Temporary Access Pass?' });
    await cards.first().waitFor({ timeout: 20_000 });
    await say(page, 'issue TAP for bob@contoso.com');
    await cards.nth(1).waitFor({ timeout: 20_000 });

    const newer = cards.nth(1);
    await submitCard(
      async () => {
        await newer.getByText('In person').click();
        await newer.locator('button[aria-label="Confirm"]').click();
      },
      page.locator('.ac-adaptiveCard').filter({ hasText: 'Copy it now' }).last(),
    );
    await page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'Copy it now' })
      .last()
      .waitFor({ timeout: 20_000 });

    // The issuer's notice arrives a moment after the pass; the Playground redraws the chat for it and
    // forgets a choice made on another card meanwhile, so the older card is filled in after it.
    await page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'Pass for Bob Kim expires at' })
      .last()
      .waitFor({ timeout: 20_000 });
    await expect.poll(() => cards.count(), { timeout: 20_000 }).toBe(1);
    const older = cards.first();
    await submitCard(
      async () => {
        await older.getByText('In person').click();
        await older.locator('button[aria-label="Confirm"]').click();
      },
      page.locator('.ac-adaptiveCard').filter({ hasText: 'What changed since the last card' }).last(),
    );
    const fresh = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'What changed since the last card' })
      .last();
    await fresh.waitFor({ timeout: 20_000 });
    expect(await fresh.innerText()).toContain('They got another pass since');
    await fresh.scrollIntoViewIfNeeded();
    await shot('20-stale-card-asks-again');
    expect(await page.locator('.ac-adaptiveCard').filter({ hasText: 'Copy it now' }).count()).toBe(1);
    expect(sandbox.botErrors).toEqual([]);
  });

  it('someone only eligible for Global Administrator gets no direct pass, and the card says why', async () => {
    const { page, shot } = session;
    await say(page, 'issue TAP for paul@contoso.com for 1h');
    const refusal = page.locator('.ac-adaptiveCard').filter({ hasText: 'second pair of eyes' }).last();
    await refusal.waitFor({ timeout: 20_000 });
    expect(await refusal.innerText()).toContain('eligible Global Administrator');
    await shot('21-eligible-admin-refused');
    expect(session.consoleErrors).toEqual([]);
    expect(sandbox.botErrors).toEqual([]);
  });
});
