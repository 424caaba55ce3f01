import { problem, type Problem } from '../errors/catalog.js';
import { kindOf } from './click-rules.js';
import type { RequestState, TapRequest } from './request.js';

// States an issue request reaches only through Confirm.
const CONFIRMED: ReadonlySet<RequestState> = new Set([
  'issuing',
  'issued',
  'failed',
  'unknown',
  'replaced',
  'revoking',
  'revoked',
]);

/**
 * The answer to a click that came too late: what the click that got there first did, so a Confirm
 * that lost to a Cancel says "cancelled by …" and a Cancel that lost to a Confirm says "confirmed".
 */
export function alreadyHandled(request: TapRequest | undefined): Problem {
  if (!request) return problem('REQUEST_ALREADY_USED');
  const who = request.target?.userPrincipalName ?? request.query;
  if (request.state === 'cancelled')
    return problem('REQUEST_ALREADY_USED', {
      who,
      decision: 'cancelled',
      deciderName: request.requester.name,
    });
  const kind = kindOf(request);
  if ((kind === 'issue' || kind === 'onboard') && CONFIRMED.has(request.state))
    return problem('REQUEST_ALREADY_USED', {
      who,
      decision: 'confirmed',
      deciderName: request.requester.name,
      usedAt: request.usedAt,
    });
  return problem('REQUEST_ALREADY_USED', { who, usedAt: request.usedAt });
}
