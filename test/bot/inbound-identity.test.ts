import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxState } from '../helpers/sandbox-admin.js';

// Who an activity is from is only as good as two checks: its tenant is TapDesk's, and the SSO
// assertion used for OBO names the same person as from.aadObjectId.
let h: Harness;
let entra: Harness;
beforeAll(async () => {
  [h, entra] = await Promise.all([
    startHarness(),
    startHarness({ TAPDESK_MODE: 'entra', SANDBOX_URL: '', TAPDESK_ALLOW_UNAUTHENTICATED: 'loopback-only' }),
  ]);
});
afterAll(async () => Promise.all([h?.close(), entra?.close()]));

const OTHER_TENANT = '0badc0de-0000-4000-8000-000000000000';
const events = (x: Harness, event: string) =>
  x.logLines.map((l) => JSON.parse(l) as { event?: string; claim?: string }).filter((l) => l.event === event);
const inTenant = <T extends { conversation: object; channelData: object }>(a: T, tenant?: string): T => ({
  ...a,
  conversation: { ...a.conversation, tenantId: tenant },
  channelData: { ...a.channelData, tenant: tenant ? { id: tenant } : undefined },
});
/** A readable but unsigned JWT: enough for the claim comparison, which must refuse it before OBO. */
const unsignedJwt = (claims: Record<string, unknown>) =>
  ['{"alg":"none"}', JSON.stringify(claims), ''].map((p) => Buffer.from(p).toString('base64url')).join('.');

/** Dana's confirm card for a pass for Alice: a click on it would issue. */
async function pendingConfirm(x: Harness, upn = 'dana@contoso.com') {
  const before = x.connector.sent().length;
  await post(x, message(x, x.user(upn), 'issue TAP for alice@contoso.com for 1h'));
  return actionData(cardOf(x.connector.sent()[before]!.activity), 'tap.confirm');
}

describe('the tenant gate', () => {
  it('a message from another tenant, or from none, runs nothing and gets no reply', async () => {
    const dana = h.user('dana@contoso.com');
    const calls = h.connector.calls.length;
    const graph = h.graphCalls.length;
    for (const tenant of [OTHER_TENANT, undefined]) {
      const response = await post(h, inTenant(message(h, dana, 'issue TAP for alice@contoso.com'), tenant));
      expect(response.status).toBe(200);
    }
    // The two places disagreeing is refused too.
    const mixed = message(h, dana, 'help');
    await post(h, { ...mixed, conversation: { ...mixed.conversation, tenantId: OTHER_TENANT } });
    expect(h.connector.calls).toHaveLength(calls);
    expect(h.graphCalls).toHaveLength(graph);
    expect(events(h, 'tenant.refused')).toHaveLength(3);
  });

  it('a click from another tenant gets an error invoke response and issues nothing', async () => {
    const data = await pendingConfirm(h);
    const graph = h.graphCalls.length;
    const dana = h.user('dana@contoso.com');
    const answer = await post(
      h,
      inTenant(click(h, dana, 'tap.confirm', { ...data, verification: 'callback' }), OTHER_TENANT),
    );
    expect(answer.status).toBe(403);
    expect((answer.body as { type: string }).type).toBe('application/vnd.microsoft.error');
    expect(h.graphCalls).toHaveLength(graph);
    expect((await sandboxState(h)).passes).toHaveLength(0);
  });
});

describe('the SSO assertion must name the clicker', () => {
  it('sandbox: a click carrying another user’s token is refused with a login request', async () => {
    const data = await pendingConfirm(h);
    const graph = h.graphCalls.length;
    const erinToken = await h.sandbox.ssoToken(h.user('erin@contoso.com').id);
    const dana = h.user('dana@contoso.com');
    const answer = await post(
      h,
      click(h, dana, 'tap.confirm', { ...data, verification: 'callback' }, { token: erinToken }),
    );
    expect(answer.status).toBe(401);
    expect((answer.body as { type: string }).type).toBe('application/vnd.microsoft.activity.loginRequest');
    expect(h.graphCalls).toHaveLength(graph);
    expect((await sandboxState(h)).passes).toHaveLength(0);
    expect(events(h, 'auth.subject_mismatch').map((e) => e.claim)).toEqual(['oid']);
    expect(h.logLines.join('\n')).not.toContain(erinToken.split('.')[1]!);
  });

  it('entra: a token exchange with someone else’s token is refused (412) and nothing is kept', async () => {
    const frank = entra.user('frank@contoso.com');
    const danaToken = await entra.sandbox.ssoToken(entra.user('dana@contoso.com').id);
    const exchange = await post(entra, {
      ...message(entra, frank, ''),
      type: 'invoke',
      name: 'signin/tokenExchange',
      value: { id: 'x', connectionName: 'graph', token: danaToken },
    });
    expect(exchange.status).toBe(412);
    // Frank still has no token of his own: his next command asks Teams for one.
    const before = entra.connector.sent().length;
    await post(entra, message(entra, frank, 'issue TAP for alice@contoso.com'));
    const reply = entra.connector.sent()[before]!.activity as { attachments: { contentType: string }[] };
    expect(reply.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.oauth');
    expect(events(entra, 'auth.subject_mismatch').map((e) => e.claim)).toEqual(['oid']);
  });

  it('entra: a click token for the right person in another tenant is refused before OBO', async () => {
    const erin = entra.user('erin@contoso.com');
    await post(entra, {
      ...message(entra, erin, ''),
      type: 'invoke',
      name: 'signin/tokenExchange',
      value: { id: 'y', token: await entra.sandbox.ssoToken(erin.id) },
    });
    const data = await pendingConfirm(entra, 'erin@contoso.com');
    const graph = entra.graphCalls.length;
    const forged = unsignedJwt({ oid: erin.id, tid: OTHER_TENANT });
    const answer = await post(
      entra,
      click(entra, erin, 'tap.confirm', { ...data, verification: 'callback' }, { token: forged }),
    );
    expect(answer.status).toBe(401);
    expect(entra.graphCalls).toHaveLength(graph);
    expect((await sandboxState(entra)).passes).toHaveLength(0);
    expect(events(entra, 'auth.subject_mismatch').map((e) => e.claim)).toEqual(['oid', 'tid']);
  });
});
