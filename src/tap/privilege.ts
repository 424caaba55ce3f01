import type { DirectoryRole, TapGraph } from '../graph/port.js';
import type { HeldRole, RoleReader } from '../graph/role-port.js';

/** A role from the delegated `transitiveMemberOf` read: active and tenant-wide by what that read lists. */
export const activeRole = (r: DirectoryRole): HeldRole => ({ ...r, assignment: 'active', scope: '/' });

/**
 * Every role TapDesk can see for the person: the clicker's delegated read (active, tenant-wide, also
 * through role-assignable groups) and, when configured, the app-only read (eligible and scoped too).
 * Throws GraphFailure when either read fails: a privilege check never guesses.
 */
export async function rolesHeldBy(
  graph: TapGraph,
  reader: RoleReader | undefined,
  userId: string,
  signal?: AbortSignal,
): Promise<HeldRole[]> {
  const [delegated, app] = await Promise.all([
    graph.getRoles(userId, signal),
    reader ? reader.privilegedRolesOf(userId, signal) : Promise.resolve([]),
  ]);
  return [...delegated.map(activeRole), ...app];
}

/**
 * TapDesk's rule, stricter than Entra's: anyone holding any directory role (active or eligible, any
 * scope, built-in or custom) is privileged, and a pass for them always needs a second admin.
 * A pass is enough to activate an eligible role, and Entra's own rules for eligible and scoped
 * holders are not documented, so TapDesk does not rely on them.
 */
export const isPrivileged = (roles: readonly HeldRole[]): boolean => roles.length > 0;

/** "eligible Global Administrator", "Helpdesk Administrator (administrative unit)": why, for cards. */
export function privilegeText(roles: readonly HeldRole[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const role of roles) {
    const scoped = role.scope !== '/' ? ' (administrative unit)' : '';
    const text = `${role.assignment === 'eligible' ? 'eligible ' : ''}${role.displayName}${scoped}`;
    if (!seen.has(text) && seen.add(text)) parts.push(text);
  }
  return parts.join(', ');
}
