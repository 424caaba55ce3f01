import { problem, type Problem, type ProblemCode } from '../errors/catalog.js';
import { problemForGraphFailure } from '../graph/errors.js';
import type { GraphFailure } from '../graph/failure.js';

/** PIM's rule names (next-wave §2.5) and the answer for each, the first failed rule in this order first. */
const RULE_ANSWERS: ReadonlyArray<[rule: string, code: ProblemCode]> = [
  ['EligibilityRule', 'PIM_NOT_ELIGIBLE'],
  ['JustificationRule', 'PIM_JUSTIFICATION_REQUIRED'],
  ['TicketingRule', 'PIM_TICKET_REQUIRED'],
  ['ExpirationRule', 'PIM_DURATION_TOO_LONG'],
  ['MfaRule', 'PIM_MFA_REQUIRED'],
];

/** The rule names in "The following policy rules failed: ["JustificationRule", …]". */
export function failedRules(message: string): string[] {
  const list = /\[([^\]]*)\]/.exec(message)?.[1] ?? '';
  return [...list.matchAll(/"([A-Za-z]+)"/g)].map((m) => m[1]!);
}

/** What an activation refusal means: the role is already active (carry on), or the answer to give. */
export type ActivationRefusal = { kind: 'already-active' } | { kind: 'problem'; problem: Problem };

/**
 * Maps PIM's refusal of a selfActivate to the catalog. Each rule gets its own answer; an MFA rule or
 * an authentication context cannot be satisfied from a chat, so their answers point to the portal.
 */
export function activationRefusal(error: GraphFailure, roleName: string): ActivationRefusal {
  const ctx = { detail: roleName };
  if (error.code === 'RoleAssignmentExists') return { kind: 'already-active' };
  if (error.code === 'RoleAssignmentRequestAcrsValidationFailed')
    return { kind: 'problem', problem: problem('PIM_AUTH_CONTEXT_REQUIRED', ctx) };
  if (error.code === 'PendingRoleAssignmentRequest')
    return { kind: 'problem', problem: problem('PIM_ACTIVATION_PENDING', ctx) };
  if (error.code === 'RoleAssignmentRequestPolicyValidationFailed') {
    const rules = failedRules(error.message);
    const answer = RULE_ANSWERS.find(([rule]) => rules.includes(rule));
    return { kind: 'problem', problem: problem(answer?.[1] ?? 'PIM_ACTIVATION_FAILED', ctx) };
  }
  // Throttling, outages and timeouts have their own answers already.
  if (error.status === 0 || error.status === 429 || error.status >= 500)
    return { kind: 'problem', problem: problemForGraphFailure(error, { operation: 'read' }) };
  return { kind: 'problem', problem: problem('PIM_ACTIVATION_FAILED', ctx) };
}
