import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One callback the relay passed on: what the Request Service sent, and what the bot answered. */
export interface RelayedCallback {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/**
 * A loopback HTTP relay in front of the bot's Face Check callback: the sandbox's Request Service posts
 * to it, it forwards to the bot unchanged and keeps a copy, so a test can replay a real callback (its
 * secret header included) or forge one, and the bot's port need not be known before the sandbox starts.
 */
export class CallbackRelay {
  readonly calls: RelayedCallback[] = [];
  private server: Server | undefined;
  target = '';
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        void sendRaw(this.target, req.headers, body).then((status) => {
          this.calls.push({ headers: req.headers, body, status });
          res.statusCode = status;
          res.end();
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/verified-id/callback`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** POSTs a body with the given headers (content-type and api-key among them); the HTTP status. */
export function sendRaw(url: string, headers: IncomingHttpHeaders, body: string): Promise<number> {
  const pass: Record<string, string> = {
    'content-type': String(headers['content-type'] ?? 'application/json'),
  };
  if (typeof headers['api-key'] === 'string') pass['api-key'] = headers['api-key'];
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: pass }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}
