import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

// Notices go out proactively through the stored conversation references, driven by the sandbox clock.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // Alice and Carol have talked to the bot before, so it can reach them in their 1:1 chats.
  for (const upn of ['alice@contoso.com', 'carol@contoso.com'])
    await post(h, message(h, h.user(upn), 'hello'));
});
afterAll(async () => h?.close());

const chatOf = (upn: string) => `a:1:${h.user(upn).id}`;
const noticesTo = (upn: string) => h.connector.proactive(chatOf(upn)).map((c) => JSON.stringify(c.activity));

async function until(check: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('notices', () => {
  let requestId: string;

  it('an issued pass: the issuer, Alice and her manager Carol each get exactly one notice, without the pass', async () => {
    const dana = h.user('dana@contoso.com');
    await post(h, message(h, dana, 'issue TAP for alice@contoso.com for 1h'));
    requestId = actionData(cardOf(h.connector.sent().at(-1)!.activity), 'tap.confirm').requestId as string;
    const response = await post(h, click(h, dana, 'tap.confirm', { requestId, verification: 'callback' }));
    const code = /"text":"([^"]{8})"/.exec(
      JSON.stringify(response.body).match(/"fontType":"Monospace"[^}]*|[^{]*"fontType":"Monospace"/)?.[0] ??
        '',
    )?.[1];

    await until(
      () =>
        noticesTo('dana@contoso.com').length >= 1 &&
        noticesTo('alice@contoso.com').length >= 1 &&
        noticesTo('carol@contoso.com').length >= 1,
      'three notices',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // and no duplicates trickle in
    expect(noticesTo('dana@contoso.com')).toHaveLength(1);
    expect(noticesTo('alice@contoso.com')).toHaveLength(1);
    expect(noticesTo('carol@contoso.com')).toHaveLength(1);
    expect(noticesTo('dana@contoso.com')[0]).toContain('tap.revoke');
    expect(noticesTo('alice@contoso.com')[0]).toMatch(/your account by Dana Reyes/);
    expect(noticesTo('carol@contoso.com')[0]).toMatch(/Alice Wong/);
    const all = JSON.stringify(h.connector.proactive());
    if (code) expect(all).not.toContain(code);
    expect(all).toContain('Call-back');
  });

  it('+50 min: the expiring notice with Revoke; the Revoke click deletes the pass; a second click says it is done', async () => {
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 50 });
    await until(() => noticesTo('dana@contoso.com').length >= 2, 'the expiring notice');
    const expiring = h.connector.proactive(chatOf('dana@contoso.com')).at(-1)!.activity;
    expect(JSON.stringify(expiring)).toMatch(/expires/i);
    const { requestId: fromNotice } = actionData(cardOf(expiring), 'tap.revoke');
    expect(fromNotice).toBe(requestId);

    const dana = h.user('dana@contoso.com');
    const revoked = await post(h, click(h, dana, 'tap.revoke', { requestId }));
    expect(JSON.stringify(revoked.body)).toMatch(/Revoked by Dana Reyes/);
    expect(
      (await sandboxState(h)).passes.filter((p) => p.userPrincipalName === 'alice@contoso.com'),
    ).toHaveLength(0);
    const again = await post(h, click(h, dana, 'tap.revoke', { requestId }));
    expect(JSON.stringify(again.body)).toContain('REQUEST_ALREADY_USED');
    // Alice hears that her pass was revoked.
    await until(() => noticesTo('alice@contoso.com').length >= 2, 'the revoked notice to Alice');
    expect(noticesTo('alice@contoso.com')[1]).toMatch(/revoked/i);
  });

  it('+15 min more: no "expired" notice for a pass that was revoked', async () => {
    const before = noticesTo('dana@contoso.com').length;
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 15 });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(noticesTo('dana@contoso.com')).toHaveLength(before);
  });

  it("a pass left alone gets its expired notice at expiry, from TapDesk's record", async () => {
    const dana = h.user('dana@contoso.com');
    await post(h, message(h, dana, 'issue TAP for bob@contoso.com for 1h'));
    const { requestId: bobRequest } = actionData(cardOf(h.connector.sent().at(-1)!.activity), 'tap.confirm');
    await post(h, click(h, dana, 'tap.confirm', { requestId: bobRequest, verification: 'in-person' }));
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 61 });
    await until(
      () => noticesTo('dana@contoso.com').some((n) => /expired/i.test(n) && n.includes('Bob Kim')),
      'the expired notice',
    );
    const expired = noticesTo('dana@contoso.com').filter((n) => /expired/i.test(n) && n.includes('Bob Kim'));
    expect(expired).toHaveLength(1);
    expect(expired[0]).toContain('tap.reissue');
  });

  it('"Issue a new one" on a notice gives the issuer a fresh confirmation card for the same person', async () => {
    const dana = h.user('dana@contoso.com');
    const expired = h.connector
      .proactive(chatOf('dana@contoso.com'))
      .filter((c) => /expired/i.test(JSON.stringify(c.activity)))
      .at(-1)!;
    const { requestId: old } = actionData(cardOf(expired.activity), 'tap.reissue');
    const response = await post(
      h,
      click(h, dana, 'tap.reissue', { requestId: old }, { replyToId: expired.activityId }),
    );
    const text = JSON.stringify(response.body);
    expect(text).toContain('tap.confirm');
    expect(text).toContain('Bob Kim');
    const mallory = await post(h, click(h, h.user('mallory@contoso.com'), 'tap.reissue', { requestId: old }));
    expect(JSON.stringify(mallory.body)).toContain('Only Dana Reyes');
  });
});

describe('notices when Teams throttles', () => {
  it('a 429 with Retry-After delays a notice, never loses it, and it is not sent again before the time given', async () => {
    const dana = h.user('dana@contoso.com');
    const before = noticesTo('dana@contoso.com').length;
    h.connector.throttleProactive(2, 2);
    await post(h, message(h, dana, 'issue TAP for leo@contoso.com'));
    const { requestId } = actionData(cardOf(h.connector.sent().at(-1)!.activity), 'tap.confirm');
    await post(h, click(h, dana, 'tap.confirm', { requestId, verification: 'callback' }));
    await until(() => noticesTo('dana@contoso.com').length > before, 'the throttled notice', 15_000);
    const refusedAt = h.connector.refused
      .filter((r) => r.conversationId === chatOf('dana@contoso.com'))
      .map((r) => r.at);
    expect(refusedAt.length).toBeGreaterThanOrEqual(1);
    const deliveredAt = h.connector.proactive(chatOf('dana@contoso.com')).at(-1)!.at;
    expect(deliveredAt - Math.max(...refusedAt)).toBeGreaterThanOrEqual(2_000);
    expect(noticesTo('dana@contoso.com').filter((n) => n.includes('Leo Martin'))).toHaveLength(1);
  });
});
