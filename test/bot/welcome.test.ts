import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../src/store/port.js';
import {
  APPROVALS_CHANNEL,
  botAdded,
  botAddedToPersonalChat,
  cardOf,
  installationUpdate,
  message,
  post,
} from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import type { ConnectorCall } from '../helpers/connector.js';

const TEAMS_GENERAL = '19:sandbox-it-team@thread.tacv2';
const GROUP_CHAT = '19:sandbox-helpdesk-chat@thread.v2';

/** Messages TapDesk sent into one conversation while answering the test's activities. */
const repliesIn = (h: Harness, conversationId: string): ConnectorCall[] =>
  h.connector.sent().filter((c) => c.conversationId === conversationId);

/** Everything a person can read on a card or in a message, as one string. */
function shown(call: ConnectorCall): string {
  const activity = call.activity;
  return typeof activity.text === 'string' && activity.text
    ? activity.text
    : JSON.stringify(cardOf(activity));
}

/** The commands the card's buttons would send, as typed text. */
function buttonCommands(call: ConnectorCall): string[] {
  const actions = (cardOf(call.activity).actions ?? []) as { data: { command: string } }[];
  return actions.map((a) => a.data.command);
}

async function say(h: Harness, upn: string, text: string): Promise<ConnectorCall> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user(upn), text));
  const reply = h.connector.sent()[before];
  if (!reply) throw new Error(`no reply to ${text}`);
  return reply;
}

