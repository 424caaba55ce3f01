import { problem, type Problem } from '../errors/catalog.js';
import { GraphFailure } from '../graph/failure.js';

// The Intune "FEF" 403 names the accepted scopes when the token lacks them; any other 403 from the
// device endpoints is Intune's own role check ("User is not authorized to perform this operation").
const SCOPE_MISSING = /Application is not authorized|must have one of the following scopes/i;

/** Maps a failed device read to a catalog problem: a role, a consent, Intune's health, or a bug. */
export function problemForDeviceFailure(failure: GraphFailure): Problem {
  if (failure.status === 401) return problem('SIGNIN_REQUIRED');
  if (failure.status === 403)
    return SCOPE_MISSING.test(failure.message)
      ? problem('DEVICES_NOT_CONSENTED')
      : problem('INTUNE_ROLE_MISSING');
  if (failure.status === 429)
    return problem('DEVICES_UNAVAILABLE', { retryAfterSeconds: failure.retryAfterSeconds });
  if (failure.outcomeUnknown) return problem('DEVICES_UNAVAILABLE');
  return problem('UNEXPECTED');
}
