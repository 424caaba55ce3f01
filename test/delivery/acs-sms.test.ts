// The ACS SMS REST call over a local HTTP server: the request it sends, and how each answer is read.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AcsSmsClient } from '../../src/delivery/acs-sms.js';
import { SmsSendError } from '../../src/delivery/sms-port.js';

let server: Server;
let endpoint: string;
let seen: { url: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
let answer: { status: number; body: unknown } = { status: 202, body: {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      seen.push({
        url: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(text) as Record<string, unknown>,
      });
      res.statusCode = answer.status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
});

const client = (url = endpoint) =>
  new AcsSmsClient({ endpoint: url, from: '+18005550100' }, async () => 'token-1', undefined);
const message = { to: '+14255550101', message: 'hello' };

async function failure(run: Promise<unknown>): Promise<SmsSendError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmsSendError);
  return error as SmsSendError;
}

describe('AcsSmsClient', () => {
  it('sends one recipient with a repeatability id, the bearer token and no delivery report', async () => {
    answer = {
      status: 202,
      body: {
        value: [
          {
            to: '+14255550101',
            messageId: 'Outgoing_1',
            httpStatusCode: 202,
            successful: true,
            repeatabilityResult: 'accepted',
          },
        ],
      },
    };
    expect(await client().send(message)).toEqual({ messageId: 'Outgoing_1' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('/sms?api-version=2021-03-07');
    expect(seen[0]!.headers.authorization).toBe('Bearer token-1');
    expect(seen[0]!.body).toMatchObject({
      from: '+18005550100',
      message: 'hello',
      smsRecipients: [
        { to: '+14255550101', repeatabilityRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      ],
      smsSendOptions: { enableDeliveryReport: false },
    });
  });

  it('a recipient refused inside a 202 is a failure that sent nothing; a 5xx may have sent', async () => {
    answer = {
      status: 202,
      body: { value: [{ to: '+14255550101', httpStatusCode: 400, successful: false }] },
    };
    expect(await failure(client().send(message))).toMatchObject({ status: 400, maybeSent: false });
    answer = { status: 503, body: { error: { code: 'ServiceUnavailable' } } };
    expect(await failure(client().send(message))).toMatchObject({ status: 503, maybeSent: true });
    answer = { status: 401, body: {} };
    expect(await failure(client().send(message))).toMatchObject({ status: 401, maybeSent: false });
    // Never retried: one call each.
    expect(seen).toHaveLength(3);
  });

  it('no answer at all may have sent; no token sent nothing', async () => {
    expect(await failure(client('http://127.0.0.1:9/').send(message))).toMatchObject({ maybeSent: true });
    const noToken = new AcsSmsClient(
      { endpoint, from: '+18005550100' },
      () => Promise.reject(new Error('x')),
      undefined,
    );
    expect(await failure(noToken.send(message))).toMatchObject({ maybeSent: false });
    expect(seen).toHaveLength(0);
  });
});