describe('the welcome, in the sandbox (roles readable)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('a personal install greets Dana once, as an issuer, and remembers her 1:1 chat', async () => {
    const dana = h.user('dana@contoso.com');
    const chat = `a:1:${dana.id}`;
    expect(await h.store.get(TABLES.conversations, 'personal', dana.id)).toBeUndefined();

    expect((await post(h, installationUpdate(h, dana, 'add'))).status).toBe(200);
    const [welcome, ...more] = repliesIn(h, chat);
    expect(more).toEqual([]);
    const text = shown(welcome!);
    expect(text).toContain('Welcome to TapDesk, Dana Reyes');
    expect(text).toContain('**Issue** a pass');
    expect(text).toContain('at most 8 hours here');
    expect(text).toContain('**Approve**');
    expect(buttonCommands(welcome!)).toEqual(['help', 'tap policy', 'audit last 20']);
    // Notices and approval results can now reach her, though she has not typed anything yet.
    const personal = await h.store.get<{ conversation: { id: string } }>(
      TABLES.conversations,
      'personal',
      dana.id,
    );
    expect(personal?.value.conversation.id).toBe(chat);
    expect(await h.store.get(TABLES.conversations, 'conversation', chat)).toBeDefined();

    // The second announcement of the same install.
    await post(h, botAddedToPersonalChat(h, dana));
    expect(repliesIn(h, chat)).toHaveLength(1);
    expect(h.logLines.filter((l) => l.includes('"welcome.sent"'))).toHaveLength(1);
  });

  it('both announcements at the same moment still make one welcome; a person without a role hears so', async () => {
    const mallory = h.user('mallory@contoso.com');
    await Promise.all([
      post(h, installationUpdate(h, mallory, 'add')),
      post(h, botAddedToPersonalChat(h, mallory)),
      post(h, installationUpdate(h, mallory, 'add')),
    ]);
    const welcomes = repliesIn(h, `a:1:${mallory.id}`);
    expect(welcomes).toHaveLength(1);
    const text = shown(welcomes[0]!);
    expect(text).toContain('Welcome to TapDesk, Mallory Stone');
    expect(text).toContain("You don't hold an active Entra role that issues passes");
    expect(text).not.toContain('**Issue** a pass');
    expect(text).not.toContain('**Approve**');
    expect(text).toContain('**Request** a pass for people you manage');
    expect(buttonCommands(welcomes[0]!)).toEqual(['help', 'tap policy']);
  });

  it('a member of the requester group is told she may request for anyone', async () => {
    const harry = h.user('harry@contoso.com');
    await post(h, installationUpdate(h, harry, 'add'));
    expect(shown(repliesIn(h, `a:1:${harry.id}`)[0]!)).toContain('**Request** a pass for anyone');
  });

  it('added to the approvers channel: one welcome about approvals, none when a colleague joins later', async () => {
    const dana = h.user('dana@contoso.com');
    await post(h, botAdded(h, dana, APPROVALS_CHANNEL));
    await post(h, installationUpdate(h, dana, 'add', { id: APPROVALS_CHANNEL, type: 'channel' }));
    const colleague = {
      ...botAdded(h, dana, APPROVALS_CHANNEL),
      membersAdded: [{ id: h.user('erin@contoso.com').teamsUserId }],
    };
    await post(h, colleague);
    const welcomes = repliesIn(h, APPROVALS_CHANNEL);
    expect(welcomes).toHaveLength(1);
    const text = shown(welcomes[0]!);
    expect(text).toContain('posted in this channel for approval');
    expect(text).toContain('1 hour to decide');
    // A shared message: nothing about the person who added TapDesk.
    expect(text).not.toContain('Dana');
    expect(buttonCommands(welcomes[0]!)).toEqual(['help']);
  });

  it('a team install in another channel and a group chat get the general shared welcome', async () => {
    const carol = h.user('carol@contoso.com');
    await post(h, installationUpdate(h, carol, 'add', { id: TEAMS_GENERAL, type: 'channel' }));
    await post(h, botAdded(h, carol, GROUP_CHAT, 'groupChat'));
    const team = shown(repliesIn(h, TEAMS_GENERAL)[0]!);
    expect(team).toContain('in a 1:1 chat with me');
    expect(team).toContain('In a channel Teams cannot give me your sign-in');
    const group = shown(repliesIn(h, GROUP_CHAT)[0]!);
    expect(group).toContain('in a 1:1 chat with me');
    expect(group).not.toContain('In a channel');
    expect(await h.store.get(TABLES.conversations, 'conversation', TEAMS_GENERAL)).toBeDefined();
  });

  it('an app upgrade says nothing; an uninstall and a new install greet again', async () => {
    const erin = h.user('erin@contoso.com');
    const chat = `a:1:${erin.id}`;
    await post(h, installationUpdate(h, erin, 'add'));
    await post(h, installationUpdate(h, erin, 'add-upgrade'));
    expect(repliesIn(h, chat)).toHaveLength(1);
    await post(h, installationUpdate(h, erin, 'remove'));
    expect(repliesIn(h, chat)).toHaveLength(1);
    await post(h, installationUpdate(h, erin, 'add'));
    await post(h, botAddedToPersonalChat(h, erin));
    expect(repliesIn(h, chat)).toHaveLength(2);
  });

  it("a welcome button's command goes the normal way, rules included", async () => {
    // Action.Submit arrives as a message without text whose value is the button's data.
    const clicked = (upn: string, command: unknown) => ({
      ...message(h, h.user(upn), ''),
      text: undefined,
      value: { command },
    });
    const answer = async (activity: unknown) => {
      const before = h.connector.sent().length;
      await post(h, activity);
      return shown(h.connector.sent()[before]!);
    };
    // Mallory may not read the audit, whether she types it or clicks it.
    expect(await answer(clicked('mallory@contoso.com', 'audit last 20'))).toContain('AUDIT_NOT_ALLOWED');
    expect(await answer(clicked('dana@contoso.com', 'audit last 20'))).toContain('Last 20 TAP events');
    expect(await answer(clicked('dana@contoso.com', 'tap policy'))).toContain('policy');
    // Whatever a forged button says is parsed like typed text: a non-command is refused as one.
    expect(await answer(clicked('dana@contoso.com', 'format c:'))).toContain("I don't know the command");
    // A value that is not just a command is not read as one.
    const other = {
      ...message(h, h.user('dana@contoso.com'), ''),
      text: undefined,
      value: { command: 'tap policy', requestId: 'x' },
    };
    expect(await answer(other)).toContain('Tell me who needs a Temporary Access Pass');
  });

  it('help tells Dana this deployment’s numbers, cleanly', async () => {
    const help = shown(await say(h, 'dana@contoso.com', 'help'));
    expect(help).not.toMatch(/[<>]/);
    expect(help).toContain('at most 8 hours here');
    expect(help).toContain('More than 10 passes within an hour');
    expect(help).toContain('Approvers have 1 hour to decide');
    expect(help).not.toContain('30 days)');
    expect(help).not.toContain('RoleManagement.Read.Directory');
  });

  it('small talk: hi gets the welcome for what she may do, thanks one line, "what can you do?" the help', async () => {
    const hello = await say(h, 'dana@contoso.com', 'hi');
    expect(shown(hello)).toContain("Hi Dana Reyes, I'm TapDesk");
    expect(shown(hello)).toContain('**Issue** a pass');
    const helloMallory = shown(await say(h, 'mallory@contoso.com', 'Hello!'));
    expect(helloMallory).toContain("Hi Mallory Stone, I'm TapDesk");
    expect(helloMallory).toContain("You don't hold an active Entra role");

    const thanks = await say(h, 'dana@contoso.com', 'thanks');
    expect(thanks.activity.text).toBe("You're welcome. Type `help` whenever you need the commands.");

    const capabilities = shown(await say(h, 'mallory@contoso.com', 'what can you do?'));
    expect(capabilities).toContain("You don't have an active Entra role that may issue passes");
    expect(capabilities).toContain('members of the service desk requester group');
    expect(capabilities).toContain('`help` shows this message again.');
  });
});

