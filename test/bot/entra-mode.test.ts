import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
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
    await post(h, message(h, erin, 'issue TAP for frank@contoso.com for 1h'));
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
    expect(passes.map((p) => p.userPrincipalName)).toEqual(['frank@contoso.com']);
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
