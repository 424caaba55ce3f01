import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Framework connector (its serviceUrl). */
export interface ConnectorCall {
  at: number;
  method: string;
  path: string;
  conversationId: string;
  activityId?: string;
  activity: Record<string, unknown>;
  /** The id the connector answered with: a new one for a send, the updated one for a PUT. */
  assignedId: string;
}

const isReplyToTest = (c: ConnectorCall) => c.activityId?.startsWith('test-') === true;

/**
 * A recording Bot Framework connector: accepts sends (POST) and updates (PUT) like the real
 * service, answers with activity ids, and keeps everything for assertions.
 */
export class RecordingConnector {
  readonly calls: ConnectorCall[] = [];
  private server: Server | undefined;
  private nextId = 1;
  private throttled = 0;
  private retryAfterSeconds = 1;
  /** Proactive sends answered with 429. */
  readonly refused: { at: number; conversationId: string }[] = [];

  /** Answers the next `count` proactive sends with 429 and this Retry-After. */
  throttleProactive(count: number, retryAfterSeconds: number): void {
    this.throttled = count;
    this.retryAfterSeconds = retryAfterSeconds;
  }
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
        if (req.method === 'POST' && this.throttled > 0 && !match[2]?.startsWith('test-')) {
          // Teams' answer to a bot sending too fast: 429 with Retry-After (seconds).
          this.throttled -= 1;
          this.refused.push({ at: Date.now(), conversationId: decodeURIComponent(match[1]!) });
          res.statusCode = 429;
          res.setHeader('retry-after', String(this.retryAfterSeconds));
          res.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'slow down' } }));
          return;
        }
        const id =
          req.method === 'PUT' && match[2] ? decodeURIComponent(match[2]) : `activity-${this.nextId++}`;
        this.calls.push({
          at: Date.now(),
          method: req.method ?? '',
          path: req.url ?? '',
          conversationId: decodeURIComponent(match[1]!),
          activityId: match[2] ? decodeURIComponent(match[2]) : undefined,
          activity,
          assignedId: id,
        });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** Messages answering an activity the test sent (their ids start with "test-"), not typing indicators. */
  sent(): ConnectorCall[] {
    return this.calls.filter((c) => c.method === 'POST' && c.activity.type === 'message' && isReplyToTest(c));
  }

  /**
   * Proactive messages (notices). botbuilder posts them as replies to the synthetic activity of
   * continueConversation, so they are told apart by not answering anything the test sent.
   */
  proactive(conversationId?: string): ConnectorCall[] {
    return this.calls.filter(
      (c) =>
        c.method === 'POST' &&
        c.activity.type === 'message' &&
        !isReplyToTest(c) &&
        (conversationId === undefined || c.conversationId === conversationId),
    );
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
