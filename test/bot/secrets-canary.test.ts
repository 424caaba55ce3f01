import { createHash } from 'node:crypto';
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
import { appToken, callApi, fixtureApp, requestBody } from '../helpers/request-api.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { enrollDevice, sandboxAdmin } from '../helpers/sandbox-admin.js';

// A distinctive pass the sandbox hands out next, so any leak is findable by plain text search.
const CANARY = 'Qz7!kP2w';
// The same for a pass approved from the request API.
const API_CANARY = 'Rk4#vN9s';
// Passes delivered by SMS and to a manager's Reveal card.
const SMS_CANARY = 'Ts8%mQ3z';
const MANAGER_CANARY = 'Wd2&hL6c';
const JWT = /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/;

let h: Harness;
beforeAll(async () => {
  // ServiceNow may call the request API (its canary below); loadConfig reads the fixture's id.
  h = await startHarness({
    REQUEST_API_CLIENTS: '3658e7e7-d7a6-56a7-9fd4-c7c75344a5c2=ServiceNow',
    // Both Entra custom extensions, whose callouts the sandbox's Entra sends to this bot.
    ENTRA_EXTENSION_CALLERS: 'access-package,lifecycle-task',
  });
  h.sandbox.setBotOrigin(`http://127.0.0.1:${h.bot.port}`);
});
afterAll(async () => h?.close());

