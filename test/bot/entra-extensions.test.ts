import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../src/audit/log.js';
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
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { findCode } from '../helpers/passes.js';
import { apiScope, appToken, fixtureApp } from '../helpers/request-api.js';
import { sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

// Both Entra custom extensions through real HTTP: the sandbox's Entra sends the callouts to the
// bot's routes with the tokens Entra would (azp the first-party app, aud TapDesk), approvers decide
// in the "TAP approvals" channel, and the sandbox records the resumes TapDesk sends back to Graph.

const ACCESS_PACKAGE = '/api/entra/access-package';
const LIFECYCLE = '/api/entra/lifecycle-task';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ ENTRA_EXTENSION_CALLERS: 'access-package,lifecycle-task' });
  h.sandbox.setBotOrigin(`http://127.0.0.1:${h.bot.port}`);
  expect((await post(h, botAdded(h, h.user('dana@contoso.com'), APPROVALS_CHANNEL))).status).toBe(200);
});
afterAll(async () => h?.close());

const text = (value: unknown) => JSON.stringify(value);
const channelPosts = () => h.connector.proactive(APPROVALS_CHANNEL);
const passesFor = async (upn: string) =>
  (await sandboxState(h)).passes.filter((p) => p.userPrincipalName === upn);
const resumesOf = async (id: string) =>
  (
    (await sandboxState(h)) as unknown as { resumes: { kind: string; id: string; state: string }[] }
  ).resumes.filter((r) => r.id === id);

function decide(upn: string, verb: 'tap.approve' | 'tap.reject', data: Record<string, unknown>) {
  return post(
    h,
    inConversation(click(h, h.user(upn), verb, data), `${APPROVALS_CHANNEL};messageid=1763776000000`),
  );
}

