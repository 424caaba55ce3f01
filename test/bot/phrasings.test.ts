// Each family of new phrasings, typed through /api/messages: it reaches the same confirmation card as
// the canonical command, a guess is only offered on a "Did you mean …?" card, and the card's button
// runs the text as whoever clicks it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureUser } from '../../sandbox/index.js';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** Types the text as the user and returns the activities the bot sent in reply. */
async function say(user: FixtureUser, text: string): Promise<Record<string, unknown>[]> {
  const before = h.connector.sent().length;
  expect((await post(h, message(h, user, text))).status).toBe(200);
  return h.connector
    .sent()
    .slice(before)
    .map((sent) => sent.activity);
}

/** The one card the bot answered with. */
async function cardFor(user: FixtureUser, text: string): Promise<Record<string, unknown>> {
  const replies = await say(user, text);
  expect(replies).toHaveLength(1);
  return cardOf(replies[0]!);
}

describe('new phrasings reach the confirmation card', () => {
  it.each([
    ['a synonym verb', 'give bob@contoso.com a TAP for 2h', '2 hours'],
    [
      'a politeness wrapper',
      'hey TapDesk, could you please issue a temp pass for bob@contoso.com',
      'Bob Kim',
    ],
    ['the person first', 'bob@contoso.com needs a temporary access pass for 4 hours once', '4 hours'],
    ['a bare pass and person', 'TAP bob@contoso.com 2h', '2 hours'],
    [
      'the canonical form with a start typed without "start"',
      'issue TAP for bob@contoso.com tomorrow 9am',
      'Bob Kim',
    ],
  ])('%s: %s', async (_family, text, shows) => {
    const card = await cardFor(h.user('dana@contoso.com'), text);
    const shown = JSON.stringify(card);
    expect(shown).toContain('tap.confirm');
    expect(shown).toContain('Bob Kim');
    expect(shown).toContain(shows);
  });

  it('a start without "start" is the same start as with it', async () => {
    const dana = h.user('dana@contoso.com');
    const facts = (card: Record<string, unknown>) =>
      JSON.stringify(card)
        .replace(/"requestId":"[^"]+"/g, '')
        .replace(/"id":"[^"]+"/g, '');
    for (const when of ['tomorrow 9am', 'monday 8:00']) {
      const without = await cardFor(dana, `issue TAP for bob@contoso.com ${when}`);
      const withStart = await cardFor(dana, `issue TAP for bob@contoso.com start ${when}`);
      expect(facts(without)).toBe(facts(withStart));
      const plain = await cardFor(dana, 'issue TAP for bob@contoso.com');
      expect(facts(without)).not.toBe(facts(plain));
    }
  });
});

describe('small talk reaches the help command', () => {
  const rejected = () => h.logLines.filter((line) => line.includes('"event":"command.rejected"')).length;

  it.each(['hi', 'Hello!', 'what can you do?', 'how does this work'])('%s', async (text) => {
    const [rejectedBefore, graphBefore] = [rejected(), h.graphCalls.length];
    const replies = await say(h.user('dana@contoso.com'), text);
    expect(replies).toHaveLength(1);
    const reply = JSON.stringify(replies[0]);
    expect(reply).not.toContain("don't know the command");
    expect(reply).not.toContain('Did you mean');
    expect(rejected()).toBe(rejectedBefore);
    // Help reads the caller's roles to say what they may do: the help command ran, as the sender.
    const read = h.graphCalls.slice(graphBefore).map((call) => call.url);
    expect(read.some((url) => url.includes('/me/'))).toBe(true);
  });

  it.each(['thanks', 'thank you'])('%s gets one line and reads nothing in Graph', async (text) => {
    const [rejectedBefore, graphBefore] = [rejected(), h.graphCalls.length];
    const replies = await say(h.user('dana@contoso.com'), text);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0])).not.toContain("don't know the command");
    expect(rejected()).toBe(rejectedBefore);
    expect(h.graphCalls.length).toBe(graphBefore);
  });

  it('an unknown word is still refused, and says so', async () => {
    const rejectedBefore = rejected();
    const replies = await say(h.user('dana@contoso.com'), 'frobnicate');
    expect(JSON.stringify(replies)).toContain("don't know the command");
    expect(rejected()).toBe(rejectedBefore + 1);
  });
});

