import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const SHOTS_DIR = join(process.cwd(), 'test-results', 'e2e');

// Offline, the Playground's web fonts and Fluent CDN assets cannot load; nothing else may fail.
const OFFLINE_NOISE = [
  /net::ERR_NAME_NOT_RESOLVED/,
  /res-\d\.cdn\.office\.net/,
  /Failed to load resource: the server responded with a status of 404/,
];

export interface Session {
  browser: Browser;
  page: Page;
  consoleErrors: string[];
  shot(name: string): Promise<void>;
}

/** Debian's Chromium, headless, no background networking (offline machine); launch() uses a fresh temporary profile. */
export async function openPlayground(url: string): Promise<Session> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !OFFLINE_NOISE.some((re) => re.test(m.text()))) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.getByText('Connected.').first().waitFor({ timeout: 30_000 });
  return {
    browser,
    page,
    consoleErrors,
    shot: async (name) => {
      await page.screenshot({ path: join(SHOTS_DIR, `${name}.png`) });
    },
  };
}

/** Types a message into the compose box like a person and sends it. */
export async function say(page: Page, text: string): Promise<void> {
  const box = page.locator('div[role="textbox"][contenteditable="true"]');
  await box.click();
  await box.pressSequentially(text);
  await page.keyboard.press('Enter');
}

/** The newest Adaptive Card in the open conversation that contains `text` (cards update in place). */
export function card(page: Page, text: string): Locator {
  return page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
}

/**
 * Opens a conversation from the Playground's left rail by its accessible name: 'Personal Chat',
 * the group chat's name, or '<team> - <channel>' for a Teams channel (e.g. 'IT - TAP approvals').
 */
export async function openConversation(page: Page, name: string): Promise<void> {
  await page.locator(`[role="treeitem"][aria-label="${name}"]`).click();
}

/**
 * The Log Panel's entries for an exchange with the bot, e.g. 'conversationUpdate 200' (Playground →
 * bot) or 'message 200' (bot → Playground: an update of a message, 201 is a new one), oldest first.
 */
export function logEntries(page: Page, exchange: string): Locator {
  return page.getByText(exchange, { exact: true });
}

/** The Log Panel's details of the entry clicked last: the activity as JSON, one property a line. */
export function logDetails(page: Page): Locator {
  return page.locator('div:has(> [role="tablist"]) + div[contenteditable="true"]');
}

/**
 * Fills a card and clicks one of its buttons until its answer shows. A message arriving meanwhile makes
 * the Playground redraw the chat and forget what was chosen on a card, so its own validation keeps the
 * click from being sent at all; such a lost click is done again (at most three times). The bot answers a
 * repeated click on a request it already acted on with a notice that leaves the card alone.
 */
export async function submitCard(fillAndClick: () => Promise<void>, answered: Locator): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    await fillAndClick();
    const shown = await answered
      .waitFor({ timeout: 8_000 })
      .then(() => true)
      .catch(() => false);
    if (shown) return;
    if (attempt >= 3) throw new Error('the card was not answered after three tries');
  }
}
