import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { fileConsentInvoke, fileMessage } from '../helpers/files.js';
import {
  openUploadSession,
  putUserFile,
  readUploadedFile,
  sandboxAdmin,
  setFileFaults,
} from '../helpers/sandbox-admin.js';
import { admin, httpsJson, type Json } from '../helpers/sandbox-http.js';
import type { World } from '../helpers/activities.js';

let sb: SandboxHandle;
let agent: Agent;
const h = () => ({ sandbox: sb });
beforeAll(async () => {
  sb = await startSandbox({ seed: 'files' });
  agent = new Agent({ connect: { ca: sb.caPem } });
});
afterAll(async () => {
  await agent.close();
  await sb.close();
});
beforeEach(async () => {
  await admin(sb, 'POST', '/reset');
});

/** Plain fetch trusting the sandbox CA (what a bot's download/upload code does). */
async function call(url: string, init: RequestInit = {}) {
  const response = await fetch(url, { ...init, dispatcher: agent } as RequestInit);
  const bytes = Buffer.from(await response.arrayBuffer());
  let json: Json;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, bytes, json };
}

const put = (url: string, chunk: Buffer | string, range: string, headers: Record<string, string> = {}) =>
  call(url, { method: 'PUT', body: chunk, headers: { 'Content-Range': range, ...headers } });

const csv =
  'userPrincipalName,lifetimeInMinutes\nalice@contoso.com,60\nbob@contoso.com,90\nkim@contoso.com,60\n';

