import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVALS_CHANNEL, botAdded, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { appToken, callApi, requestBody } from '../helpers/request-api.js';
import { sandboxState } from '../helpers/sandbox-admin.js';

// Without Communication Services configured, `by sms` is refused when asked, in chat and from the
// request API, before anything is stored or posted.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    ACS_ENDPOINT: '',
    ACS_SMS_FROM: '',
    REQUEST_API_CLIENTS: '3658e7e7-d7a6-56a7-9fd4-c7c75344a5c2=ServiceNow',
  });
  await post(h, botAdded(h, h.user('dana@contoso.com'), APPROVALS_CHANNEL));
});
afterAll(async () => h?.close());

describe('SMS delivery without Communication Services', () => {
  it('a chat request by sms is refused and nothing reaches the approvers', async () => {
    const before = h.connector.proactive(APPROVALS_CHANNEL).length;
    const sentBefore = h.connector.sent().length;
    await post(
      h,
      message(h, h.user('harry@contoso.com'), 'request TAP for alice@contoso.com by sms reason: x'),
    );
    expect(JSON.stringify(h.connector.sent().slice(sentBefore))).toContain('SMS_NOT_CONFIGURED');
    expect(h.connector.proactive(APPROVALS_CHANNEL).length).toBe(before);
  });

  it('the request API answers 400 naming deliverTo; manager still works', async () => {
    const token = await appToken(h, 'ServiceNow');
    const sms = await callApi(h, 'POST', '/api/requests', {
      token,
      key: 'off-1',
      body: requestBody('alice@contoso.com', { deliverTo: 'sms' }),
    });
    expect(sms.status).toBe(400);
    expect(sms.body).toMatchObject({ error: 'invalid_request', field: 'deliverTo' });
    const manager = await callApi(h, 'POST', '/api/requests', {
      token,
      key: 'off-2',
      body: requestBody('alice@contoso.com', { deliverTo: 'manager' }),
    });
    expect(manager.status).toBe(202);
    expect((await sandboxState(h)).passes).toEqual([]);
  });
});
