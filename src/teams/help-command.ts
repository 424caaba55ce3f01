import type { Turn } from './turn.js';
import { helpTextFor } from '../cards/render.js';
import { issuerStrength, mayReadAudit } from '../tap/roles.js';

/** `help`, adapted to what the caller's active Entra roles let them do. */
export async function runHelp(turn: Turn): Promise<void> {
  const graph = await turn.graph();
  const seesEligibleRoles = turn.deps.core.roleReader !== undefined;
  const signal = AbortSignal.timeout(5_000);
  const [roles, policy] = await Promise.all([graph.getRoles('me', signal), graph.getTapPolicy(signal)]);
  const canIssue = issuerStrength(roles) !== 'none';
  await turn.context.sendActivity(
    helpTextFor({
      canIssue,
      canReadAudit: mayReadAudit(roles),
      canReadPolicy: policy !== null,
      seesEligibleRoles,
    }),
  );
}
