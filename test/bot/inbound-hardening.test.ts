import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { multipartBody, rawRequest } from '../helpers/raw-http.js';

// What reaches /api/messages before authentication must cost nothing: no inflating, no temp files,
// no form-driven activities, no unbounded reads. These go over real HTTP into the real server.
let h: Harness;
let guarded: Harness;
beforeAll(async () => {
  [h, guarded] = await Promise.all([
    startHarness(),
    startHarness({
      TAPDESK_MODE: 'entra',
      SANDBOX_URL: '',
      BOT_ID: '11111111-2222-4333-8444-555555555555',
      BOT_PASSWORD: 'not-used-because-the-request-is-rejected-first',
    }),
  ]);
});
afterAll(async () => Promise.all([h?.close(), guarded?.close()]));

const JSON_TYPE = { 'content-type': 'application/json' };
const levels = (x: Harness) =>
  x.logLines.map((line) => JSON.parse(line) as { level: number; event?: string });
const refusals = (x: Harness) => levels(x).filter((l) => l.event === 'http.inbound_refused');

describe('hostile bodies before authentication', () => {
  it('a gzip bomb is refused with 415 at once, without inflating it', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024));
    const before = process.memoryUsage().rss;
    const answer = await rawRequest(h.bot.url, {
      headers: { ...JSON_TYPE, 'content-encoding': 'gzip' },
      body: bomb,
    });
    expect(answer.status).toBe(415);
    expect(answer.ms).toBeLessThan(1_000); // generous: the machine is shared; typical is a few ms
    expect(process.memoryUsage().rss - before).toBeLessThan(20 * 1024 * 1024);
  });

  it('a multipart upload is refused with 415 and nothing is written to the temp folder', async () => {
    const spool = mkdtempSync(join(tmpdir(), 'tapdesk-spool-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = spool; // where a multipart parser in this process would write
    try {
      const answer = await rawRequest(h.bot.url, {
        headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
        body: multipartBody('xyz', 100_000),
      });
      expect(answer.status).toBe(415);
      expect(readdirSync(tmpdir())).toEqual([]);
    } finally {
      process.env.TMPDIR = saved;
      rmSync(spool, { recursive: true, force: true });
    }
  });

  it('a form-encoded body (what any web page can post cross-site) never becomes an activity', async () => {
    const calls = h.connector.calls.length;
    const form = new URLSearchParams({
      type: 'message',
      text: 'issue TAP for alice@contoso.com',
      serviceUrl: h.connector.url,
      'from[aadObjectId]': h.user('dana@contoso.com').id,
    }).toString();
    for (const type of [
      'application/x-www-form-urlencoded',
      'text/plain',
      'application/json; charset=latin1',
    ]) {
      const answer = await rawRequest(h.bot.url, { headers: { 'content-type': type }, body: form });
      expect(answer.status).toBe(415);
    }
    expect(h.connector.calls).toHaveLength(calls);
  });

  it('a body over 256 KiB is refused with 413, whether its length is declared or chunked', async () => {
    const big = JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) });
    const declared = await rawRequest(h.bot.url, { headers: JSON_TYPE, body: big });
    expect(declared.status).toBe(413);
    // No Content-Length: the server must stop reading at the cap, not when the client stops sending.
    const chunked = await rawRequest(h.bot.url, {
      headers: JSON_TYPE,
      stream: { chunk: 16 * 1024, maxBytes: 64 * 1024 * 1024 },
    });
    expect(chunked.status).toBe(413);
    expect(chunked.sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('refusals are warnings, never error lines, and carry no body', async () => {
    expect(refusals(h).length).toBeGreaterThanOrEqual(6);
    expect(levels(h).filter((l) => l.level >= 50)).toEqual([]);
    expect(h.logLines.join('\n')).not.toContain('issue TAP for alice');
  });

  it('a normal JSON activity (charset utf-8) still works', async () => {
    const response = await fetch(h.bot.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(message(h, h.user('dana@contoso.com'), 'help')),
    });
    expect(response.status).toBe(200);
  });
});

describe('with a bot app id, the token is checked before the body is read', () => {
  it('an unsigned 300 KB request gets 401 while its body has not even been sent', async () => {
    const answer = await rawRequest(guarded.bot.url, {
      headers: { ...JSON_TYPE, 'content-length': 300 * 1024 },
      holdBody: true,
    });
    expect(answer.status).toBe(401);
    expect(answer.sent).toBe(0);
    const chunked = await rawRequest(guarded.bot.url, {
      headers: { ...JSON_TYPE, authorization: 'Basic abc' },
      holdBody: true,
    });
    expect(chunked.status).toBe(401);
    expect(guarded.connector.calls).toHaveLength(0);
    expect(refusals(guarded).map((r) => r.level)).toEqual([40, 40]);
  });

  it('an unsigned well-formed activity is still rejected', async () => {
    const response = await post(guarded, message(guarded, guarded.user('dana@contoso.com'), 'help'));
    expect(response.status).toBe(401);
  });
});

describe('other methods on /api/messages', () => {
  it('HEAD and GET get 405 with Allow: POST, and no error log line', async () => {
    const lines = h.logLines.length;
    for (const method of ['HEAD', 'GET']) {
      const answer = await rawRequest(h.bot.url, { method });
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe('POST');
    }
    const added = levels(h).slice(lines);
    expect(added.filter((l) => l.level >= 40)).toEqual([]);
  });
});
