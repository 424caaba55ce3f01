// Face Check before Confirm through real HTTP: the bot, the sandbox's Verified ID Request Service and its
// callbacks (through a relay that keeps a copy, so real callbacks can be replayed and forged ones sent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/log.js';
import { securityEventSchema } from '../../src/audit/security-event.js';
import { sandboxFaceCheckEnv } from '../../sandbox/bot-env.js';
import { actionData, cardOf, click, message, post, type PostResult } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { CallbackRelay, sendRaw } from '../helpers/callback-relay.js';
import { sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

interface Presentation {
  requestId: string;
  callbackState: string;
  constraints: { claimName: string; values: string[] }[];
  faceCheck: { matchConfidenceThreshold: number } | null;
  callbackHeaderNames: string[];
}

/** A harness with Face Check on, its callbacks going through a relay to the bot. */
async function faceCheckWorld(overrides: Record<string, string> = {}) {
  const relay = new CallbackRelay();
  await relay.start();
  const h = await startHarness(
    { REQUEST_TTL_MINUTES: '60', ...overrides },
    { env: (sandbox) => ({ ...sandboxFaceCheckEnv(sandbox, 0), VERIFIED_ID_CALLBACK_URL: relay.url }) },
  );
  // The relay's address is the callback URL the bot sends; it forwards to wherever the bot listens.
  relay.target = `http://127.0.0.1:${h.bot.port}/api/verified-id/callback`;
  return { h, relay };
}

function steps(h: Harness) {
  const dana = h.user('dana@contoso.com');
  return {
    dana,
    /** Dana asks for a pass: the card, its message id and the request id. */
    async ask(line: string) {
      const before = h.connector.sent().length;
      await post(h, message(h, dana, line));
      const sent = h.connector.sent()[before]!;
      const card = cardOf(sent.activity);
      return {
        card,
        messageId: sent.assignedId,
        requestId: actionData(card, 'tap.confirm').requestId as string,
      };
    },
    faceCheck(requestId: string, messageId: string): Promise<PostResult> {
      return post(h, click(h, dana, 'tap.facecheck', { requestId }, { replyToId: messageId }));
    },
    confirm(requestId: string, messageId: string, verification: string): Promise<PostResult> {
      return post(h, click(h, dana, 'tap.confirm', { requestId, verification }, { replyToId: messageId }));
    },
    async presentation(requestId: string): Promise<Presentation> {
      const state = (await sandboxState(h)) as unknown as { presentations: Presentation[] };
      return state.presentations.filter((p) => p.callbackState === requestId).at(-1)!;
    },
    present(body: Record<string, unknown>) {
      return sandboxAdmin(h, 'POST', '/verified-id/present', body) as Promise<{
        callbacks: { requestStatus: string; httpStatus: number }[];
      }>;
    },
    /** The card update the callback made, once it arrived (it is sent after the callback is answered). */
    async updateSaying(messageId: string, text: string): Promise<string> {
      for (let i = 0; i < 100; i += 1) {
        const found = h.connector
          .updates()
          .filter((u) => u.activityId === messageId)
          .map((u) => JSON.stringify(u.activity))
          .find((t) => t.includes(text));
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no update of ${messageId} saying ${text}`);
    },
    audit: () => new AuditLog(h.store, () => new Date()).recent(200),
  };
}

const bodyText = (r: PostResult) => JSON.stringify(r.body);
/** A distinctive pass the sandbox hands out next, so a leak is findable by plain text search. */
const CANARY = 'Fc9!tQ4z';

describe('Face Check before Confirm', () => {
  let h: Harness;
  let relay: CallbackRelay;
  beforeAll(async () => ({ h, relay } = await faceCheckWorld()));
  afterAll(async () => {
    await h?.close();
    await relay?.close();
  });

  it('passes: the card shows the QR code, then "passed (score 87)" live; Confirm records the score', async () => {
    const s = steps(h);
    const alice = h.user('alice@contoso.com');
    const { card, messageId, requestId } = await s.ask('issue TAP for alice@contoso.com for 2h');
    expect(actionData(card, 'tap.facecheck')).toEqual({ requestId });

    const started = await s.faceCheck(requestId, messageId);
    expect(started.status).toBe(200);
    const shown = bodyText(started);
    expect(shown).toContain('data:image/png;base64,');
    expect(shown).toContain('openid-vc://');
    const presentation = await s.presentation(requestId);
    expect(presentation.constraints).toEqual([{ claimName: 'mail', values: ['alice@contoso.com'] }]);
    expect(presentation.faceCheck?.matchConfidenceThreshold).toBe(70);
    expect(presentation.callbackHeaderNames).toEqual(['api-key']);

    const played = await s.present({ requestId: presentation.requestId, score: 87 });
    expect(played.callbacks.map((c) => c.httpStatus)).toEqual([200, 200]);
    const updated = await s.updateSaying(messageId, 'Face Check passed (score 87)');
    expect(updated).toContain('verified-id-face-check');
    expect(updated).not.toContain('data:image/png');

    await sandboxAdmin(h, 'POST', '/next-pass', { value: CANARY });
    const confirmed = await s.confirm(requestId, messageId, 'verified-id-face-check');
    expect((confirmed.body as { type: string }).type).toBe('application/vnd.microsoft.card.adaptive');
    expect(bodyText(confirmed)).toContain(CANARY);
    expect((await sandboxState(h)).passes.filter((p) => p.userId === alice.id)).toHaveLength(1);
    const issued = (await s.audit()).find((e) => e.type === 'tap.issued' && e.requestId === requestId)!;
    expect(issued).toMatchObject({
      verification: 'verified-id-face-check',
      faceCheckScore: 87,
      faceCheckRequestId: presentation.requestId,
    });
    expect((await s.audit()).some((e) => e.type === 'facecheck.passed' && e.faceCheckScore === 87)).toBe(
      true,
    );
    const events = h.logLines
      .filter((l) => l.includes('"channel":"security"'))
      .map((l) => securityEventSchema.parse((JSON.parse(l) as { securityEvent: unknown }).securityEvent));
    const soc = events.find((e) => e.eventType === 'tap.issued' && e.requestId === requestId)!;
    expect(soc).toMatchObject({ faceCheckScore: 87, faceCheckRequestId: presentation.requestId });
    // A replay of the real passing callback, after the fact, changes nothing.
    const verified = relay.calls.find((c) => c.body.includes('presentation_verified'))!;
    expect(await sendRaw(relay.target, verified.headers, verified.body)).toBe(409);
    // The callback secret is only ever in the Request Service's hands; the pass never in a callback or event.
    const key = String(verified.headers['api-key']);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const text of [key, CANARY]) {
      expect(h.logLines.join('\n')).not.toContain(text);
      expect(h.storageContains(text)).toBe(false);
      expect(h.connector.allText()).not.toContain(text);
    }
    expect(JSON.stringify(relay.calls)).not.toContain(CANARY);
  });

  it('fails below the threshold: the card says so live, and Confirm with the Face Check choice is refused', async () => {
    const s = steps(h);
    const { messageId, requestId } = await s.ask('issue TAP for bob@contoso.com for 1h');
    await s.faceCheck(requestId, messageId);
    const presentation = await s.presentation(requestId);
    await s.present({ requestId: presentation.requestId, score: 55 });
    const updated = await s.updateSaying(messageId, 'Face Check failed');
    expect(updated).not.toContain('score 55');
    const refused = await s.confirm(requestId, messageId, 'verified-id-face-check');
    expect(bodyText(refused)).toContain('A Face Check is required first');
    expect((await sandboxState(h)).passes.some((p) => p.userPrincipalName === 'bob@contoso.com')).toBe(false);
    const failed = (await s.audit()).find((e) => e.type === 'facecheck.failed' && e.requestId === requestId);
    expect(failed?.code).toBe('claimValidationError');
  });

  it("the wrong person: Bob's phone cannot pass Alice's Face Check (the constraint)", async () => {
    const s = steps(h);
    const { messageId, requestId } = await s.ask('issue TAP for alice@contoso.com for 1h');
    await s.faceCheck(requestId, messageId);
    const presentation = await s.presentation(requestId);
    await s.present({ requestId: presentation.requestId, score: 99, holder: 'bob@contoso.com' });
    await s.updateSaying(messageId, 'Face Check failed');
    const refused = await s.confirm(requestId, messageId, 'verified-id-face-check');
    expect(bodyText(refused)).toContain('A Face Check is required first');
  });

  it('forged callbacks (no key, a wrong key, another presentation, malformed) are refused and change nothing', async () => {
    const s = steps(h);
    const { messageId, requestId } = await s.ask('issue TAP for alice@contoso.com for 3h');
    await s.faceCheck(requestId, messageId);
    const presentation = await s.presentation(requestId);
    const forged = (extra: Record<string, unknown>) =>
      JSON.stringify({
        requestId: presentation.requestId,
        requestStatus: 'presentation_verified',
        state: requestId,
        verifiedCredentialsData: [
          {
            issuer: 'did:web:verifiedid.contoso.com',
            type: ['VerifiableCredential', 'VerifiedEmployee'],
            claims: { mail: 'paul@contoso.com' },
            faceCheck: { matchConfidenceScore: 99 },
          },
        ],
        ...extra,
      });
    const json = { 'content-type': 'application/json' };
    expect(await sendRaw(relay.target, json, forged({}))).toBe(401);
    expect(await sendRaw(relay.target, { ...json, 'api-key': 'guessed' }, forged({}))).toBe(401);
    expect(await sendRaw(relay.target, { ...json, 'api-key': 'guessed' }, '{"state":1}')).toBe(400);
    // A real key from another check does not open this one.
    const otherKey = relay.calls[0]!.headers;
    expect(await sendRaw(relay.target, otherKey, forged({}))).toBe(401);
    expect(
      await sendRaw(
        relay.target,
        otherKey,
        forged({ state: relay.calls[0]!.body.match(/"state":"([^"]+)"/)![1] }),
      ),
    ).toBe(401);
    const refused = await s.confirm(requestId, messageId, 'verified-id-face-check');
    expect(bodyText(refused)).toContain('A Face Check is required first');
    expect(h.logLines.filter((l) => l.includes('facecheck.callback_refused')).length).toBeGreaterThanOrEqual(
      5,
    );
    expect(h.logLines.join('\n')).not.toContain('guessed');
  });

  it('a replayed callback is refused: the same result twice, and request_retrieved after the decision', async () => {
    const s = steps(h);
    const { messageId, requestId } = await s.ask('issue TAP for bob@contoso.com for 2h');
    await s.faceCheck(requestId, messageId);
    const presentation = await s.presentation(requestId);
    const before = relay.calls.length;
    await s.present({ requestId: presentation.requestId, error: 'userCanceled' });
    await s.updateSaying(messageId, 'they cancelled it in Authenticator');
    const [retrieved, failed] = relay.calls.slice(before);
    expect(await sendRaw(relay.target, failed!.headers, failed!.body)).toBe(409);
    expect(await sendRaw(relay.target, retrieved!.headers, retrieved!.body)).toBe(409);
    expect(
      (await s.audit()).filter((e) => e.type === 'facecheck.failed' && e.requestId === requestId),
    ).toHaveLength(1);
  });
});

describe('FACE_CHECK_REQUIRED=true', () => {
  let h: Harness;
  let relay: CallbackRelay;
  beforeAll(async () => ({ h, relay } = await faceCheckWorld({ FACE_CHECK_REQUIRED: 'true' })));
  afterAll(async () => {
    await h?.close();
    await relay?.close();
  });

  it('Confirm is refused without a Face Check, and the card stays', async () => {
    const s = steps(h);
    const { card, messageId, requestId } = await s.ask('issue TAP for alice@contoso.com for 2h');
    expect(JSON.stringify(card)).toContain('A passing Face Check is required before Confirm.');
    const refused = await s.confirm(requestId, messageId, 'video-photo-id');
    expect((refused.body as { type: string }).type).toBe('application/vnd.microsoft.activity.message');
    expect(bodyText(refused)).toContain('A Face Check is required first');
    expect(h.connector.updates().filter((u) => u.activityId === messageId)).toHaveLength(0);
    expect((await sandboxState(h)).passes).toHaveLength(0);
  });

  it('a check older than 10 minutes no longer counts; a new one does', async () => {
    const s = steps(h);
    const alice = h.user('alice@contoso.com');
    const { messageId, requestId } = await s.ask('issue TAP for alice@contoso.com for 2h');
    await s.faceCheck(requestId, messageId);
    await s.present({ requestId: (await s.presentation(requestId)).requestId, score: 91 });
    await s.updateSaying(messageId, 'Face Check passed (score 91)');
    h.sandbox.clock.advanceMinutes(11);
    const late = await s.confirm(requestId, messageId, 'verified-id-face-check');
    expect(bodyText(late)).toContain('The Face Check is too old');
    expect((await sandboxState(h)).passes.filter((p) => p.userId === alice.id)).toHaveLength(0);

    await s.faceCheck(requestId, messageId);
    await s.present({ requestId: (await s.presentation(requestId)).requestId, score: 88 });
    await s.updateSaying(messageId, 'Face Check passed (score 88)');
    // Whatever else was picked, the pass is recorded as verified by the check that allowed it.
    const confirmed = await s.confirm(requestId, messageId, 'callback');
    expect((confirmed.body as { type: string }).type).toBe('application/vnd.microsoft.card.adaptive');
    const issued = (await s.audit()).find((e) => e.type === 'tap.issued' && e.requestId === requestId)!;
    expect(issued).toMatchObject({ verification: 'verified-id-face-check', faceCheckScore: 88 });
  });
});
