import type { TurnContext } from 'botbuilder';
import { helpTextFor } from '../cards/render.js';
import type { TapGraph } from '../graph/port.js';
import { issuerStrength, mayReadAudit } from '../tap/roles.js';

/** `help`, adapted to what the caller's active Entra roles let them do. */
export async function runHelp(
  context: TurnContext,
  graph: TapGraph,
  seesEligibleRoles: boolean,
): Promise<void> {
  const signal = AbortSignal.timeout(5_000);
  const [roles, policy] = await Promise.all([graph.getRoles('me', signal), graph.getTapPolicy(signal)]);
  const canIssue = issuerStrength(roles) !== 'none';
  await context.sendActivity(
    helpTextFor({
      canIssue,
      canReadAudit: mayReadAudit(roles),
      canReadPolicy: policy !== null,
      seesEligibleRoles,
    }),
  );
}
