import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlayground, say, type Session } from './browser.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';

// Dana types the way a helpdesk admin in a hurry does: other verbs, politeness, the person first, a
// bare pass, a start without 'start', and a typo that is answered with "Did you mean …?".
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

const CONFIRM_TITLE = 'Issue a Temporary Access Pass?';

describe('in the Agents Playground, as Dana Reyes typing the way people talk', () => {
  it.each([
    ['01-synonym-verb', 'give bob@contoso.com a TAP for 2h', 'Bob Kim', '2 hours'],
    [
      '02-politeness',
      'hey TapDesk, could you please make a temp pass for alice@contoso.com',
      'Alice Wong',
      'Alice Wong',
    ],
    [
      '03-person-first',
      'carol@contoso.com needs a temporary access pass tomorrow 9am',
      'Carol Diaz',
      'Carol Diaz',
    ],
    ['04-bare', 'TAP gina@contoso.com 4h once', 'Gina Patel', '4 hours'],
    ['05-no-start-word', 'issue TAP for alice.smith@contoso.com monday 8:00 for 1h', 'Alice Smith', '1 hour'],
  ])('%s: "%s" gets the confirmation card', async (name, text, person, shows) => {
    const { page, shot } = session;
    await say(page, text);
    const card = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: CONFIRM_TITLE })
      .filter({ hasText: person })
      .last();
    await card.waitFor({ timeout: 20_000 });
    const shown = await card.innerText();
    expect(shown).toContain(shows);
    await expect(card.locator('button[aria-label="Confirm"]').count()).resolves.toBe(1);
    await shot(`phrasings-${name}`);
    expect(session.consoleErrors).toEqual([]);
    expect(sandbox.botErrors).toEqual([]);
  });

  it('a typo gets "Did you mean …?", and its button brings the confirmation card', async () => {
    const { page, shot } = session;
    await say(page, 'isue tap for mallory@contoso.com');
    const suggestion = page.locator('.ac-adaptiveCard').filter({ hasText: 'Did you mean this?' }).last();
    await suggestion.waitFor({ timeout: 20_000 });
    await expect(suggestion.innerText()).resolves.toContain('issue TAP for mallory@contoso.com');
    await shot('phrasings-06-did-you-mean');
    await suggestion.locator('button[aria-label="Yes, run it"]').click();
    const card = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: CONFIRM_TITLE })
      .filter({ hasText: 'Mallory Stone' })
      .last();
    await card.waitFor({ timeout: 20_000 });
    await shot('phrasings-07-suggestion-ran');
    expect(session.consoleErrors).toEqual([]);
    expect(sandbox.botErrors).toEqual([]);
  });
});