describe('"Did you mean …?"', () => {
  it('a typo gets one card that acts on nothing, whose button carries the guessed command', async () => {
    const dana = h.user('dana@contoso.com');
    const graphBefore = h.graphCalls.length;
    const card = await cardFor(dana, 'isue tap for bob@contoso.com 2h');
    const shown = JSON.stringify(card);
    expect(shown).toContain('Did you mean');
    expect(shown).not.toContain('tap.confirm');
    expect(actionData(card, 'chat.run')).toStrictEqual({
      command: 'issue TAP for bob@contoso.com for 2 hours',
    });
    // Nothing was looked up or prepared for a guess.
    expect(h.graphCalls.length).toBe(graphBefore);
  });

  it('clicking the button shows the usual confirmation card, for the clicker', async () => {
    const dana = h.user('dana@contoso.com');
    const card = await cardFor(dana, 'bob@contoso.com tap pls');
    const data = actionData(card, 'chat.run');
    expect(data).toStrictEqual({ command: 'issue TAP for bob@contoso.com' });
    const before = h.connector.sent().length;
    const clicked = await post(h, click(h, dana, 'chat.run', data));
    expect(clicked.status).toBe(200);
    expect(JSON.stringify(clicked.body)).toContain('I ran');
    const replies = h.connector.sent().slice(before);
    expect(replies).toHaveLength(1);
    const confirm = cardOf(replies[0]!.activity);
    expect(JSON.stringify(confirm)).toContain('tap.confirm');
    expect(JSON.stringify(confirm)).toContain('Bob Kim');
  });

  it('someone else clicking it runs the command as themselves, with their own rights', async () => {
    const card = await cardFor(h.user('dana@contoso.com'), 'revok bob@contoso.com');
    const data = actionData(card, 'chat.run');
    expect(data).toStrictEqual({ command: 'revoke TAP for bob@contoso.com' });
    // Carol holds no admin role: her click answers exactly as her typing the command does.
    const carol = h.user('carol@contoso.com');
    const typed = await say(carol, 'revoke TAP for bob@contoso.com');
    const before = h.connector.sent().length;
    await post(h, click(h, carol, 'chat.run', data));
    const clicked = h.connector
      .sent()
      .slice(before)
      .map((sent) => sent.activity);
    const strip = (activities: Record<string, unknown>[]) =>
      JSON.stringify(activities.map((activity) => activity.attachments ?? activity.text)).replace(
        /"requestId":"[^"]+"/g,
        '',
      );
    expect(clicked).toHaveLength(typed.length);
    expect(strip(clicked)).toBe(strip(typed));
    expect(strip(clicked)).not.toContain('tap.revoke');
  });

  it('a click whose text is no command acts on nothing', async () => {
    const dana = h.user('dana@contoso.com');
    for (const command of ['isue tap for bob@contoso.com', 'rm -rf /', 'TAP for ${requestId}']) {
      const before = h.connector.sent().length;
      const response = await post(h, click(h, dana, 'chat.run', { command }));
      expect(JSON.stringify(response.body)).toContain('could not read that click');
      expect(h.connector.sent().length).toBe(before);
    }
  });

  it('a click carrying anything besides the command is refused', async () => {
    const dana = h.user('dana@contoso.com');
    for (const data of [
      { command: 'issue TAP for bob@contoso.com', requestId: crypto.randomUUID() },
      { command: 42 },
      { command: 'x'.repeat(501) },
      {},
    ]) {
      const before = h.connector.sent().length;
      const response = await post(h, click(h, dana, 'chat.run', data));
      expect(JSON.stringify(response.body)).toContain('could not read that click');
      expect(h.connector.sent().length).toBe(before);
    }
  });

  it('a name that carries markup is never offered back', async () => {
    const replies = await say(h.user('dana@contoso.com'), 'isue tap for [x](https://evil.example)');
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0])).not.toContain('chat.run');
  });
});
