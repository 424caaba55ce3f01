import { problem, type Problem, type ProblemContext } from '../errors/catalog.js';
import type { GraphFailure } from './failure.js';

export interface FailureContext extends ProblemContext {
  /** A write whose result we cannot know must be reported as unknown, never as "nothing happened". */
  operation: 'read' | 'create';
  /** Why a 403 happened, when the caller's and target's roles were read beforehand. */
  forbiddenBecause?: 'role' | 'privileged-target' | 'self' | 'approver-role' | 'approver-not-privileged';
}

const LIFETIME_RANGE = /valid range between (\d+) and (\d+)/i;

/** The one place where Graph's status codes and messages become catalog problems. */
export function problemForGraphFailure(failure: GraphFailure, context: FailureContext): Problem {
  const { status, message } = failure;
  if (status === 401) return problem('SIGNIN_REQUIRED', context);
  if (status === 403) {
    if (context.forbiddenBecause === 'privileged-target') return problem('TAP_TARGET_PRIVILEGED', context);
    if (context.forbiddenBecause === 'self') return problem('TAP_SELF', context);
    if (context.forbiddenBecause === 'role') return problem('TAP_ROLE_MISSING', context);
    if (context.forbiddenBecause === 'approver-role') return problem('APPROVER_ROLE_MISSING', context);
    if (context.forbiddenBecause === 'approver-not-privileged')
      return problem('APPROVER_NOT_PRIVILEGED', context);
    // Graph gives the same "Request Authorization failed" for a missing role and a missing scope;
    // without a role reading, the role is by far the likelier cause.
    return problem('TAP_ROLE_MISSING', context);
  }
  if (status === 404) return problem('TAP_USER_NOT_FOUND', context);
  if (status === 429)
    return problem('TAP_THROTTLED', { ...context, retryAfterSeconds: failure.retryAfterSeconds });
  if (status === 400) {
    const range = LIFETIME_RANGE.exec(message);
    if (range)
      return problem('TAP_LIFETIME_RANGE', { ...context, min: Number(range[1]), max: Number(range[2]) });
    if (/UserCredentialPolicy/i.test(message)) return problem('TAP_POLICY_EXCLUDED', context);
    if (/external guest/i.test(message)) return problem('TAP_GUEST', context);
    return problem('UNEXPECTED', context);
  }
  if (failure.outcomeUnknown) {
    return context.operation === 'create'
      ? problem('TAP_OUTCOME_UNKNOWN', context)
      : problem('TAP_GRAPH_UNAVAILABLE', context);
  }
  return problem('UNEXPECTED', context);
}
