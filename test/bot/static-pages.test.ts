import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';

// The Teams app manifest's developer links point at these pages on the bot's own domain.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const page = async (path: string) => {
  const response = await fetch(h.bot.url.replace('/api/messages', path));
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};

describe('the pages the app manifest links to', () => {
  it('/privacy says what is kept and that passes never are', async () => {
    const privacy = await page('/privacy');
    expect(privacy.status).toBe(200);
    expect(privacy.type).toContain('text/plain');
    expect(privacy.text).toContain('never stores, logs or posts a Temporary Access Pass');
  });

  it('/terms says TapDesk acts only with your own sign-in', async () => {
    const terms = await page('/terms');
    expect(terms.status).toBe(200);
    expect(terms.text).toContain('delegated sign-in');
  });
});
