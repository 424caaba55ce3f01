import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../src/audit/log.js';
import { loadTenantFixture } from '../../sandbox/fixture.js';
import {
  actionData,
  APPROVALS_CHANNEL,
  botAdded,
  cardOf,
  click,
  inConversation,
  post,
} from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { findCode } from '../helpers/passes.js';
import { appToken, appTokenLasting, callApi, fixtureApp, requestBody } from '../helpers/request-api.js';
import { sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

// The request API through real HTTP: tokens from the sandbox token service (client credentials),
// the approval card in the fixture's "TAP approvals" channel, approvers clicking over /api/messages.

// Two more registered clients holding TapDesk.Request: one allowed (TOPdesk), one not (Rogue ITSM).
const TOPDESK = { appId: '5b0c3d52-7d8e-4f6a-9b1c-2d3e4f5a6b7c', secret: 'sandbox-only-topdesk-secret' };
const ROGUE = { appId: '9e8d7c6b-5a49-4382-9160-f5e4d3c2b1a0', secret: 'sandbox-only-rogue-secret' };
const fixture = loadTenantFixture();
const servicenowId = fixture.apps.find((a) => a.displayName.startsWith('ServiceNow'))!.appId;
const scriptId = fixture.apps.find((a) => a.displayName.startsWith('Unapproved script'))!.appId;

let h: Harness;
beforeAll(async () => {
  h = await startHarness(
    {
      // The unapproved script is allowed here, so its refusal can only come from the missing role.
      REQUEST_API_CLIENTS: `${servicenowId}=ServiceNow (sandbox),${scriptId}=Script,${TOPDESK.appId}=TOPdesk`,
    },
    {
      fixture: (f) => {
        const client = (appId: string, displayName: string, clientSecret: string) => ({
          appId,
          displayName,
          clientSecret,
          assignedAppRoles: ['TapDesk.Request'],
        });
        f.apps.push(client(TOPDESK.appId, 'TOPdesk (test)', TOPDESK.secret));
        f.apps.push(client(ROGUE.appId, 'Rogue ITSM (test)', ROGUE.secret));
      },
    },
  );
  // A Teams admin added TapDesk to the approvers' channel.
  expect((await post(h, botAdded(h, h.user('dana@contoso.com'), APPROVALS_CHANNEL))).status).toBe(200);
});
afterAll(async () => h?.close());

const text = (value: unknown) => JSON.stringify(value);
const channelPosts = () => h.connector.proactive(APPROVALS_CHANNEL);
const latestChannelCard = () =>
  text(
    cardOf(
      h.connector
        .updates()
        .filter((c) => c.conversationId === APPROVALS_CHANNEL)
        .at(-1)!.activity,
    ),
  );
const passesFor = async (upn: string) =>
  (await sandboxState(h)).passes.filter((p) => p.userPrincipalName === upn);
let keys = 0;
const newKey = () => `test-key-${++keys}-${Date.now()}`;

/** Posts a request as ServiceNow; returns the answer and the approval card it posted (if any). */
async function ask(user: string, extra: Record<string, unknown> = {}, token?: string) {
  const before = channelPosts().length;
  const key = newKey();
  const body = requestBody(user, extra);
  const answer = await callApi(h, 'POST', '/api/requests', {
    token: token ?? (await appToken(h, 'ServiceNow')),
    key,
    body,
  });
  const posted = channelPosts().slice(before);
  return { answer, key, body, card: posted[0] ? cardOf(posted[0].activity) : undefined, posted, before };
}

function decide(upn: string, verb: 'tap.approve' | 'tap.reject', data: Record<string, unknown>) {
  return post(
    h,
    inConversation(click(h, h.user(upn), verb, data), `${APPROVALS_CHANNEL};messageid=1763776000000`),
  );
}

describe('who may call', () => {
  it('401 with a WWW-Authenticate challenge: no token, a Graph token, an expired one, a forged signature', async () => {
    const before = channelPosts().length;
    const body = requestBody('alice@contoso.com');
    const none = await callApi(h, 'POST', '/api/requests', { key: newKey(), body });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="TapDesk"');

    const graphToken = await appToken(h, 'ServiceNow', 'https://graph.microsoft.com/.default');
    const wrongAudience = await callApi(h, 'POST', '/api/requests', {
      token: graphToken,
      key: newKey(),
      body,
    });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(wrongAudience.body.error_description).toBe('wrong audience');

    const expired = await appTokenLasting(h, 'ServiceNow', -600);
    const late = await callApi(h, 'POST', '/api/requests', { token: expired, key: newKey(), body });
    expect(late.status).toBe(401);
    expect(late.body.error_description).toBe('expired');

    // The same claims with the signature of another token: the tenant's key does not verify it.
    const [head, claims] = (await appToken(h, 'ServiceNow')).split('.');
    const other = (await appToken(h, 'TOPdesk')).split('.')[2];
    const forged = await callApi(h, 'POST', '/api/requests', {
      token: `${head}.${claims}.${other}`,
      key: newKey(),
      body,
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error_description).toBe('bad signature');

    // A token is checked on GET too.
    expect((await callApi(h, 'GET', `/api/requests/${crypto.randomUUID()}`)).status).toBe(401);
    expect(channelPosts().length).toBe(before);
  });

  it('403 insufficient_scope: the unapproved script (no TapDesk.Request role) and an app not on the allow-list', async () => {
    const before = channelPosts().length;
    const body = requestBody('alice@contoso.com');
    const script = await callApi(h, 'POST', '/api/requests', {
      token: await appToken(h, 'Unapproved script'),
      key: newKey(),
      body,
    });
    expect(script.status).toBe(403);
    expect(script.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(script.body.error_description).toBe('missing app role TapDesk.Request');

    const rogue = await callApi(h, 'POST', '/api/requests', {
      token: await appToken(h, 'Rogue ITSM'),
      key: newKey(),
      body,
    });
    expect(rogue.status).toBe(403);
    expect(rogue.body.error_description).toBe('client not in REQUEST_API_CLIENTS');
    expect(channelPosts().length).toBe(before);
    const logs = h.logLines.filter((l) => l.includes('"event":"requests.refused"'));
    expect(logs.length).toBeGreaterThanOrEqual(2);
  });
});

describe('what a request must look like', () => {
  it('400 names the field; 413 for an oversized body; nothing is posted', async () => {
    const token = await appToken(h, 'ServiceNow');
    const before = channelPosts().length;
    const bad = async (body: unknown, key = newKey()) =>
      callApi(h, 'POST', '/api/requests', { token, key, body });

    // An empty key sends no Idempotency-Key header.
    const noKey = await bad(requestBody('alice@contoso.com'), '');
    expect(noKey.status).toBe(400);
    expect(noKey.body.field).toBe('Idempotency-Key');
    // A channel TapDesk does not have (a destination is never the caller's to name).
    const email = await bad(requestBody('alice@contoso.com', { deliverTo: 'email' }));
    expect(email.status).toBe(400);
    expect(email.body).toMatchObject({ error: 'invalid_request', field: 'deliverTo' });
    expect(email.body.message).toContain("'approver', 'manager' or 'sms'");
    expect((await bad(requestBody('Alice Wong'))).body.field).toBe('user');
    expect(
      (await bad(requestBody('alice@contoso.com', { ticket: { system: 'ServiceNow' } }))).body.field,
    ).toBe('ticket.number');
    expect((await bad(requestBody('alice@contoso.com', { lifetimeMinutes: '2h' }))).body.field).toBe(
      'lifetimeMinutes',
    );
    expect((await bad(requestBody('alice@contoso.com', { pass: 'x' }))).body.field).toBe('pass');
    const past = await bad(requestBody('alice@contoso.com', { startDateTime: '2020-01-01T00:00:00Z' }));
    expect(past.status).toBe(400);
    expect(past.body.field).toBe('startDateTime');
    expect((await bad('not json')).status).toBe(400);

    const huge = await bad(requestBody('alice@contoso.com', { reason: 'x'.repeat(20_000) }));
    expect(huge.status).toBe(413);
    expect(channelPosts().length).toBe(before);
  });
});

describe('a request becomes an approval', () => {
  it('202 awaiting; the card names the system and ticket; a retry with the same key returns the same request and posts no second card', async () => {
    const { answer, key, body, card, posted, before } = await ask('alice@contoso.com', {
      lifetimeMinutes: 120,
    });
    expect(answer.status, answer.text).toBe(202);
    expect(answer.body).toEqual({ id: expect.any(String), status: 'awaiting' });
    expect(answer.headers.get('location')).toBe(`/api/requests/${answer.body.id}`);
    expect(posted).toHaveLength(1);
    const shown = text(card);
    expect(shown).toContain('ServiceNow (sandbox) (another system, through the request API)');
    expect(shown).toContain('ServiceNow INC0012345');
    expect(shown).toContain('alice@contoso.com (not yet checked in Entra)');
    expect(shown).toContain('Lost phone, needs to re-register MFA');

    const token = await appToken(h, 'ServiceNow');
    const retry = await callApi(h, 'POST', '/api/requests', { token, key, body });
    expect(retry.status).toBe(202);
    expect(retry.body.id).toBe(answer.body.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    // Field order does not make another body.
    const { deliverTo, ...rest } = body;
    const reordered = { deliverTo, ...rest };
    expect((await callApi(h, 'POST', '/api/requests', { token, key, body: reordered })).body.id).toBe(
      answer.body.id,
    );
    const changed = await callApi(h, 'POST', '/api/requests', {
      token,
      key,
      body: { ...body, user: 'bob@contoso.com' },
    });
    expect(changed.status).toBe(422);
    expect(changed.body).toMatchObject({ error: 'idempotency_key_reused', field: 'Idempotency-Key' });
    expect(channelPosts().length).toBe(before + 1);

    // Another allowed system neither sees it nor collides with its key.
    const topdesk = await appToken(h, 'TOPdesk');
    expect((await callApi(h, 'GET', `/api/requests/${answer.body.id}`, { token: topdesk })).status).toBe(404);
    const mine = await callApi(h, 'GET', `/api/requests/${answer.body.id}`, { token });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({
      status: 'awaiting',
      user: 'alice@contoso.com',
      ticket: { system: 'ServiceNow', number: 'INC0012345' },
      decidedBy: null,
      pass: null,
    });
  });

  it('Dana checks Alice in Entra with her own sign-in, then approves: issued, and GET shows who, when and the expiry, never the pass', async () => {
    const { answer, card } = await ask('alice@contoso.com', { lifetimeMinutes: 120, isUsableOnce: true });
    const requestId = String(actionData(card, 'tap.approve').requestId);
    expect(requestId).toBe(answer.body.id);

    const check = await decide('dana@contoso.com', 'tap.approve', { requestId });
    expect(text(check.body)).toContain('API_REQUEST_CHECKED');
    expect(await passesFor('alice@contoso.com')).toHaveLength(0);
    const checked = latestChannelCard();
    expect(checked).toContain('Alice Wong (alice@contoso.com)');
    expect(checked).toContain('Checked in Entra by Dana Reyes');
    expect(checked).toContain('Carol Diaz');

    const approved = await decide('dana@contoso.com', 'tap.approve', { requestId });
    const [pass] = await passesFor('alice@contoso.com');
    expect(pass?.createdBy).toBe(h.user('dana@contoso.com').id);
    expect(pass?.lifetimeInMinutes).toBe(120);
    const code = findCode(text(approved.body), pass!.passSha256);
    expect(latestChannelCard()).toContain('Approved by Dana Reyes');

    const status = await callApi(h, 'GET', `/api/requests/${requestId}`, {
      token: await appToken(h, 'ServiceNow'),
    });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      id: requestId,
      status: 'issued',
      user: 'alice@contoso.com',
      decidedBy: { id: h.user('dana@contoso.com').id, displayName: 'Dana Reyes' },
      decidedAt: expect.any(String),
      pass: { expiresAt: expect.any(String), isUsableOnce: true },
    });
    expect(Date.parse(status.body.pass.expiresAt) - Date.parse(status.body.decidedAt)).toBeGreaterThan(
      115 * 60_000,
    );
    expect(status.text).not.toContain(code);
    expect(h.connector.allText()).not.toContain(code);
    expect(h.logLines.join('\n')).not.toContain(code);
    expect(h.storageContains(code)).toBe(false);

    // The trail says where it came from: the system asked, Dana checked and approved.
    const trail = (await new AuditLog(h.store, () => new Date()).recent(50)).filter(
      (e) => e.requestId === requestId,
    );
    const requested = trail.find((e) => e.type === 'approval.requested')!;
    expect(requested).toMatchObject({ source: 'api', ticket: 'ServiceNow INC0012345' });
    expect(requested.actor).toEqual({ oid: servicenowId, name: 'ServiceNow (sandbox)' });
    expect(trail.map((e) => e.type)).toEqual(
      expect.arrayContaining(['approval.checked', 'approval.approved', 'tap.issued']),
    );
    const security = h.logLines
      .filter((l) => l.includes('"channel":"security"') && l.includes(requestId))
      .map((l) => JSON.parse(l) as unknown);
    expect(security.length).toBeGreaterThanOrEqual(4);
    for (const line of security) expect(text(line)).toContain('"source":"api"');
  });

  it('a privileged person: the check finds Frank’s role, Dana (Authentication Administrator) cannot approve, Erin can', async () => {
    const { card } = await ask('frank@contoso.com');
    const { requestId } = actionData(card, 'tap.approve');
    const check = await decide('dana@contoso.com', 'tap.approve', { requestId });
    expect(text(check.body)).toContain('API_REQUEST_CHECKED');
    expect(text(check.body)).toContain('Global Administrator');
    expect(latestChannelCard()).toContain(
      'only a Privileged Authentication Administrator or Global Administrator can approve',
    );
    const byDana = await decide('dana@contoso.com', 'tap.approve', { requestId });
    expect(text(byDana.body)).toContain('APPROVER_NOT_PRIVILEGED');
    expect(await passesFor('frank@contoso.com')).toHaveLength(0);

    const byErin = await decide('erin@contoso.com', 'tap.approve', { requestId });
    expect(byErin.status).toBe(200);
    const [pass] = await passesFor('frank@contoso.com');
    expect(pass?.createdBy).toBe(h.user('erin@contoso.com').id);
    const status = await callApi(h, 'GET', `/api/requests/${requestId}`, {
      token: await appToken(h, 'ServiceNow'),
    });
    expect(status.body).toMatchObject({ status: 'issued', decidedBy: { displayName: 'Erin Lee' } });
    expect(status.text).not.toContain(findCode(text(byErin.body), pass!.passSha256));
  });

  it('a rejected request: GET says who rejected, when and why; nothing is issued', async () => {
    const { card } = await ask('bob@contoso.com');
    const { requestId } = actionData(card, 'tap.reject');
    const rejected = await decide('dana@contoso.com', 'tap.reject', {
      requestId,
      rejectReason: 'Ticket has no verified caller',
    });
    expect(text(rejected.body)).toContain('Rejected by Dana Reyes');
    const status = await callApi(h, 'GET', `/api/requests/${requestId}`, {
      token: await appToken(h, 'ServiceNow'),
    });
    expect(status.body).toMatchObject({
      status: 'rejected',
      decidedBy: { displayName: 'Dana Reyes' },
      rejectReason: 'Ticket has no verified caller',
      pass: null,
    });
    expect(await passesFor('bob@contoso.com')).toHaveLength(0);
    const late = await decide('erin@contoso.com', 'tap.approve', { requestId });
    expect(text(late.body)).toContain('already rejected by Dana Reyes');
  });

  it('a request for nobody in the tenant ends failed at the check, and GET says so', async () => {
    const { card } = await ask('nobody@contoso.com');
    const { requestId } = actionData(card, 'tap.approve');
    const check = await decide('dana@contoso.com', 'tap.approve', { requestId });
    expect(text(check.body)).toContain('TAP_USER_NOT_FOUND');
    const status = await callApi(h, 'GET', `/api/requests/${requestId}`, {
      token: await appToken(h, 'ServiceNow'),
    });
    expect(status.body).toMatchObject({ status: 'failed', problemCode: 'TAP_USER_NOT_FOUND' });
    expect(fixtureApp(h, 'ServiceNow').appId).toBe(servicenowId);
  });

  it('a card Teams refuses to post ends the request: 202 failed, the same on a retry, nothing to approve', async () => {
    // More 429s than the connector client retries.
    h.connector.throttleProactive(20, 0);
    const { answer, key, body, posted } = await ask('tess@contoso.com');
    h.connector.throttleProactive(0, 1);
    expect(posted).toHaveLength(0);
    expect(answer.status).toBe(202);
    expect(answer.body.status).toBe('failed');
    const token = await appToken(h, 'ServiceNow');
    const retry = await callApi(h, 'POST', '/api/requests', { token, key, body });
    expect(retry.body).toEqual({ id: answer.body.id, status: 'failed' });
    const status = await callApi(h, 'GET', `/api/requests/${answer.body.id}`, { token });
    expect(status.body).toMatchObject({ status: 'failed', problemCode: 'APPROVERS_UNREACHABLE' });
  });

  it('a reason written as a link reaches the card as inert text', async () => {
    const { card } = await ask('bob@contoso.com', {
      reason: 'Re-verify here: [Sign in again](https://evil.example/login) <at>Dana</at>',
    });
    const shown = text(card);
    expect(shown).toContain('Re-verify here');
    expect(shown).not.toContain('](https://evil.example');
    expect(shown).not.toContain('<at>');
  });

  it('nobody decides in time: TapDesk closes the card at its expiry, posts nothing more, and GET says expired', async () => {
    const { answer, card } = await ask('leo@contoso.com');
    const channelBefore = channelPosts().length;
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 61 });
    await vi.waitFor(() => expect(latestChannelCard()).toContain('without a decision'), {
      timeout: 15_000,
      interval: 200,
    });
    expect(channelPosts().length).toBe(channelBefore);
    const status = await callApi(h, 'GET', `/api/requests/${answer.body.id}`, {
      token: await appToken(h, 'ServiceNow'),
    });
    expect(status.body).toMatchObject({ status: 'expired', decidedBy: null, pass: null });
    const late = await decide('dana@contoso.com', 'tap.approve', actionData(card, 'tap.approve'));
    expect(text(late.body)).toContain('This request has expired');
    const unreachable = (await new AuditLog(h.store, () => new Date()).recent(200)).filter(
      (e) => e.requestId === answer.body.id && e.type.startsWith('notice.'),
    );
    expect(unreachable).toEqual([]);
  });
});