describe('help and the welcome under other settings', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      TAP_MAX_LIFETIME_MINUTES: '120',
      BULK_APPROVAL_ABOVE: '3',
      APPROVERS_CONVERSATION: '',
      REQUESTER_GROUP_ID: '',
      APP_PERMISSIONS: '',
    });
  });
  afterAll(async () => h?.close());

  it('help names the 2-hour cap, the threshold of 3, requests switched off and the unseen eligible roles', async () => {
    const help = shown(await say(h, 'dana@contoso.com', 'help'));
    expect(help).not.toMatch(/[<>]/);
    expect(help).toContain('at most 2 hours here');
    expect(help).not.toContain('8 hours');
    expect(help).not.toContain('for 4h');
    expect(help).toContain('More than 3 passes within an hour');
    expect(help).toContain('so such a bulk is refused');
    expect(help).toContain('Approval requests are switched off here');
    expect(help).not.toContain('request TAP for');
    expect(help).toContain('RoleManagement.Read.Directory');
  });

  it('the welcome offers no request and no approval when there are no approvers', async () => {
    const dana = h.user('dana@contoso.com');
    await post(h, installationUpdate(h, dana, 'add'));
    const text = shown(repliesIn(h, `a:1:${dana.id}`)[0]!);
    expect(text).toContain('at most 2 hours here');
    expect(text).not.toContain('**Request**');
    expect(text).not.toContain('**Approve**');
    expect(text).not.toContain('for 4h');
  });
});

describe('entra mode, before anyone signed in', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      TAPDESK_MODE: 'entra',
      SANDBOX_URL: '',
      TAPDESK_ALLOW_UNAUTHENTICATED: 'loopback-only',
    });
  });
  afterAll(async () => h?.close());

  const noOAuthCard = () =>
    expect(JSON.stringify(h.connector.sent().map((c) => c.activity))).not.toContain('card.oauth');

  it('the install shows the general welcome and asks for no sign-in', async () => {
    const dana = h.user('dana@contoso.com');
    await post(h, installationUpdate(h, dana, 'add'));
    await post(h, botAddedToPersonalChat(h, dana));
    const welcomes = repliesIn(h, `a:1:${dana.id}`);
    expect(welcomes).toHaveLength(1);
    const text = shown(welcomes[0]!);
    expect(text).toContain('Welcome to TapDesk, Dana Reyes');
    expect(text).toContain('With an active Authentication Administrator');
    expect(text).toContain('I ask you to sign in once');
    noOAuthCard();
    expect(h.logLines.some((l) => l.includes('"welcome.general"') && l.includes('no_token'))).toBe(true);
  });

  it('hi, thanks and help are answered without a sign-in', async () => {
    expect(shown(await say(h, 'erin@contoso.com', 'hi'))).toContain("Hi Erin Lee, I'm TapDesk");
    expect((await say(h, 'erin@contoso.com', 'thanks')).activity.text).toContain("You're welcome");
    const help = shown(await say(h, 'erin@contoso.com', 'help'));
    expect(help).toMatch(/^I couldn't read your Entra roles/);
    expect(help).not.toMatch(/[<>]/);
    expect(help).toContain('at most 8 hours here');
    noOAuthCard();
  });
});
