import type { TurnContext } from 'botbuilder';
import type { Logger } from '../log.js';
import type { CoreDeps } from '../tap/prepare.js';
import type { GraphAccess } from './graph-access.js';

/** What the Teams handlers need; built once in teams/app.ts. */
export interface TeamsDeps {
  core: CoreDeps;
  graph: GraphAccess;
  log: Logger;
  mode: 'sandbox' | 'entra';
  sso: { resource: string; connectionName: string; signInUrl: string };
}

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
