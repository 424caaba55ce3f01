import type { AddressInfo } from 'node:net';
import { ActivityTypes, CardFactory, MemoryStorage, type TurnContext } from 'botbuilder';
import type { RunningBot } from '../src/bot.js';
import type { TapDeskConfig } from '../src/config.js';
import type { Logger } from '../src/log.js';
import { createServer } from '../src/server.js';
import { createAdapter, createApplication, inboundChecks } from '../src/teams/app.js';

const TINY_CARD = CardFactory.adaptiveCard({
  type: 'AdaptiveCard',
  version: '1.4',
  body: [{ type: 'TextBlock', text: 'Done.' }],
}).content as Record<string, unknown>;

/**
 * The baseline: TapDesk's own adapter and restify server with a teams-ai Application configured like
 * createTeamsApp, but whose handlers do no work. Whatever TapDesk costs beyond this is its logic,
 * its token exchange and its Graph calls.
 */
export async function startEchoBot(config: TapDeskConfig, log: Logger): Promise<RunningBot> {
  const adapter = createAdapter(config);
  const app = createApplication(adapter, config, new MemoryStorage());
  app.addRoute(
    async (context: TurnContext) =>
      context.activity.type === ActivityTypes.Invoke && context.activity.name === 'adaptiveCard/action',
    async (context: TurnContext) => {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: 200,
          body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: TINY_CARD },
        },
      });
    },
    true,
  );
  app.activity(ActivityTypes.Message, async (context) => {
    await context.sendActivity(context.activity.text ?? '');
  });
  const server = createServer(adapter, app, log, 'echo', inboundChecks(config));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/messages`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // restify keeps idle keep-alive sockets from the benchmark client; drop them so close returns.
        server.server.closeAllConnections();
      }),
  };
}
