import { ActivityTypes, type TurnContext } from 'botbuilder';
import { actorOf } from './actor.js';
import type { TeamsDeps } from './context.js';
import { turnFields } from './turn-fields.js';
import { runActing } from './message.js';
import { startTurn } from './turn.js';

/**
 * Teams answers our OAuth card with the user's SSO token (`signin/tokenExchange`). We keep it in
 * memory for later turns and replay the command that was waiting for it. A token we cannot use gets
 * 412, which tells Teams to fall back to the sign-in button.
 */
export async function onTokenExchange(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const actor = actorOf(context.activity);
  const value = context.activity.value as
    { id?: unknown; token?: unknown; connectionName?: unknown } | undefined;
  const token = typeof value?.token === 'string' ? value.token : '';
  // A token naming someone other than the sender is refused like an unusable one, never kept.
  if (!actor || !token || !deps.graph.remember(context, actor.oid, token)) {
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: {
        status: 412,
        body: {
          id: value?.id,
          connectionName: value?.connectionName,
          failureDetail: 'The bot could not use this token.',
        },
      },
    });
    return;
  }
  deps.log.info({ ...turnFields(context), event: 'sso.token_received' }, 'sso.token_received');
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body: { id: value?.id } },
  });
  const waiting = deps.waiting.take(actor.oid, context.activity.conversation.id);
  const turn = startTurn(context, deps);
  if (waiting && turn) await runActing(turn, waiting);
}
