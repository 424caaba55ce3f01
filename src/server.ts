import restify from 'restify';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Application } from '@microsoft/teams-ai';
import type { Logger } from './log.js';

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

/** restify: POST /api/messages into the adapter, GET /healthz for probes. */
export function createServer(
  adapter: TeamsAdapter,
  app: Application,
  log: Logger,
  mode: string,
): restify.Server {
  const server = restify.createServer({ name: 'tapdesk', handleUncaughtExceptions: false });
  // Bot Framework activities are small; a large body is a mistake or an attack.
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (context) => {
      await app.run(context);
    });
  });
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
