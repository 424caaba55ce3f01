import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardOf, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { fileMessage } from '../helpers/files.js';
import { putUserFile, readUploadedFile } from '../helpers/sandbox-admin.js';

// A CSV file is downloaded only for someone who may issue passes: the role is checked first, with the
// sender's own token, so a user without a role cannot make TapDesk fetch and parse a file.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function sendFile(upn: string) {
  const file = await putUserFile(h, 'wave.csv', 'user\nalice@contoso.com\nbob@contoso.com');
  const before = h.connector.sent().length;
  expect((await post(h, fileMessage(h, h.user(upn), file.attachment))).status).toBe(200);
  const reply = h.connector.sent()[before];
  if (!reply) throw new Error('the bot did not answer the file');
  return { card: JSON.stringify(cardOf(reply.activity)), stored: await readUploadedFile(h, file.uniqueId) };
}

describe('a CSV file from someone without an issuing role', () => {
  it('is refused before it is downloaded', async () => {
    const { card, stored } = await sendFile('carol@contoso.com');
    expect(card).toContain('TAP_ROLE_MISSING');
    expect(stored.downloads).toBe(0);
  });

  it('while an admin’s file is downloaded once and read', async () => {
    const { card, stored } = await sendFile('dana@contoso.com');
    expect(card).not.toContain('TAP_ROLE_MISSING');
    expect(stored.downloads).toBe(1);
  });
});
