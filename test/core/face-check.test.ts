// Face Check in the core, over fakes: starting a check (the click rules), the callback's checks, and
// Confirm's rule (a recent passing check for this request and person, required or not).
import { describe, expect, it } from 'vitest';
import { recordCallback } from '../../src/facecheck/callback.js';
import { PresentationServiceError } from '../../src/facecheck/port.js';
import { secretHash } from '../../src/facecheck/secret.js';
import type { FaceCheckSettings } from '../../src/facecheck/settings.js';
import { startFaceCheck } from '../../src/facecheck/start.js';
import { confirmIssue } from '../../src/tap/confirm.js';
import type { Person } from '../../src/tap/request.js';
import { coreWorld, PEOPLE, upnOf, type CoreWorld } from '../fakes/core.js';
import { FakePresentations } from '../fakes/presentations.js';
import { codeOf, pending, stored } from './steps.js';

const { alice, tom, pat } = PEOPLE;
const SETTINGS: FaceCheckSettings = {
  authority: 'did:web:verifiedid.contoso.com',
  apiBaseUrl: 'https://vid.example/v1.0',
  callbackUrl: 'https://tapdesk.example/api/verified-id/callback',
  acceptedIssuers: ['did:web:verifiedid.contoso.com'],
  threshold: 70,
  required: false,
};

function world(required = false) {
  const settings = { ...SETTINGS, required };
  const w = coreWorld({ core: { faceCheck: settings } });
  const service = new FakePresentations();
  const fc = { core: w.deps, settings, service };
  return {
    w,
    service,
    start: (requestId: string, clicker: Person = alice) =>
      startFaceCheck(fc, { requestId, clicker, cardActivityId: 'card-1' }),
    callback: (input: { apiKey: string | undefined; body: unknown }) =>
      recordCallback(w.deps, settings, input),
    confirm: (requestId: string, verification: string) =>
      confirmIssue(w.deps, w.as(alice), { requestId, clicker: alice, verification }),
  };
}

const audited = async (w: CoreWorld, type: string) => (await w.audit()).filter((e) => e.type === type);

describe('starting a Face Check', () => {
  it('asks for the person by their own addresses, keeps only the hash of the callback secret', async () => {
    const t = world();
    const request = await pending(t.w, alice, tom);
    const started = await t.start(request.id);
    expect(started.kind).toBe('started');
    const made = t.service.last();
    expect(made.state).toBe(request.id);
    expect(made.mailValues).toEqual([upnOf(tom)]);
    expect(made.threshold).toBe(70);
    const kept = (await stored(t.w, request.id)).faceCheck!;
    expect(kept).toMatchObject({ status: 'waiting', targetId: tom.oid, cardActivityId: 'card-1' });
    expect(kept.secretSha256).toBe(secretHash(made.apiKey));
    expect(t.w.data.dump()).not.toContain(made.apiKey);
    expect((await audited(t.w, 'facecheck.started'))[0]?.faceCheckRequestId).toBe(made.requestId);
  });

  it('refuses a click by someone else, and on a request that can no longer be confirmed', async () => {
    const t = world();
    const request = await pending(t.w, alice, tom);
    expect(codeOf(await t.start(request.id, pat))).toBe('REQUEST_NOT_YOURS');
    t.w.clock.advanceMinutes(11);
    expect(codeOf(await t.start(request.id))).toBe('REQUEST_EXPIRED');
    expect(t.service.made).toEqual([]);
  });

  it('without Face Check configured, a click is still checked first, then told it is not set up', async () => {
    const w = coreWorld();
    const request = await pending(w, alice, tom);
    const unconfigured = { core: w.deps, settings: undefined, service: undefined };
    const click = (clicker: Person) =>
      startFaceCheck(unconfigured, { requestId: request.id, clicker, cardActivityId: undefined });
    expect(codeOf(await click(pat))).toBe('REQUEST_NOT_YOURS');
    expect(codeOf(await click(alice))).toBe('FACE_CHECK_NOT_CONFIGURED');
  });

  it('a service that fails leaves the request as it was', async () => {
    const t = world();
    const request = await pending(t.w, alice, tom);
    t.service.failWith = new PresentationServiceError('down', 503, 'serviceUnavailable');
    expect(codeOf(await t.start(request.id))).toBe('FACE_CHECK_UNAVAILABLE');
    expect((await stored(t.w, request.id)).faceCheck).toBeUndefined();
  });
});

