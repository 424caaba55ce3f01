import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../cards/render.js';

/** Answers an Action.Execute click with a card that replaces the card for the clicker only. */
export async function replyWithCard(context: TurnContext, card: AdaptiveCardJson): Promise<void> {
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: {
      status: 200,
      body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card },
    },
  });
}

/**
 * Asks Teams for the clicker's SSO token: Teams silently fetches it (or shows the sign-in button) and
 * repeats the same click with `value.authentication.token` (Teams "SSO for Universal Actions").
 */
export async function replyWithLoginRequest(
  context: TurnContext,
  sso: { resource: string; connectionName: string; signInUrl: string },
): Promise<void> {
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: {
      status: 401,
      body: {
        statusCode: 401,
        type: 'application/vnd.microsoft.activity.loginRequest',
        value: {
          text: 'Sign in to TapDesk so it can act as you',
          connectionName: sso.connectionName,
          tokenExchangeResource: { id: crypto.randomUUID(), uri: sso.resource },
          buttons: [{ title: 'Sign in', type: 'signin', value: sso.signInUrl }],
        },
      },
    },
  });
}
