import {
  ActivityTypes,
  ConfigurationBotFrameworkAuthentication,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import { RowStoreStorage } from './turn-state-storage.js';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import type { TapDeskConfig } from '../config.js';
import type { InboundChecks } from '../server.js';
import { onCardAction } from './card-actions.js';
import type { TeamsDeps } from './context.js';
import { turnFields } from './turn-fields.js';
import { onConversationUpdate, onInstallationUpdate } from './welcome.js';
import { readSubmittedCommand } from './submitted-command.js';
import { onMessage } from './message.js';
import { onTokenExchange } from './token-exchange.js';
import { onFileConsent } from './file-consent.js';

const isInvoke = (name: string) => async (context: TurnContext) =>
  context.activity.type === ActivityTypes.Invoke && context.activity.name === name;

/** The Bot Framework settings the adapter and the early token check share, so both judge alike. */
function botFrameworkAuthConfig(config: TapDeskConfig) {
  return {
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  };
}

/** The adapter: CloudAdapter underneath, validating Bot Framework tokens whenever an app id is set. */
export function createAdapter(config: TapDeskConfig): TeamsAdapter {
  return new TeamsAdapter(botFrameworkAuthConfig(config));
}

/**
 * What /api/messages checks before the adapter sees a request: the tenant always, and the Bot
 * Framework token (before reading the body) whenever an app id is configured.
 */
export function inboundChecks(config: TapDeskConfig): InboundChecks {
  return {
    tenantId: config.entraApp.tenantId,
    auth: config.bot.appId
      ? new ConfigurationBotFrameworkAuthentication(botFrameworkAuthConfig(config))
      : undefined,
  };
}

/** A teams-ai Application with TapDesk's options and no routes (the benchmark's baseline uses it too). */
export function createApplication(
  adapter: TeamsAdapter,
  config: TapDeskConfig,
  storage: Storage,
): Application {
  return new Application({
    adapter,
    botAppId: config.bot.appId,
    storage,
    removeRecipientMention: true,
    // Typing indicators while Graph is read; long-running proactive replies are not needed.
    startTypingTimer: true,
  });
}

/** The teams-ai application: a closed set of routes into the core, invokes first. */
export function createTeamsApp(adapter: TeamsAdapter, config: TapDeskConfig, deps: TeamsDeps): Application {
  const app = createApplication(adapter, config, new RowStoreStorage(deps.storage));
  // Clicks must be answered within a few seconds; teams-ai runs invoke routes before anything else.
  // Every handler first agrees with the clock source on "now" (the sandbox can move time) and
  // remembers where this conversation is, for notices and approval cards later.
  const syncedAndRemembered =
    (handler: (context: TurnContext, deps: TeamsDeps) => Promise<void>) => async (context: TurnContext) => {
      await deps.core.clock.sync(AbortSignal.timeout(2_000));
      // Where to reach this conversation later; losing it must not cost the user their answer.
      await deps.conversations
        .remember(context)
        .catch((error: unknown) => deps.core.onBackgroundError('conversation.remember', error));
      await handler(context, deps);
    };
  app.addRoute(isInvoke('adaptiveCard/action'), syncedAndRemembered(onCardAction), true);
  app.addRoute(isInvoke('signin/tokenExchange'), syncedAndRemembered(onTokenExchange), true);
  app.addRoute(isInvoke('fileConsent/invoke'), syncedAndRemembered(onFileConsent), true);
  app.activity(
    ActivityTypes.Message,
    syncedAndRemembered(async (context) => {
      // A welcome button's click arrives without text; its command is then read as if typed.
      readSubmittedCommand(context.activity);
      await onMessage(context, deps);
    }),
  );
  // Being added to a channel, chat or team, or installed for a person: remembering its reference (done
  // by the wrapper) lets approval cards and notices reach it later, and the first of the two
  // announcements of an install is answered with a welcome.
  app.activity(ActivityTypes.ConversationUpdate, syncedAndRemembered(onConversationUpdate));
  app.activity(ActivityTypes.InstallationUpdate, syncedAndRemembered(onInstallationUpdate));
  app.error(async (context, error) => {
    deps.log.error(
      {
        ...turnFields(context),
        event: 'turn.error',
        err: { name: error.name, message: error.message, stack: error.stack },
      },
      'turn.error',
    );
    if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: 500,
          body: {
            statusCode: 500,
            type: 'application/vnd.microsoft.error',
            value: { code: 'UNEXPECTED', message: 'Something went wrong; nothing was issued.' },
          },
        },
      });
    } else {
      await context.sendActivity('Something went wrong on my side and nothing was issued. Please try again.');
    }
  });
  return app;
}