describe('files a user sends the bot', () => {
  it('returns a ready Teams attachment whose downloadUrl needs its token', async () => {
    const file = await putUserFile(h(), 'wave.csv', csv);
    expect(file.uniqueId).toMatch(/^[0-9a-f-]{36}$/);
    expect(file.fileType).toBe('csv');
    expect(file.downloadUrl).toMatch(
      new RegExp(`^${sb.origin.replace(/\./g, '\\.')}/_files/download/${file.uniqueId}\\?token=[\\w-]+$`),
    );
    expect(file.attachment).toEqual({
      contentType: 'application/vnd.microsoft.teams.file.download.info',
      name: 'wave.csv',
      contentUrl: file.contentUrl,
      content: { downloadUrl: file.downloadUrl, uniqueId: file.uniqueId, fileType: 'csv' },
    });

    const ok = await call(file.downloadUrl);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/octet-stream');
    expect(ok.bytes.toString('utf8')).toBe(csv);

    const url = new URL(file.downloadUrl);
    url.searchParams.delete('token');
    expect((await call(url.toString())).status).toBe(401);
    url.searchParams.set('token', 'guessed');
    expect((await call(url.toString())).status).toBe(401);
    // The URL is the credential: a bot must not send its Graph token along.
    expect((await call(file.downloadUrl, { headers: { Authorization: 'Bearer x' } })).status).toBe(401);
    const unknown = file.downloadUrl.replace(file.uniqueId, '00000000-0000-4000-8000-000000000000');
    expect((await call(unknown)).status).toBe(404);
    // contentUrl is SharePoint's page for the file, not a download.
    expect((await call(file.contentUrl)).status).toBe(401);
    expect((await call(file.downloadUrl, { method: 'POST' })).status).toBe(405);
  });

  it('stops serving the download after expiresInSeconds', async () => {
    const file = await putUserFile(h(), 'wave.csv', csv, { expiresInSeconds: 1 });
    expect((await call(file.downloadUrl)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    const expired = await call(file.downloadUrl);
    expect(expired.status).toBe(404);
    expect(expired.json.error.code).toBe('itemNotFound');
    const stillborn = await putUserFile(h(), 'old.csv', csv, { expiresInSeconds: 0 });
    expect((await call(stillborn.downloadUrl)).status).toBe(404);
  });

  it('takes binary content as base64 and lists every file', async () => {
    const bytes = Buffer.from([0xef, 0xbb, 0xbf, 0x00, 0xff, 0x41]);
    const file = await putUserFile(h(), 'Data.TXT', bytes);
    expect(file.fileType).toBe('txt');
    expect((await call(file.downloadUrl)).bytes.equals(bytes)).toBe(true);
    const listed = (await sandboxAdmin(h(), 'GET', '/files')) as Json;
    expect(listed.files).toEqual([
      { uniqueId: file.uniqueId, name: 'Data.TXT', source: 'user', size: 6, complete: true },
    ]);
    expect(await readUploadedFile(h(), file.uniqueId)).toMatchObject({
      size: 6,
      complete: true,
      putCount: 0,
    });
  });

  it('validates admin input', async () => {
    const refused = async (path: string, body: unknown) => {
      const result = await admin(sb, 'POST', path, body);
      expect(result.status).toBe(400);
      return result.body.error.message as string;
    };
    expect(await refused('/files', { name: 'a/b.csv', content: 'x' })).toMatch(/name must be a file name/);
    expect(await refused('/files', { name: '', content: 'x' })).toMatch(/name must be a file name/);
    expect(await refused('/files', { name: 'a.csv' })).toMatch(/exactly one of content/);
    expect(await refused('/files', { name: 'a.csv', content: 'x', contentBase64: 'eA==' })).toMatch(
      /exactly one/,
    );
    expect(await refused('/files', { name: 'a.csv', contentBase64: 'not base64!' })).toMatch(/base64/);
    expect(await refused('/files', { name: 'a.csv', content: 'x', expiresInSeconds: -1 })).toMatch(
      /expiresInSeconds/,
    );
    expect(await refused('/files', { name: 'a.csv', content: 'x', extra: 1 })).toBe('unknown field extra');
    expect(await refused('/files/consent', { name: 'x:y.csv' })).toMatch(/name must be a file name/);
    expect(await refused('/files/faults', { failUploads: -1 })).toBe('failUploads must be an integer >= 0');
    expect(await refused('/files/faults', { failUploads: 1.5 })).toBe('failUploads must be an integer >= 0');
    expect((await admin(sb, 'GET', '/files/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await admin(sb, 'GET', '/files/nope')).status).toBe(404);
  });
});

describe('files the bot uploads after consent', () => {
  it('accepts three chunks in order, then serves what arrived', async () => {
    const info = await openUploadSession(h(), 'passes.csv');
    expect(info).toEqual({
      contentUrl: expect.stringContaining(`${sb.origin}/_files/content/${info.uniqueId}/`),
      name: 'passes.csv',
      uploadUrl: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/_files\/upload\/[\w-]{20,}$/),
      fileType: 'csv',
      uniqueId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const bytes = Buffer.from(`${csv}dana@contoso.com,30,ünïcödé\n`);
    const total = bytes.length;
    const cuts = [0, 40, 80, total];
    for (let i = 0; i < 3; i++) {
      const [start, end] = [cuts[i]!, cuts[i + 1]!];
      const answer = await put(
        info.uploadUrl,
        bytes.subarray(start, end),
        `bytes ${start}-${end - 1}/${total}`,
      );
      if (i < 2) {
        expect(answer.status).toBe(202);
        expect(answer.json.nextExpectedRanges).toEqual([`${end}-`]);
        expect(Date.parse(answer.json.expirationDateTime)).toBeGreaterThan(Date.now());
        const status = await call(info.uploadUrl);
        expect(status.json.nextExpectedRanges).toEqual([`${end}-`]);
      } else {
        expect(answer.status).toBe(201);
        expect(answer.json).toMatchObject({
          name: 'passes.csv',
          size: total,
          file: { mimeType: 'text/csv' },
        });
        expect(answer.json.id).toEqual(expect.any(String));
      }
    }
    const stored = await readUploadedFile(h(), info.uniqueId);
    expect(stored).toMatchObject({ name: 'passes.csv', size: total, complete: true, putCount: 3 });
    expect(stored.content).toBe(bytes.toString('utf8'));
    // The session is gone once complete.
    expect((await put(info.uploadUrl, 'x', `bytes 0-0/${total}`)).status).toBe(404);
  });

  it('answers 416 for an out-of-order or overlapping chunk and keeps the session usable', async () => {
    const info = await openUploadSession(h(), 'passes.csv');
    const skipped = await put(info.uploadUrl, 'world', 'bytes 5-9/10');
    expect(skipped.status).toBe(416);
    expect(skipped.json.error.code).toBe('invalidRange');
    expect((await put(info.uploadUrl, 'hello', 'bytes 0-4/10')).status).toBe(202);
    expect((await put(info.uploadUrl, 'lo', 'bytes 3-4/10')).status).toBe(416);
    expect((await put(info.uploadUrl, 'world', 'bytes 5-9/10')).status).toBe(201);
    expect(await readUploadedFile(h(), info.uniqueId)).toMatchObject({
      content: 'helloworld',
      complete: true,
      putCount: 2,
    });
  });

  it('answers 404 for an unknown session and validates every PUT', async () => {
    const unknown = await put(`${sb.origin}/_files/upload/no-such-session`, 'x', 'bytes 0-0/1');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('itemNotFound');

    const info = await openUploadSession(h(), 'passes.csv');
    expect((await call(info.uploadUrl, { method: 'PUT', body: 'abc' })).status).toBe(400);
    const garbled = await put(info.uploadUrl, 'abc', 'bytes=0-2/3');
    expect(garbled.status).toBe(400);
    expect(garbled.json.error.code).toBe('invalidRequest');
    expect((await put(info.uploadUrl, 'abc', 'bytes 2-0/3')).status).toBe(400);
    expect((await put(info.uploadUrl, 'abc', 'bytes 0-2/2')).status).toBe(400);
    expect((await put(info.uploadUrl, 'abcd', 'bytes 0-2/3')).status).toBe(400);
    expect((await put(info.uploadUrl, 'abc', 'bytes 0-2/3', { Authorization: 'Bearer x' })).status).toBe(401);
    const chunked = await httpsJson(sb, 'PUT', info.uploadUrl, 'abc', { 'Content-Range': 'bytes 0-2/3' });
    expect(chunked.status).toBe(411);
    const declared = await put(info.uploadUrl, 'abc', `bytes 0-2/${10 * 1024 * 1024 + 1}`);
    expect(declared.status).toBe(413);
    const huge = Buffer.alloc(10 * 1024 * 1024 + 1, 0x41);
    expect((await put(info.uploadUrl, huge, `bytes 0-${huge.length - 1}/${huge.length}`)).status).toBe(413);
    // None of that was stored.
    expect(await readUploadedFile(h(), info.uniqueId)).toMatchObject({
      size: 0,
      complete: false,
      putCount: 0,
    });
    expect((await put(info.uploadUrl, 'abc', 'bytes 0-2/3')).status).toBe(201);
  });

  it('fails the next N upload PUTs with 503 when asked', async () => {
    expect(await setFileFaults(h(), { failUploads: 2 })).toEqual({ failUploads: 2 });
    const info = await openUploadSession(h(), 'passes.csv');
    for (let i = 0; i < 2; i++) {
      const failed = await put(info.uploadUrl, 'abc', 'bytes 0-2/3');
      expect(failed.status).toBe(503);
      expect(failed.headers.get('retry-after')).toBe('1');
      expect(failed.json.error.code).toBe('serviceNotAvailable');
    }
    expect((await sandboxAdmin(h(), 'GET', '/files/faults')) as Json).toEqual({ failUploads: 0 });
    expect((await put(info.uploadUrl, 'abc', 'bytes 0-2/3')).status).toBe(201);
    expect(await readUploadedFile(h(), info.uniqueId)).toMatchObject({ content: 'abc', putCount: 1 });
  });

  it('renames a second upload with the same name, as OneDrive does', async () => {
    const first = await openUploadSession(h(), 'passes.csv');
    const second = await openUploadSession(h(), 'passes.csv');
    const third = await openUploadSession(h(), 'passes.csv');
    expect([first.name, second.name, third.name]).toEqual(['passes.csv', 'passes (1).csv', 'passes (2).csv']);
    expect(new Set([first.uniqueId, second.uniqueId, third.uniqueId]).size).toBe(3);
    expect(new Set([first.uploadUrl, second.uploadUrl, third.uploadUrl]).size).toBe(3);
  });

  it('forgets files, sessions and upload faults on reset', async () => {
    const user = await putUserFile(h(), 'wave.csv', csv);
    const info = await openUploadSession(h(), 'passes.csv');
    expect((await put(info.uploadUrl, 'ab', 'bytes 0-1/4')).status).toBe(202);
    await setFileFaults(h(), { failUploads: 5 });
    await admin(sb, 'POST', '/reset');
    expect((await call(user.downloadUrl)).status).toBe(404);
    expect((await put(info.uploadUrl, 'cd', 'bytes 2-3/4')).status).toBe(404);
    expect((await admin(sb, 'GET', `/files/${info.uniqueId}`)).status).toBe(404);
    expect((await admin(sb, 'GET', '/files')).body).toEqual({ files: [] });
    expect((await admin(sb, 'GET', '/files/faults')).body).toEqual({ failUploads: 0 });
    expect((await openUploadSession(h(), 'passes.csv')).name).toBe('passes.csv');
  });
});

describe('Teams file activities', () => {
  it('builds the file message and the consent invoke like other activities', async () => {
    const world = { connector: { url: 'http://127.0.0.1:9/connector' }, sandbox: sb } as unknown as World;
    const dana = sb.tenant.users.find((u) => u.userPrincipalName === 'dana@contoso.com')!;
    const file = await putUserFile(h(), 'wave.csv', csv);
    const withText = fileMessage(world, dana, file.attachment, 'issue these');
    expect(withText).toMatchObject({
      type: 'message',
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:9/connector',
      text: 'issue these',
      from: { id: dana.teamsUserId, aadObjectId: dana.id },
      conversation: { id: `a:1:${dana.id}`, conversationType: 'personal', tenantId: sb.tenantId },
      channelData: { tenant: { id: sb.tenantId } },
      attachments: [file.attachment],
    });
    expect(JSON.parse(JSON.stringify(fileMessage(world, dana, file.attachment)))).not.toHaveProperty('text');

    const uploadInfo = await openUploadSession(h(), 'passes.csv');
    const accept = fileConsentInvoke(
      world,
      dana,
      { action: 'accept', context: { wave: 'w1' }, uploadInfo },
      { replyToId: 'card-1' },
    );
    expect(accept).toMatchObject({
      type: 'invoke',
      name: 'fileConsent/invoke',
      replyToId: 'card-1',
      from: { aadObjectId: dana.id },
      value: { type: 'fileUpload', action: 'accept', context: { wave: 'w1' }, uploadInfo },
    });
    const decline = fileConsentInvoke(world, dana, { action: 'decline', context: { wave: 'w1' } });
    expect(decline.value).toEqual({ type: 'fileUpload', action: 'decline', context: { wave: 'w1' } });
  });
});
