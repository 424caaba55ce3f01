// The sandbox's Communication Services SMS API and Teams app install (next-wave contract §5.4, §7.4):
// token checks, validation, per-recipient results, repeatability, the outbox; 201/403/404/409 for installs
// and the activities Teams would send the bot.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { admin, httpsJson, type HttpResult } from '../helpers/sandbox-http.js';

const ACS_SCOPE = 'https://communication.azure.com//.default';
let sb: SandboxHandle;
let bot: Server;
let botUrl: string;
const received: Record<string, unknown>[] = [];

beforeAll(async () => {
  sb = await startSandbox();
  bot = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      received.push(JSON.parse(text) as Record<string, unknown>);
      res.end();
    });
  });
  await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
  botUrl = `http://127.0.0.1:${(bot.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => bot.close(() => resolve()));
  await sb.close();
});

const app = (name: string) => sb.tenant.apps.find((a) => a.displayName.startsWith(name))!;

async function tokenFor(name: string, scope: string): Promise<string> {
  const a = app(name);
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: a.appId,
    client_secret: a.clientSecret,
    scope,
  });
  const result = await httpsJson(
    sb,
    'POST',
    `${sb.authorityHost}/${sb.tenantId}/oauth2/v2.0/token`,
    form.toString(),
    {
      'Content-Type': 'application/x-www-form-urlencoded',
    },
  );
  expect(result.status, result.text).toBe(200);
  return result.body.access_token as string;
}

const recipient = (to: string, id = randomUUID()) => ({
  to,
  repeatabilityRequestId: id,
  repeatabilityFirstSent: new Date().toUTCString(),
});

function sms(
  token: string | undefined,
  body: Record<string, unknown>,
  version = '2021-03-07',
): Promise<HttpResult> {
  return httpsJson(
    sb,
    'POST',
    `${sb.origin}/sms?api-version=${version}`,
    body,
    token ? { Authorization: `Bearer ${token}` } : {},
  );
}

describe('Communication Services SMS', () => {
  it('accepts only an ACS token of an identity with a role on the resource', async () => {
    const body = { from: '+18005550100', smsRecipients: [recipient('+14255550101')], message: 'hi' };
    expect((await sms(undefined, body)).status).toBe(401);
    expect((await sms(await tokenFor('TapDesk', 'https://graph.microsoft.com/.default'), body)).status).toBe(
      401,
    );
    expect((await sms(await tokenFor('ServiceNow', ACS_SCOPE), body)).status).toBe(403);
    const token = await tokenFor('TapDesk', ACS_SCOPE);
    expect((await sms(token, body, '2020-01-01')).status).toBe(400);
    expect((await sms(token, { ...body, from: '+18005550199' })).status).toBe(400);
    expect((await sms(token, { ...body, smsRecipients: [] })).status).toBe(400);
  });

  it('answers each recipient inside a 202, rejects a repeated id, and records only pass hashes', async () => {
    await admin(sb, 'POST', '/reset');
    const token = await tokenFor('TapDesk', ACS_SCOPE);
    const id = randomUUID();
    const first = await sms(token, {
      from: '+18005550100',
      smsRecipients: [recipient('+14255550101', id), recipient('425 555 0102')],
      message: 'no pass here',
    });
    expect(first.status).toBe(202);
    expect(first.body.value).toEqual([
      expect.objectContaining({
        to: '+14255550101',
        successful: true,
        httpStatusCode: 202,
        repeatabilityResult: 'accepted',
      }),
      expect.objectContaining({ to: '425 555 0102', successful: false, httpStatusCode: 400 }),
    ]);
    const again = await sms(token, {
      from: '+18005550100',
      smsRecipients: [recipient('+14255550101', id)],
      message: 'x',
    });
    expect(again.body.value[0]).toMatchObject({ successful: false, repeatabilityResult: 'rejected' });
    const state = (await admin(sb, 'GET', '/state')).body;
    expect(state.outbox).toEqual([
      { channel: 'sms', to: '+14255550101', from: '+18005550100', at: expect.any(String), passes: [] },
    ]);
    expect(JSON.stringify(state)).not.toContain('no pass here');
  });

  it('fails as armed: the whole call, or the recipient inside a 202', async () => {
    const token = await tokenFor('TapDesk', ACS_SCOPE);
    const body = () => ({ from: '+18005550100', smsRecipients: [recipient('+14255550101')], message: 'x' });
    expect((await admin(sb, 'POST', '/faults/sms', { status: 503 })).status).toBe(200);
    expect((await sms(token, body())).status).toBe(503);
    await admin(sb, 'POST', '/faults/sms', { recipientStatus: 500 });
    const refused = await sms(token, body());
    expect(refused.status).toBe(202);
    expect(refused.body.value[0]).toMatchObject({ successful: false, httpStatusCode: 500 });
    expect((await sms(token, body())).body.value[0]).toMatchObject({ successful: true });
    expect((await admin(sb, 'POST', '/faults/sms', { status: 200 })).status).toBe(400);
  });
});

describe('Teams app install for a user', () => {
  const catalogId = () => sb.tenant.teamsAppCatalog![0]!.id;
  const install = (token: string, user: string, id = catalogId()) =>
    httpsJson(
      sb,
      'POST',
      `${sb.graphBaseUrl}/users/${user}/teamwork/installedApps`,
      {
        'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${id}`,
      },
      { Authorization: `Bearer ${token}` },
    );

  it('201 once with TapDesk’s self-install permission, then 409; the bot hears installationUpdate and conversationUpdate', async () => {
    await admin(sb, 'POST', '/teams/bot', {
      endpoint: `${botUrl}/api/messages`,
      serviceUrl: botUrl,
    });
    const token = await tokenFor('TapDesk', 'https://graph.microsoft.com/.default');
    const olga = sb.tenant.users.find((u) => u.userPrincipalName === 'olga@contoso.com')!;
    const created = await install(token, olga.id);
    expect(created.status).toBe(201);
    expect(created.text).toBe('');
    expect((await install(token, olga.userPrincipalName)).status).toBe(409);
    await expect.poll(() => received.length).toBe(2);
    const chatId = `19:${olga.id}_${app('TapDesk').appId}@unq.gbl.spaces`;
    expect(received.map((a) => [a.type, a.action ?? null])).toEqual([
      ['installationUpdate', 'add'],
      ['conversationUpdate', null],
    ]);
    expect(received[1]).toMatchObject({
      serviceUrl: botUrl,
      conversation: { id: chatId, conversationType: 'personal', tenantId: sb.tenantId },
      from: { aadObjectId: olga.id },
      membersAdded: [{ id: '28:tapdesk' }],
    });
    const listed = await httpsJson(
      sb,
      'GET',
      `${sb.graphBaseUrl}/users/${olga.id}/teamwork/installedApps?$filter=teamsApp/id eq '${catalogId()}'`,
      undefined,
      { Authorization: `Bearer ${token}` },
    );
    expect(listed.body.value).toHaveLength(1);
    const chat = await httpsJson(
      sb,
      'GET',
      `${sb.graphBaseUrl}/users/${olga.id}/teamwork/installedApps/${listed.body.value[0].id}/chat`,
      undefined,
      { Authorization: `Bearer ${token}` },
    );
    expect(chat.body).toMatchObject({ id: chatId });
  });

  it('403 without an install permission, 404 for an app not in the catalog', async () => {
    const token = await tokenFor('TapDesk', 'https://graph.microsoft.com/.default');
    const noPermission = await tokenFor('ServiceNow', 'https://graph.microsoft.com/.default');
    const leo = sb.tenant.users.find((u) => u.userPrincipalName === 'leo@contoso.com')!;
    expect((await install(noPermission, leo.id)).status).toBe(403);
    expect((await install(token, leo.id, randomUUID())).status).toBe(404);
  });
});