describe('callbacks', () => {
  it('passes on a verified presentation of the person at or above the threshold, once', async () => {
    const t = world();
    const request = await pending(t.w, alice, tom);
    await t.start(request.id);
    expect(await t.callback(t.service.callback('request_retrieved'))).toMatchObject({ status: 200 });
    const passed = await t.callback(t.service.verified(upnOf(tom).toUpperCase(), 70));
    expect(passed.status).toBe(200);
    expect((await stored(t.w, request.id)).faceCheck).toMatchObject({ status: 'passed', score: 70 });
    expect(await t.callback(t.service.verified(upnOf(tom), 99))).toMatchObject({ status: 409 });
    expect(await audited(t.w, 'facecheck.passed')).toHaveLength(1);
  });

  it.each([
    ['below the threshold', (s: FakePresentations) => s.verified(upnOf(tom), 69.9), 'belowThreshold'],
    ["someone else's credential", (s: FakePresentations) => s.verified(upnOf(pat), 95), 'otherPerson'],
    [
      'an issuer not accepted',
      (s: FakePresentations) => s.verified(upnOf(tom), 95, 'did:web:evil.example'),
      'issuerNotAccepted',
    ],
    [
      'an error',
      (s: FakePresentations) => s.callback('presentation_error', { error: { code: 'userCanceled' } }),
      'userCanceled',
    ],
  ])('fails on %s', async (_name, make, failure) => {
    const t = world();
    const request = await pending(t.w, alice, tom);
    await t.start(request.id);
    expect(await t.callback(make(t.service))).toMatchObject({ status: 200 });
    expect((await stored(t.w, request.id)).faceCheck).toMatchObject({ status: 'failed', failure });
  });

  it('refuses forged callbacks: no key, a wrong key, another presentation, an earlier check, nonsense', async () => {
    const t = world();
    const request = await pending(t.w, alice, tom);
    await t.start(request.id);
    const earlier = t.service.verified(upnOf(tom), 95);
    await t.start(request.id);
    const good = t.service.verified(upnOf(tom), 95);
    expect(await t.callback({ ...good, apiKey: undefined })).toMatchObject({ status: 401 });
    expect(await t.callback({ ...good, apiKey: `${good.apiKey}x` })).toMatchObject({ status: 401 });
    expect(await t.callback({ ...good, body: { ...good.body, requestId: 'other' } })).toMatchObject({
      status: 401,
    });
    expect(await t.callback(earlier)).toMatchObject({ status: 401 });
    expect(
      await t.callback({ apiKey: good.apiKey, body: { ...good.body, requestStatus: 'nope' } }),
    ).toMatchObject({ status: 400 });
    expect((await stored(t.w, request.id)).faceCheck?.status).toBe('waiting');
  });
});

describe("Confirm's Face Check rule", () => {
  async function passedCheck(t: ReturnType<typeof world>) {
    const request = await pending(t.w, alice, tom);
    await t.start(request.id);
    await t.callback(t.service.verified(upnOf(tom), 87));
    return request;
  }

  it('records a recent passing check as the verification, with its score and presentation id', async () => {
    const t = world();
    const request = await passedCheck(t);
    const outcome = await t.confirm(request.id, 'callback');
    expect(outcome.kind).toBe('issued');
    const issued = (await audited(t.w, 'tap.issued'))[0]!;
    expect(issued).toMatchObject({
      verification: 'verified-id-face-check',
      faceCheckScore: 87,
      faceCheckRequestId: t.service.last().requestId,
    });
  });

  it('takes the Face Check choice only with a passing check, required or not', async () => {
    const t = world();
    const request = await pending(t.w, alice, tom);
    expect(codeOf(await t.confirm(request.id, 'verified-id-face-check'))).toBe('FACE_CHECK_REQUIRED');
    expect(t.w.tenant.createsSent()).toBe(0);
    expect(codeOf(await t.confirm(request.id, 'callback'))).toBe('issued');
  });

  it('when required: refused without a check, with a failed one, with one 10 minutes old', async () => {
    const t = world(true);
    const none = await pending(t.w, alice, tom);
    expect(codeOf(await t.confirm(none.id, 'callback'))).toBe('FACE_CHECK_REQUIRED');
    await t.start(none.id);
    await t.callback(t.service.verified(upnOf(tom), 40));
    expect(codeOf(await t.confirm(none.id, 'verified-id-face-check'))).toBe('FACE_CHECK_REQUIRED');
    await t.start(none.id);
    await t.callback(t.service.verified(upnOf(tom), 90));
    t.w.clock.advanceMinutes(10);
    expect(codeOf(await t.confirm(none.id, 'verified-id-face-check'))).toBe('FACE_CHECK_EXPIRED');
    expect(t.w.tenant.createsSent()).toBe(0);
    t.w.clock.advanceMinutes(-1);
    expect(codeOf(await t.confirm(none.id, 'verified-id-face-check'))).toBe('issued');
  });
});
