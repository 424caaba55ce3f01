import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function prepare(asUpn: string, text: string): Promise<string> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user(asUpn), text));
  return actionData(cardOf(h.connector.sent()[before]!.activity), 'tap.confirm').requestId as string;
}

const passesFor = async (upn: string) =>
  (await sandboxState(h)).passes.filter((p) => p.userPrincipalName === upn);
const writes = async () => (await sandboxState(h)).graphLog.filter((c) => c.method === 'POST');

describe('card clicks are checked, never trusted', () => {
  it("Mallory clicking Dana's card is refused and nothing is written", async () => {
    const requestId = await prepare('dana@contoso.com', 'issue TAP for bob@contoso');
    const before = (await writes()).length;
    const response = await post(
      h,
      click(h, h.user('mallory@contoso.com'), 'tap.confirm', { requestId, verification: 'callback' }),
    );
    expect(JSON.stringify(response.body)).toContain('Only Dana Reyes can confirm');
    expect((await writes()).length).toBe(before);
    // Dana can still confirm her own request afterwards.
    const own = await post(
      h,
      click(h, h.user('dana@contoso.com'), 'tap.confirm', { requestId, verification: 'callback' }),
    );
    expect(JSON.stringify(own.body)).toContain('Copy it now');
    expect(await passesFor('bob@contoso.com')).toHaveLength(1);
  });

  it('a double click and a replay create exactly one pass', async () => {
    const requestId = await prepare('dana@contoso.com', 'issue TAP for leo@contoso.com');
    const activity = click(h, h.user('dana@contoso.com'), 'tap.confirm', {
      requestId,
      verification: 'callback',
    });
    const first = await post(h, activity);
    const replay = await post(h, activity);
    expect(JSON.stringify(first.body)).toContain('Copy it now');
    expect(JSON.stringify(replay.body)).toContain('REQUEST_ALREADY_USED');
    expect(await passesFor('leo@contoso.com')).toHaveLength(1);
  });

  it('50 concurrent confirm clicks create exactly one pass', async () => {
    const requestId = await prepare('dana@contoso.com', 'issue TAP for carol@contoso.com for 1h');
    const before = (await writes()).length;
    const dana = h.user('dana@contoso.com');
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        post(h, click(h, dana, 'tap.confirm', { requestId, verification: 'manager' })),
      ),
    );
    const issued = responses.filter((r) => JSON.stringify(r.body).includes('Copy it now'));
    expect(issued).toHaveLength(1);
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect((await writes()).length - before).toBe(1);
    expect(await passesFor('carol@contoso.com')).toHaveLength(1);
  });

  it('a payload edited to another request id, target or extra field is refused', async () => {
    const dana = h.user('dana@contoso.com');
    const requestId = await prepare('dana@contoso.com', 'issue TAP for alice.smith@contoso.com');
    const before = (await writes()).length;
    const tampered = [
      { requestId: randomUUID(), verification: 'callback' },
      { requestId, verification: 'callback', userId: h.user('frank@contoso.com').id },
      { requestId, verification: 'callback', targetUpn: 'frank@contoso.com' },
      { requestId: 'not-a-uuid', verification: 'callback' },
      { requestId, verification: 'trust-me' },
    ];
    for (const data of tampered) {
      const response = await post(h, click(h, dana, 'tap.confirm', data));
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).toMatch(
        /REQUEST_NOT_FOUND|could not read that click|Unknown request/,
      );
    }
    expect((await writes()).length).toBe(before);
  });

  it('a confirm without a verification method asks for one and keeps the card', async () => {
    const requestId = await prepare('dana@contoso.com', 'issue TAP for alice.smith@contoso.com');
    const response = await post(h, click(h, h.user('dana@contoso.com'), 'tap.confirm', { requestId }));
    const body = response.body as { type: string; value: string };
    expect(body.type).toBe('application/vnd.microsoft.activity.message');
    expect(body.value).toContain('verif');
  });

  it('an expired request (sandbox clock +11 min) is refused with a clear message', async () => {
    const requestId = await prepare('dana@contoso.com', 'issue TAP for alice.smith@contoso.com');
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 11 });
    const before = (await writes()).length;
    const response = await post(
      h,
      click(h, h.user('dana@contoso.com'), 'tap.confirm', { requestId, verification: 'callback' }),
    );
    expect(JSON.stringify(response.body)).toContain('REQUEST_EXPIRED');
    expect((await writes()).length).toBe(before);
  });

  it('cancel closes the request for everyone and a later confirm does nothing', async () => {
    const requestId = await prepare('dana@contoso.com', 'issue TAP for alice.smith@contoso.com');
    const dana = h.user('dana@contoso.com');
    const cancelled = await post(
      h,
      click(h, dana, 'tap.cancel', { requestId, verification: 'callback', ticket: '' }),
    );
    expect(JSON.stringify(cancelled.body)).toContain('cancelled');
    const confirm = await post(h, click(h, dana, 'tap.confirm', { requestId, verification: 'callback' }));
    expect(JSON.stringify(confirm.body)).toContain('REQUEST_ALREADY_USED');
    expect(await passesFor('alice.smith@contoso.com')).toHaveLength(0);
  });
});
