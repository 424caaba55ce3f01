import type { TurnContext } from 'botbuilder';

/** Fields that identify a turn in logs without any user content. */
export function turnFields(context: TurnContext): Record<string, unknown> {
  const a = context.activity;
  return {
    activityId: a.id,
    type: a.type,
    name: a.name,
    conversationType: a.conversation?.conversationType,
    userOid: a.from?.aadObjectId,
  };
}
