import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Framework connector (its serviceUrl). */
export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  activityId?: string;
  activity: Record<string, unknown>;
}

/**
 * A recording Bot Framework connector: accepts sends (POST) and updates (PUT) like the real
 * service, answers with activity ids, and keeps everything for assertions.
 */
export class RecordingConnector {
  readonly calls: ConnectorCall[] = [];
  private server: Server | undefined;
  private nextId = 1;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
        if (!match) {
          res.statusCode = 404;
          res.end();
          return;
        }
        const activity = body ? (JSON.parse(body) as Record<string, unknown>) : {};
        this.calls.push({
          method: req.method ?? '',
          path: req.url ?? '',
          conversationId: decodeURIComponent(match[1]!),
          activityId: match[2] ? decodeURIComponent(match[2]) : undefined,
          activity,
        });
        const id =
          req.method === 'PUT' && match[2] ? decodeURIComponent(match[2]) : `activity-${this.nextId++}`;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** Messages sent (not typing indicators). */
  sent(): ConnectorCall[] {
    return this.calls.filter((c) => c.method === 'POST' && c.activity.type === 'message');
  }

  updates(): ConnectorCall[] {
    return this.calls.filter((c) => c.method === 'PUT');
  }

  /** Everything the bot said, as one string, for canary scans. */
  allText(): string {
    return JSON.stringify(this.calls);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
