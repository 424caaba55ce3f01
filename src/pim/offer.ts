import { problem, type Problem } from '../errors/catalog.js';
import type { EligibleRole, PimGraph } from '../graph/pim-port.js';
import type { TapGraph } from '../graph/port.js';
import type { CoreDeps } from '../tap/core-deps.js';
import { newRequest, toCandidate, type PrepareInput } from '../tap/prepare.js';
import type { TapRequest } from '../tap/request.js';
import { resolveTarget } from '../tap/resolve.js';
import { tapRoleToActivate } from './tap-role.js';

export type ActivationOffer =
  { kind: 'offer'; request: TapRequest; role: EligibleRole } | { kind: 'problem'; problem: Problem };

const READ_TIMEOUT_MS = 5_000;

/**
 * The clicker holds no role that can create passes: if they are eligible for one in PIM, the refusal
 * offers to activate it. The request is stored as it stands (the person found, not yet planned) with
 * the role to activate, so after the activation it goes on without retyping. Undefined when they are
 * eligible for no such role: the plain refusal stands. Throws GraphFailure or the token's errors when
 * the eligibility cannot be read; the caller keeps the plain refusal then.
 */
export async function offerActivation(
  deps: CoreDeps,
  graph: TapGraph,
  pim: PimGraph,
  input: PrepareInput,
): Promise<ActivationOffer | undefined> {
  const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
  const role = tapRoleToActivate(await pim.myEligibleRoles(signal));
  if (!role) return undefined;
  const who = input.command.who;
  const resolution = await resolveTarget(graph, who, signal);
  if (resolution.kind === 'none') return { kind: 'problem', problem: problem('TAP_USER_NOT_FOUND', { who }) };
  const users = resolution.kind === 'one' ? [resolution.user] : resolution.users;
  const stored = await deps.requests.add({
    ...newRequest(deps, input, deps.clock.now()),
    state: 'choosing',
    candidates: users.map(toCandidate),
    activation: role,
  });
  return { kind: 'offer', request: stored.value, role };
}
