import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureUser } from '../../sandbox/index.js';
import {
  actionData,
  APPROVALS_CHANNEL,
  botAdded,
  cardOf,
  click,
  message,
  post,
} from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { clickBulk, inApproversThread, newHiresCsv, sendCsv, waitFor } from '../helpers/bulk.js';
import type { ConnectorCall } from '../helpers/connector.js';

// Text that other people choose (display names, typed commands, reasons, CSV cells) goes out through
// every reply path over real HTTP, and no message TapDesk sends may carry it as live Markdown or HTML.
const LINK = '[Re-verify](https://evil.example)';
const HOSTILE_NAMES = [
  `Eve ${LINK}`,
  'Eve <at>Dana</at> <a href="https://evil.example">x</a> www.evil.example',
];

// A live Markdown link, an anchor, a mention, or the input's bare URL left whole.
const LIVE = /\[[^\]]*\]\(\s*https?:|<a[\s>]|<at>|https:\/\/evil|www\.evil/i;

let h: Harness;
beforeAll(async () => {
  h = await startHarness(
    { TAP_LIMIT_PER_ISSUER_PER_HOUR: '1000', TAP_LIMIT_TENANT_PER_HOUR: '1000' },
    {
      newHires: 26,
      fixture: (fixture) =>
        fixture.users.push(
          ...HOSTILE_NAMES.map((displayName, n): FixtureUser => ({
            id: `e7e00000-0000-4000-8000-00000000000${n + 1}`,
            displayName,
            userPrincipalName: `mallory${n + 1}@contoso.com`,
            mail: `mallory${n + 1}@contoso.com`,
            userType: 'Member',
            accountEnabled: true,
            jobTitle: null,
            department: null,
            roles: [],
            manager: null,
            teamsUserId: `29:sandbox-mallory${n + 1}`,
          })),
        ),
    },
  );
  await post(h, botAdded(h, h.user('dana@contoso.com'), APPROVALS_CHANNEL));
});
afterAll(async () => h?.close());

/** Every message the bot sent: replies and proactive messages, their text and their cards. */
const everything = (): ConnectorCall[] => [...h.connector.sent(), ...h.connector.proactive()];
const textOf = (call: ConnectorCall) => String(call.activity.text ?? '');

/** Posts a message and returns what the bot sent because of it. */
async function say(upn: string, line: string): Promise<ConnectorCall[]> {
  const before = new Set(everything());
  expect((await post(h, message(h, h.user(upn), line))).status).toBe(200);
  return everything().filter((c) => !before.has(c));
}

describe('hostile text in plain-text messages', () => {
  it('an unknown command is echoed inert', async () => {
    const [reply] = await say('dana@contoso.com', '[click](https://evil.example) please');
    expect(textOf(reply!)).toContain("I don't know the command");
    expect(textOf(reply!)).not.toMatch(LIVE);
  });

  it('a link typed as the person comes back inert', async () => {
    const replies = await say('dana@contoso.com', 'issue TAP for [x](https://evil.example)');
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) expect(JSON.stringify(reply.activity)).not.toMatch(LIVE);
  });

  it.each([
    ['carol@contoso.com', 'request TAP for Eve reason: new phone'],
    ['dana@contoso.com', 'list TAP for Eve'],
    ['dana@contoso.com', 'audit for Eve'],
  ])('hostile display names in "several people match" (%s: %s)', async (upn, line) => {
    const replies = await say(upn, line);
    const shown = replies.map((r) => JSON.stringify(r.activity)).join('\n');
    expect(shown).toMatch(/match/i);
    expect(shown).toContain('mallory1@contoso.com');
    expect(shown).not.toMatch(LIVE);
  });

  it('a CSV file name and CSV cells in bulk problems', async () => {
    const dana = h.user('dana@contoso.com');
    const badName = await sendCsv(h, dana, '[Re-verify](www.evil.example).txt', 'user\nalice@contoso.com');
    const cells = await sendCsv(h, dana, 'cells.csv', `user\n${LINK}\n<at>Dana</at>,8h\nwww.evil.example,x`);
    for (const reply of [badName, cells]) expect(JSON.stringify(reply.activity)).not.toMatch(LIVE);
  });

  it('a bulk rejection reason reaches the requester inert', async () => {
    const dana = h.user('dana@contoso.com');
    const reply = await sendCsv(h, dana, 'wave.csv', newHiresCsv(1, 26));
    await clickBulk(h, dana, reply, 'bulk.ask');
    const { bulkId } = actionData(cardOf(reply.activity), 'bulk.ask');
    const reason = `Please ${LINK} <at>Dana</at> first`;
    await post(
      h,
      inApproversThread(
        click(h, h.user('erin@contoso.com'), 'bulk.reject', { bulkId, rejectReason: reason }),
      ),
    );
    const verdict = await waitFor('the rejection message', () =>
      h.connector.proactive(`a:1:${dana.id}`).find((c) => textOf(c).includes('rejected your bulk')),
    );
    expect(textOf(verdict)).toContain('Re-verify');
    expect(textOf(verdict)).not.toMatch(LIVE);
  });

  it('nothing any of these turns sent carries a live link, anchor or mention in its text', () => {
    const texts = everything().map(textOf);
    expect(texts.length).toBeGreaterThan(5);
    for (const text of texts) expect(text).not.toMatch(LIVE);
  });
});