describe('the pass and tokens never leak', () => {
  it('the canary pass appears only in the invoke response to the clicker', async () => {
    await sandboxAdmin(h, 'POST', '/next-pass', { value: CANARY });
    const dana = h.user('dana@contoso.com');
    await post(h, message(h, dana, 'issue TAP for alice@contoso.com for 4 hours'));
    const sent = h.connector.sent()[0]!;
    const { requestId } = actionData(cardOf(sent.activity), 'tap.confirm');
    // As in Teams, the click names the message it was made on.
    const response = await post(
      h,
      click(
        h,
        dana,
        'tap.confirm',
        { requestId, verification: 'video-photo-id' },
        { replyToId: sent.assignedId },
      ),
    );

    expect(JSON.stringify(response.body)).toContain(CANARY);
    expect(h.connector.updates()).toHaveLength(1);
    expect(h.connector.allText()).not.toContain(CANARY);
    expect(h.logLines.some((line) => line.includes('"event":"issue.prepared"'))).toBe(true);
    expect(h.logLines.join('\n')).not.toContain(CANARY);
    expect(h.storageContains(CANARY)).toBe(false);
    // The scan can find things: the request row's target is in the file.
    expect(h.storageContains('alice@contoso.com')).toBe(true);
    expect(h.logLines.some((line) => line.includes('"event":"tap.issued"'))).toBe(true);
    // The SOC's security events are log lines too: the event is there, and without the pass.
    const security = h.logLines.filter((line) => line.includes('"channel":"security"'));
    expect(security.some((line) => line.includes('"eventType":"tap.issued"'))).toBe(true);
    expect(security.join('\n')).not.toContain(CANARY);
  });

  it("an onboarding: the canary only in the clicker's answer, the SOC sees the device part, and the enrolled notice carries no pass", async () => {
    const ONBOARD_CANARY = 'Wm4#tR8x';
    await sandboxAdmin(h, 'POST', '/next-pass', { value: ONBOARD_CANARY });
    const owen = h.user('owen@contoso.com');
    const before = h.connector.sent().length;
    await post(h, message(h, owen, 'onboard carol@contoso.com on PF4KX1A3 tag IT'));
    const sent = h.connector.sent()[before]!;
    const data = actionData(cardOf(sent.activity), 'onboard.confirm');
    const response = await post(
      h,
      click(
        h,
        owen,
        'onboard.confirm',
        { ...data, verification: 'in-person' },
        { replyToId: sent.assignedId },
      ),
    );
    expect(JSON.stringify(response.body)).toContain(ONBOARD_CANARY);
    await enrollDevice(h, 'PF4KX1A3');
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 6 });
    const end = Date.now() + 10_000;
    while (!h.logLines.some((l) => l.includes('"eventType":"onboarding.enrolled"')) && Date.now() < end)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const security = h.logLines.filter((line) => line.includes('"channel":"security"'));
    expect(security.some((line) => line.includes('"eventType":"onboarding.device_updated"'))).toBe(true);
    expect(security.some((line) => line.includes('"eventType":"onboarding.enrolled"'))).toBe(true);
    expect(h.connector.allText()).not.toContain(ONBOARD_CANARY);
    expect(h.logLines.join('\n')).not.toContain(ONBOARD_CANARY);
    expect(h.storageContains(ONBOARD_CANARY)).toBe(false);
  });

  it('no log line carries a token, even when Teams puts one on the click', async () => {
    const dana = h.user('dana@contoso.com');
    const token = await h.sandbox.ssoToken(dana.id);
    const before = h.connector.sent().length;
    await post(h, message(h, dana, 'issue TAP for bob@contoso.com'));
    const { requestId } = actionData(cardOf(h.connector.sent()[before]!.activity), 'tap.confirm');
    await post(h, click(h, dana, 'tap.confirm', { requestId, verification: 'callback' }, { token }));
    const logs = h.logLines.join('\n');
    expect(logs).not.toContain(token);
    expect(logs).not.toMatch(JWT);
    expect(h.storageContains(token)).toBe(false);
    expect(h.storageContains('eyJ')).toBe(false);
  });

  it('a pass approved from the request API: only in the approver’s invoke response, never in an API answer, a log, the store or a token', async () => {
    expect(fixtureApp(h, 'ServiceNow').appId).toBe('3658e7e7-d7a6-56a7-9fd4-c7c75344a5c2');
    const dana = h.user('dana@contoso.com');
    await post(h, botAdded(h, dana, APPROVALS_CHANNEL));
    await sandboxAdmin(h, 'POST', '/next-pass', { value: API_CANARY });
    const token = await appToken(h, 'ServiceNow');
    const api: string[] = [];
    const submitted = await callApi(h, 'POST', '/api/requests', {
      token,
      key: 'canary-1',
      body: requestBody('bob@contoso.com'),
    });
    api.push(submitted.text);
    const card = cardOf(h.connector.proactive(APPROVALS_CHANNEL).at(-1)!.activity);
    const { requestId } = actionData(card, 'tap.approve');
    const inChannel = (activity: ReturnType<typeof click>) =>
      inConversation(activity, `${APPROVALS_CHANNEL};messageid=1763776000000`);
    // The first Approve checks Bob in Entra; the second creates the pass.
    await post(h, inChannel(click(h, dana, 'tap.approve', { requestId })));
    const approved = await post(h, inChannel(click(h, dana, 'tap.approve', { requestId })));
    expect(JSON.stringify(approved.body)).toContain(API_CANARY);

    const status = await callApi(h, 'GET', `/api/requests/${String(requestId)}`, { token });
    expect(status.body.status).toBe('issued');
    api.push(status.text);
    // A replay of the request answers from the store too.
    api.push(
      (
        await callApi(h, 'POST', '/api/requests', {
          token,
          key: 'canary-1',
          body: requestBody('bob@contoso.com'),
        })
      ).text,
    );
    expect(api.join('\n')).not.toContain(API_CANARY);
    expect(h.connector.allText()).not.toContain(API_CANARY);
    expect(h.logLines.join('\n')).not.toContain(API_CANARY);
    expect(h.storageContains(API_CANARY)).toBe(false);
    // The caller's token is neither logged nor stored.
    expect(h.logLines.join('\n')).not.toContain(token);
    expect(h.storageContains(token.split('.')[2]!)).toBe(false);
    expect(h.logLines.some((line) => line.includes('"event":"requests.submitted"'))).toBe(true);
  });

  it('a pass approved from an access package callout: only in the approver’s answer, never in the callout answer, the resume, a log or the store', async () => {
    const EXTENSION_CANARY = 'Hv6%bJ3q';
    const dana = h.user('dana@contoso.com');
    await post(h, botAdded(h, dana, APPROVALS_CHANNEL));
    await sandboxAdmin(h, 'POST', '/next-pass', { value: EXTENSION_CANARY });
    const before = h.connector.proactive(APPROVALS_CHANNEL).length;
    const sent = await sandboxAdmin(h, 'POST', '/entra/access-package-request', {
      requestor: 'carol@contoso.com',
      target: 'leo@contoso.com',
    });
    const card = cardOf(h.connector.proactive(APPROVALS_CHANNEL)[before]!.activity);
    const { requestId } = actionData(card, 'tap.approve');
    const inChannel = (activity: ReturnType<typeof click>) =>
      inConversation(activity, `${APPROVALS_CHANNEL};messageid=1763776000000`);
    await post(h, inChannel(click(h, dana, 'tap.approve', { requestId })));
    const approved = await post(h, inChannel(click(h, dana, 'tap.approve', { requestId })));
    expect(JSON.stringify(approved.body), JSON.stringify(approved.body).slice(0, 1500)).toContain(
      EXTENSION_CANARY,
    );
    const state = (await sandboxAdmin(h, 'GET', '/state')) as { resumes: { state: string }[] };
    expect(state.resumes.at(-1)?.state).toBe('approved');
    expect(JSON.stringify(sent)).not.toContain(EXTENSION_CANARY);
    expect(JSON.stringify(state.resumes)).not.toContain(EXTENSION_CANARY);
    expect(h.connector.allText()).not.toContain(EXTENSION_CANARY);
    expect(h.logLines.join('\n')).not.toContain(EXTENSION_CANARY);
    expect(h.logLines.join('\n')).not.toMatch(JWT);
    expect(h.storageContains(EXTENSION_CANARY)).toBe(false);
    expect(h.logLines.some((line) => line.includes('"event":"extensions.resumed"'))).toBe(true);
  });

  it("a pass delivered by SMS or to a manager is only in the SMS and on the manager's Reveal answer", async () => {
    // The approvers' channel is known from the test above; the sandbox tells this bot about installs.
    await sandboxAdmin(h, 'POST', '/teams/bot', { endpoint: h.bot.url, serviceUrl: h.connector.url });
    // Paul holds a directory role: a Privileged Authentication Administrator approves.
    const erin = h.user('erin@contoso.com');
    const inChannel = (activity: ReturnType<typeof click>) =>
      inConversation(activity, `${APPROVALS_CHANNEL};messageid=1763776000000`);
    const token = await appToken(h, 'ServiceNow');
    const api: string[] = [];
    const approveApi = async (key: string, body: Record<string, unknown>) => {
      const submitted = await callApi(h, 'POST', '/api/requests', { token, key, body });
      api.push(submitted.text);
      const card = cardOf(h.connector.proactive(APPROVALS_CHANNEL).at(-1)!.activity);
      const { requestId } = actionData(card, 'tap.approve');
      // The first Approve reads the person (and their number or manager); the second creates the pass.
      await post(h, inChannel(click(h, erin, 'tap.approve', { requestId })));
      const approved = await post(h, inChannel(click(h, erin, 'tap.approve', { requestId })));
      const status = await callApi(h, 'GET', `/api/requests/${String(requestId)}`, { token });
      expect(status.body).toMatchObject({
        status: 'issued',
        delivery: { channel: body.deliverTo, outcome: 'delivered' },
      });
      api.push(status.text);
      return { requestId, approved: JSON.stringify(approved.body) };
    };

    await sandboxAdmin(h, 'POST', '/next-pass', { value: SMS_CANARY });
    const sms = await approveApi('canary-sms', requestBody('paul@contoso.com', { deliverTo: 'sms' }));
    expect(sms.approved).not.toContain(SMS_CANARY);
    const outbox = (
      (await sandboxAdmin(h, 'GET', '/state')) as { outbox: { to: string; passes: string[] }[] }
    ).outbox;
    expect(outbox).toEqual([
      expect.objectContaining({
        to: '+14255550103',
        passes: [createHash('sha256').update(SMS_CANARY).digest('hex')],
      }),
    ]);

    await sandboxAdmin(h, 'POST', '/next-pass', { value: MANAGER_CANARY });
    const manager = await approveApi(
      'canary-manager',
      requestBody('paul@contoso.com', { deliverTo: 'manager' }),
    );
    expect(manager.approved).not.toContain(MANAGER_CANARY);
    // Paul's manager is Frank, whom TapDesk never talked to: the install gave it his 1:1 chat.
    const frank = h.user('frank@contoso.com');
    const reveal = await post(
      h,
      click(
        h,
        frank,
        'tap.reveal',
        { requestId: manager.requestId },
        { conversationId: `19:${frank.id}_${h.sandbox.app.appId}@unq.gbl.spaces` },
      ),
    );
    expect(JSON.stringify(reveal.body)).toContain(MANAGER_CANARY);

    for (const canary of [SMS_CANARY, MANAGER_CANARY]) {
      expect(api.join('\n')).not.toContain(canary);
      expect(h.connector.allText()).not.toContain(canary);
      expect(h.logLines.join('\n')).not.toContain(canary);
      expect(h.storageContains(canary)).toBe(false);
    }
  });
});
