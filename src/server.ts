import restify from 'restify';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Application } from '@microsoft/teams-ai';
import type { Logger } from './log.js';
import { refuseUnauthenticated, type TokenCheck } from './http/inbound-auth.js';
import { readJsonObject, refuseByHeaders, type Refusal } from './http/inbound-body.js';
import { admitTenant } from './teams/tenant-gate.js';

const PRIVACY = [
  'TapDesk privacy statement',
  '',
  'TapDesk runs in your own Azure subscription and keeps its records in your own storage account:',
  'requests (who asked, for whom, state), an audit trail (who did what, for whom, how the person was',
  'verified, what Entra answered), conversation references (where to send notices) and bot turn state.',
  'It never stores, logs or posts a Temporary Access Pass: a pass is shown once, only to the person',
  'who issued it (or, if your admins chose so, revealed once to the person who requested it).',
  'Sign-in tokens are kept in memory only. Your organisation operates TapDesk; ask its IT department',
  'about retention and access to these records.',
].join('\n');

const TERMS = [
  'TapDesk terms of use',
  '',
  'TapDesk is operated by your organisation. It acts in Microsoft Entra ID only with your own',
  "delegated sign-in, so you can do nothing through it that your active roles don't already allow.",
  'Use it only to help people you have verified, following your organisation’s helpdesk procedures.',
].join('\n');

function sendText(res: restify.Response, text: string): void {
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.sendRaw(200, text);
}

export interface InboundChecks {
  /** The only Entra tenant whose activities may run a turn. */
  tenantId: string;
  /** Set whenever a bot app id is configured: the token is checked before the body is read. */
  auth: TokenCheck | undefined;
}

/** Answers a refused request at once, without reading (more of) the body, and logs why, never what. */
function refuse(req: restify.Request, res: restify.Response, log: Logger, refusal: Refusal): void {
  log.warn(
    {
      event: 'http.inbound_refused',
      status: refusal.status,
      reason: refusal.reason,
      detail: refusal.detail,
      contentType: String(req.headers['content-type'] ?? '').slice(0, 80),
      contentLength: req.headers['content-length'],
    },
    'http.inbound_refused',
  );
  // An unread body may still be arriving; closing is cheaper than draining it.
  res.setHeader('connection', 'close');
  res.sendRaw(refusal.status, '');
}

/** restify: POST /api/messages into the adapter, GET /healthz for probes. */
export function createServer(
  adapter: TeamsAdapter,
  app: Application,
  log: Logger,
  mode: string,
  inbound: InboundChecks,
  /**
   * Routes beside /api/messages that authenticate their callers themselves (the request API, the Face
   * Check callback), added before any request is served.
   */
  extraRoutes?: (server: restify.Server) => void,
): restify.Server {
  const server = restify.createServer({ name: 'tapdesk', handleUncaughtExceptions: false });
  // No bodyParser anywhere: it inflates gzip, spools multipart to disk and expands forms before any
  // authentication. The one route with a body reads it itself (http/inbound-body.ts).
  server.post('/api/messages', async (req, res) => {
    const early =
      refuseByHeaders(req) ?? (inbound.auth ? await refuseUnauthenticated(inbound.auth, req) : null);
    if (early) return refuse(req, res, log, early);
    const read = await readJsonObject(req);
    if ('status' in read) return refuse(req, res, log, read);
    // The adapter takes an already parsed body from req.body, as bodyParser would have left it.
    req.body = read.body;
    await adapter.process(req, res, async (context) => {
      // Before any route, turn state or typing indicator: another tenant's activity does nothing here.
      if (await admitTenant(context, inbound.tenantId, log)) await app.run(context);
    });
  });
  // Probes and scanners: say which method works, without an error log line.
  const onlyPost = async (_req: restify.Request, res: restify.Response) => {
    res.setHeader('allow', 'POST');
    res.sendRaw(405, '');
  };
  server.get('/api/messages', onlyPost);
  server.head('/api/messages', onlyPost);
  extraRoutes?.(server);
  server.get('/healthz', async (_req, res) => {
    res.json({ status: 'ok', mode });
  });
  // The Teams app manifest links here; what it says must stay true to what the code does.
  server.get('/privacy', async (_req, res) => sendText(res, PRIVACY));
  server.get('/terms', async (_req, res) => sendText(res, TERMS));
  server.on('restifyError', (req, _res, err, callback) => {
    log.warn(
      { event: 'http.error', path: req.path(), status: err.statusCode, message: err.message },
      'http.error',
    );
    return callback();
  });
  return server;
}
