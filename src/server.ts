import restify from 'restify';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Application } from '@microsoft/teams-ai';
import type { Logger } from './log.js';

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
  server.on('restifyError', (req, _res, err, callback) => {
    log.warn(
      { event: 'http.error', path: req.path(), status: err.statusCode, message: err.message },
      'http.error',
    );
    return callback();
  });
  return server;
}
