import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Bot Framework connector stand-in for the benchmark. Unlike the test helper's RecordingConnector it
 * keeps only counters and the last message per conversation, so memory and work stay flat over
 * thousands of turns (it shares the event loop with the bots being measured).
 */
export class BenchConnector {
  counts = { messages: 0, confirmCards: 0, typing: 0, updates: 0, other: 0 };
  private readonly lastMessage = new Map<string, { id: string; body: string }>();
  private server: Server | undefined;
  private nextId = 1;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
        if (!match) {
          res.statusCode = 404;
          res.end();
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        const id =
          req.method === 'PUT' && match[2] ? decodeURIComponent(match[2]) : `activity-${this.nextId++}`;
        // A substring test instead of JSON.parse: cheap, and enough to tell typing from messages.
        if (req.method === 'PUT') this.counts.updates++;
        else if (body.includes('"type":"typing"')) this.counts.typing++;
        else if (body.includes('"type":"message"')) {
          this.counts.messages++;
          // Only confirmation cards are remembered: proactive notices to the same chat interleave.
          if (body.includes('"verb":"tap.confirm"')) {
            this.counts.confirmCards++;
            this.lastMessage.set(decodeURIComponent(match[1]!), { id, body });
          }
        } else this.counts.other++;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** The last confirmation card the bot sent into a conversation: the id we gave it and the parsed activity. */
  last(conversationId: string): { id: string; activity: unknown } | undefined {
    const found = this.lastMessage.get(conversationId);
    return found ? { id: found.id, activity: JSON.parse(found.body) as unknown } : undefined;
  }

  resetCounts(): void {
    this.counts = { messages: 0, confirmCards: 0, typing: 0, updates: 0, other: 0 };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}