/** A callout straight to the bot, as a test: `token` undefined sends none. */
async function callout(path: string, token: string | undefined, body: unknown) {
  const response = await fetch(`http://127.0.0.1:${h.bot.port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const raw = await response.text();
  return { status: response.status, text: raw, body: JSON.parse(raw || 'null') as Record<string, unknown> };
}

/** A manager asks an access package on behalf of a report; the sandbox sends test call and callout. */
async function accessPackageRequest(requestor: string, target: string, answers?: unknown[]) {
  const before = channelPosts().length;
  const sent = (await sandboxAdmin(h, 'POST', '/entra/access-package-request', {
    requestor,
    target,
    ...(answers ? { answers } : {}),
  })) as {
    id: string;
    connectionTest: { status: number };
    callout: { status: number; body: { id: string } };
  };
  const posted = channelPosts().slice(before);
  return { sent, card: posted[0] ? cardOf(posted[0].activity) : undefined, posted };
}

describe('who may call out', () => {
  it('the connection test is answered; no token, wrong audience, expired, another app: refused, nothing posted', async () => {
    const entitlement = fixtureApp(h, 'Entitlement Management');
    const before = channelPosts().length;
    const test = { Stage: 'CustomExtensionConnectionTest' };
    const good = await appToken(h, 'Entitlement Management');
    const ok = await callout(ACCESS_PACKAGE, good, test);
    expect(ok.status, ok.text).toBe(200);

    const none = await callout(ACCESS_PACKAGE, undefined, test);
    expect(none.status).toBe(401);

    const graph = await appToken(h, 'Entitlement Management', 'https://graph.microsoft.com/.default');
    const wrongAudience = await callout(ACCESS_PACKAGE, graph, test);
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.body.error_description).toBe('wrong audience');

    const minted = (await sandboxAdmin(h, 'POST', '/app-token', {
      client: entitlement.appId,
      scope: apiScope(h),
      lifetimeSeconds: -600,
    })) as { access_token: string };
    const expired = await callout(ACCESS_PACKAGE, minted.access_token, test);
    expect(expired.status).toBe(401);
    expect(expired.body.error_description).toBe('expired');

    // ServiceNow's token is valid for TapDesk, but it is not Entra's entitlement management.
    const other = await callout(ACCESS_PACKAGE, await appToken(h, 'ServiceNow'), test);
    expect(other.status).toBe(403);
    // Nor may entitlement management call the lifecycle route.
    const crossed = await callout(LIFECYCLE, good, { data: {} });
    expect(crossed.status).toBe(403);
    expect(channelPosts().length).toBe(before);
    expect(
      h.logLines.filter((l) => l.includes('"event":"extensions.refused"')).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('a callout missing a field is 400 with the field named', async () => {
    const bad = await callout(ACCESS_PACKAGE, await appToken(h, 'Entitlement Management'), {
      Stage: 'assignmentRequestCreated',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('AccessPackageAssignmentRequestId');
  });
});

describe('access package: a manager requests a pass on behalf of a report', () => {
  it('Entra retrying a callout (the same stage instance) gets the same request and posts no second card', async () => {
    const token = await appToken(h, 'Entitlement Management');
    const body = {
      AccessPackageAssignmentRequestId: crypto.randomUUID(),
      CustomExtensionStageInstanceId: crypto.randomUUID(),
      Stage: 'assignmentRequestCreated',
      AccessPackage: { Id: crypto.randomUUID(), DisplayName: 'Temporary Access Pass' },
      Assignment: { Target: { ObjectId: h.user('bob@contoso.com').id, DisplayName: 'Bob' } },
      Requestor: { ObjectId: h.user('carol@contoso.com').id, DisplayName: 'Carol Diaz' },
    };
    const before = channelPosts().length;
    const first = await callout(ACCESS_PACKAGE, token, body);
    const retried = await callout(ACCESS_PACKAGE, token, body);
    expect(first.status, first.text).toBe(202);
    expect(retried.status).toBe(202);
    expect(retried.body.id).toBe(first.body.id);
    expect(channelPosts().length).toBe(before + 1);
    // Closed so the later tests' cards are the latest: rejected, and nothing waits in the sandbox for it.
    await decide('dana@contoso.com', 'tap.reject', { requestId: first.body.id, rejectReason: 'test' });
  });

  it('approved: the approver checks then issues; Entra is resumed to go on; the requestor cannot approve their own', async () => {
    const { sent, card } = await accessPackageRequest('carol@contoso.com', 'alice@contoso.com', [
      { Value: 'New phone, day one', DisplayValue: 'New phone, day one' },
    ]);
    expect(sent.connectionTest.status).toBe(200);
    expect(sent.callout.status).toBe(202);
    const shown = text(card);
    expect(shown).toContain('Carol Diaz (an access package request, through Entra)');
    expect(shown).toContain('New phone, day one');
    const { requestId } = actionData(card, 'tap.approve');
    expect(requestId).toBe(sent.callout.body.id);

    // Four eyes: Carol asked, Carol may not decide.
    expect(text((await decide('carol@contoso.com', 'tap.approve', { requestId })).body)).toContain(
      'You asked for this one',
    );
    const check = await decide('dana@contoso.com', 'tap.approve', { requestId });
    expect(text(check.body)).toContain('API_REQUEST_CHECKED');
    expect(await resumesOf(sent.id)).toHaveLength(0);
    const approved = await decide('dana@contoso.com', 'tap.approve', { requestId });
    const [pass] = await passesFor('alice@contoso.com');
    expect(pass?.createdBy).toBe(h.user('dana@contoso.com').id);
    const code = findCode(text(approved.body), pass!.passSha256);
    expect(await resumesOf(sent.id)).toEqual([
      { kind: 'access-package', id: sent.id, state: 'approved', at: expect.any(String) },
    ]);
    // A retried callout (same stage instance) is the same request: no second card, no second resume.
    const trail = (await new AuditLog(h.store, () => new Date()).recent(50)).filter(
      (e) => e.requestId === requestId,
    );
    expect(trail.find((e) => e.type === 'approval.requested')).toMatchObject({
      source: 'access-package',
      actor: { oid: h.user('carol@contoso.com').id },
    });
    expect(h.logLines.join('\n')).not.toContain(code);
    expect(h.storageContains(code)).toBe(false);
    const graphLog = (await sandboxState(h)).graphLog.filter((c) => c.path.includes('/resume'));
    expect(graphLog.at(-1)?.status).toBe(204);
  });

  it('rejected: nothing is issued and Entra is resumed with the request denied', async () => {
    const { sent, card } = await accessPackageRequest('carol@contoso.com', 'bob@contoso.com');
    const { requestId } = actionData(card, 'tap.approve');
    await decide('dana@contoso.com', 'tap.reject', { requestId, rejectReason: 'No ticket for this' });
    expect(await passesFor('bob@contoso.com')).toHaveLength(0);
    expect(await resumesOf(sent.id)).toEqual([
      { kind: 'access-package', id: sent.id, state: 'denied', at: expect.any(String) },
    ]);
  });
});

describe('lifecycle task: a joiner pass for the manager, starting at the hire date', () => {
  it('approved: the pass starts at the hire date and the task is resumed completed; the approver does not see it', async () => {
    const hireDate = new Date(h.sandbox.clock.now().getTime() + 3 * 24 * 3600_000);
    hireDate.setUTCHours(8, 0, 0, 0);
    // Leo's manager Carol has a chat with TapDesk: the joiner's pass goes to her, once.
    const carol = h.user('carol@contoso.com');
    await post(h, message(h, carol, 'hello'));
    const before = channelPosts().length;
    const sent = (await sandboxAdmin(h, 'POST', '/entra/lifecycle-task', {
      user: 'leo@contoso.com',
      hireDate: hireDate.toISOString(),
    })) as { id: string; callout: { status: number; body: { id: string } } };
    expect(sent.callout.status).toBe(202);
    const card = cardOf(channelPosts()[before]!.activity);
    expect(text(card)).toContain('Lifecycle Workflows (a joiner workflow, through Entra)');
    const { requestId } = actionData(card, 'tap.approve');
    await decide('dana@contoso.com', 'tap.approve', { requestId });
    const joinerPass = 'Lc8&wQ5z';
    await sandboxAdmin(h, 'POST', '/next-pass', { value: joinerPass });
    const approved = await decide('dana@contoso.com', 'tap.approve', { requestId });
    const [pass] = (await passesFor('leo@contoso.com')) as unknown as { startDateTime: string }[];
    expect(pass?.startDateTime).toBe(hireDate.toISOString());
    // It is for the manager, never in the approver's answer: a one-time Reveal card in her chat.
    expect(text(approved.body)).not.toContain(joinerPass);
    const offer = h.connector.proactive(`a:1:${carol.id}`).at(-1)!;
    const revealed = await post(
      h,
      click(h, carol, 'tap.reveal', { requestId }, { replyToId: offer.assignedId }),
    );
    expect(text(revealed.body)).toContain(joinerPass);
    expect(h.connector.allText()).not.toContain(joinerPass);
    expect(await resumesOf(sent.id)).toEqual([
      { kind: 'lifecycle-task', id: sent.id, state: 'completed', at: expect.any(String) },
    ]);
  });

  it('rejected: the task is resumed failed', async () => {
    const before = channelPosts().length;
    const sent = (await sandboxAdmin(h, 'POST', '/entra/lifecycle-task', {
      user: 'gina@contoso.com',
      hireDate: new Date(h.sandbox.clock.now().getTime() + 2 * 24 * 3600_000).toISOString(),
    })) as { id: string };
    const { requestId } = actionData(cardOf(channelPosts()[before]!.activity), 'tap.approve');
    await decide('dana@contoso.com', 'tap.reject', { requestId, rejectReason: 'Start date moved' });
    expect(await passesFor('gina@contoso.com')).toHaveLength(0);
    expect(await resumesOf(sent.id)).toEqual([
      { kind: 'lifecycle-task', id: sent.id, state: 'failed', at: expect.any(String) },
    ]);
  });

  it('expired undecided: the access package request is denied by the clock', async () => {
    const { sent } = await accessPackageRequest('carol@contoso.com', 'alice.smith@contoso.com');
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 61 });
    await vi.waitFor(
      async () =>
        expect(await resumesOf(sent.id)).toEqual([
          { kind: 'access-package', id: sent.id, state: 'denied', at: expect.any(String) },
        ]),
      { timeout: 15_000, interval: 200 },
    );
  });
});
