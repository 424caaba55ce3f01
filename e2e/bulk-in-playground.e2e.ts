import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlayground, say, type Session } from './browser.js';
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

describe('a bulk in the Agents Playground, as Dana Reyes', () => {
  it('a typed list: counts on one card, Issue, then the summary follows the run', async () => {
    const { page, shot } = session;
    await say(
      page,
      'issue TAP for newhire0001@contoso.com, newhire0002@contoso.com, frank@contoso.com, nobody@contoso.com for 8h',
    );
    const card = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'Bulk: 2 Temporary Access Passes' })
      .last();
    await card.waitFor({ timeout: 20_000 });
    const text = await card.innerText();
    expect(text).toContain('Privileged (excluded from bulk)');
    expect(text).toContain('Not found');
    await shot('20-bulk-card');

    await card.locator('button[aria-label="Issue 2 passes"]').click();
    // The Playground shows the card in its updated state: the run finished and the file is offered.
    await page.getByText('2 issued, 0 failed', { exact: false }).first().waitFor({ timeout: 30_000 });
    // The results file comes as Teams' file consent card, which the Playground does not render.
    await page.getByText('File Consent Card is not supported yet', { exact: false }).first().waitFor();
    await shot('21-bulk-finished');
    expect(session.consoleErrors).toEqual([]);
    expect(sandbox.botErrors).toEqual([]);
  });
});
