import type { ProblemCode } from '../errors/catalog.js';
import type { DirectoryUser } from '../graph/port.js';

/** External guests never get a pass (Entra refuses them); Graph marks them by type or by #EXT# UPN. */
export const isGuest = (u: DirectoryUser) => u.userType === 'Guest' || /#EXT#@/i.test(u.userPrincipalName);

/** Why a person cannot get a pass through this path, as a catalog code. */
export type Barrier = Extract<
  ProblemCode,
  'TAP_USER_NOT_FOUND' | 'TAP_SELF' | 'TAP_GUEST' | 'TAP_TARGET_PRIVILEGED'
>;

/**
 * The one place that says who may not get a pass, for single issues, approval requests, bulk
 * validation and the bulk's re-check before its first create: nobody unknown, never the asker
 * themselves (Entra forbids it), never an external guest, and, unless a second admin approves (the
 * approval path), nobody holding a directory role. Null when none of these stand in the way.
 */
export function barrierFor(
  user: DirectoryUser | null | undefined,
  requesterOid: string,
  privileged: boolean,
  path: 'direct' | 'approval',
): Barrier | null {
  if (!user) return 'TAP_USER_NOT_FOUND';
  if (user.id === requesterOid) return 'TAP_SELF';
  if (isGuest(user)) return 'TAP_GUEST';
  if (privileged && path === 'direct') return 'TAP_TARGET_PRIVILEGED';
  return null;
}
