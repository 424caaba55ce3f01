import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actionData,
  APPROVALS_CHANNEL,
  botAdded,
  cardOf,
  click,
  inConversation,
  message,
  post,
} from '../helpers/activities.js';
import { AuditLog } from '../../src/audit/log.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxState } from '../helpers/sandbox-admin.js';

// Entra mode is the production code path: assertions only come from Teams (click tokens and the
// message-turn token exchange). Pointed at the sandbox tenant it runs the real OBO and Graph calls.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    TAPDESK_MODE: 'entra',
    SANDBOX_URL: '',
    TAPDESK_ALLOW_UNAUTHENTICATED: 'loopback-only',
  });
});
afterAll(async () => h?.close());

describe('entra mode: Teams SSO paths', () => {
  it('a message without a Teams token gets an OAuth card; the token exchange replays the command', async () => {
    const dana = h.user('dana@contoso.com');
    await post(h, message(h, dana, 'issue TAP for alice@contoso.com'));
    const oauth = h.connector.sent()[0]!.activity as {
      attachments: { contentType: string; content: Record<string, unknown> }[];
    };
    expect(oauth.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.oauth');
    expect(JSON.stringify(oauth.attachments[0]!.content)).toContain(h.sandbox.app.ssoResource);

    const token = await h.sandbox.ssoToken(dana.id);
    const exchange = await post(h, {
      ...message(h, dana, ''),
      type: 'invoke',
      name: 'signin/tokenExchange',
      value: { id: 'x', connectionName: 'graph', token },
    });
    expect(exchange.status).toBe(200);
    const card = cardOf(h.connector.sent()[1]!.activity);
    expect(JSON.stringify(card)).toContain('Alice Wong');
  });

  it('a click without a token is answered with a login request; the repeated click with the token issues', async () => {
    const erin = h.user('erin@contoso.com');
    const token = await h.sandbox.ssoToken(erin.id);
    await post(h, {
      ...message(h, erin, ''),
      type: 'invoke',
      name: 'signin/tokenExchange',
      value: { id: 'y', token },
    });
    const before = h.connector.sent().length;
    await post(h, message(h, erin, 'issue TAP for bob@contoso.com for 1h'));
    const { requestId } = actionData(cardOf(h.connector.sent()[before]!.activity), 'tap.confirm');

    // A click whose token Entra rejects (stale or forged) must not fall back to anything else.
    const withBadToken = await post(
      h,
      click(h, erin, 'tap.confirm', { requestId, verification: 'callback' }, { token: 'not-a-jwt' }),
    );
    expect(withBadToken.status).toBe(401);
    const login = withBadToken.body as { type: string; value: { tokenExchangeResource: { uri: string } } };
    expect(login.type).toBe('application/vnd.microsoft.activity.loginRequest');
    expect(login.value.tokenExchangeResource.uri).toBe(h.sandbox.app.ssoResource);
    expect((await sandboxState(h)).passes).toHaveLength(0);

    const retried = await post(
      h,
      click(h, erin, 'tap.confirm', { requestId, verification: 'callback' }, { token }),
    );
    expect(JSON.stringify(retried.body)).toContain('Copy it now');
    const passes = (await sandboxState(h)).passes;
    expect(passes.map((p) => p.userPrincipalName)).toEqual(['bob@contoso.com']);
  });

  it('an Approve in the channel whose Teams sign-in fails is handed to the approver’s 1:1 chat, and approved there', async () => {
    const carol = h.user('carol@contoso.com');
    // Frank has chatted with TapDesk (so it can reach his 1:1 chat), but TapDesk holds no token of his.
    const frank = h.user('frank@contoso.com');
    await post(h, botAdded(h, frank, APPROVALS_CHANNEL));
    const exchange = async (who: typeof carol) =>
      post(h, {
        ...message(h, who, ''),
        type: 'invoke',
        name: 'signin/tokenExchange',
        value: { id: 'z', token: await h.sandbox.ssoToken(who.id) },
      });
    await exchange(carol);
    await post(h, message(h, frank, 'help'));
    await post(h, message(h, carol, 'request TAP for alice@contoso.com reason: new phone'));
    const approval = cardOf(h.connector.proactive(APPROVALS_CHANNEL).at(-1)!.activity);
    const data = actionData(approval, 'tap.approve');

    // No token at all: Teams is asked for one, as in a 1:1 chat.
    const bare = await post(h, inConversation(click(h, frank, 'tap.approve', data), APPROVALS_CHANNEL));
    expect(bare.status).toBe(401);
    // Teams tried, but what it gave cannot be exchanged: continue in Frank's 1:1 chat.
    const failed = await post(
      h,
      inConversation(click(h, frank, 'tap.approve', data, { token: 'not-a-jwt' }), APPROVALS_CHANNEL),
    );
    expect(JSON.stringify(failed.body)).toContain('one-tap Approve card in your 1:1 chat');
    const handOff = cardOf(h.connector.proactive(`a:1:${frank.id}`).at(-1)!.activity);
    const trail = await new AuditLog(h.store, () => new Date()).recent(20);
    expect(trail.find((e) => e.type === 'approval.handed_off')?.actor.oid).toBe(frank.id);
    expect(JSON.stringify(handOff)).toContain('Approve the pass for Alice Wong?');
    expect(
      (await sandboxState(h)).passes.filter((p) => p.userPrincipalName === 'alice@contoso.com'),
    ).toHaveLength(0);

    // Erin never got the hand-off, so her 1:1 click is refused even with a good token.
    const erin = h.user('erin@contoso.com');
    const byErin = await post(
      h,
      click(h, erin, 'tap.approve', actionData(handOff, 'tap.approve'), {
        token: await h.sandbox.ssoToken(erin.id),
      }),
    );
    expect(JSON.stringify(byErin.body)).toContain('decided on the card in the approvers');

    const approved = await post(
      h,
      click(h, frank, 'tap.approve', actionData(handOff, 'tap.approve'), {
        token: await h.sandbox.ssoToken(frank.id),
      }),
    );
    expect(JSON.stringify(approved.body)).toContain('Copy it now');
    const passes = (await sandboxState(h)).passes.filter((p) => p.userPrincipalName === 'alice@contoso.com');
    expect(passes.map((p) => p.createdBy)).toEqual([frank.id]);
  });

  it('with BOT_ID set, unsigned requests to /api/messages are rejected', async () => {
    const guarded = await startHarness({
      TAPDESK_MODE: 'entra',
      SANDBOX_URL: '',
      BOT_ID: '11111111-2222-4333-8444-555555555555',
      BOT_PASSWORD: 'not-used-because-the-request-is-rejected-first',
    });
    try {
      const response = await post(guarded, message(guarded, guarded.user('dana@contoso.com'), 'help'));
      expect(response.status).toBe(401);
      expect(guarded.connector.calls).toHaveLength(0);
    } finally {
      await guarded.close();
    }
  });
});
