import type { DirectoryRole } from '../graph/port.js';
import type { HeldRole, RoleReader } from '../graph/role-port.js';
import { activeRole, isPrivileged, privilegeText } from '../tap/privilege.js';
import { forEachConcurrent } from './throttle.js';

/**
 * The bulk's people who hold any directory role, by object id, with why (for the problem list).
 * `$batch` lookups bring each person's active tenant-wide roles; the app-only reader, when
 * configured, adds roles they are only eligible for or hold over an administrative unit, read with
 * at most `concurrency` in flight. The same rule as a single pass: no bulk issues for an admin.
 */
export async function privilegedAmong(
  people: { id: string; roles: DirectoryRole[] }[],
  reader: RoleReader | undefined,
  concurrency: number,
): Promise<Map<string, string>> {
  const held = new Map<string, HeldRole[]>(people.map((p) => [p.id, p.roles.map(activeRole)]));
  if (reader)
    await forEachConcurrent(people, concurrency, async (p) => {
      held.get(p.id)!.push(...(await reader.privilegedRolesOf(p.id)));
    });
  const found = new Map<string, string>();
  for (const [id, roles] of held) if (isPrivileged(roles)) found.set(id, privilegeText(roles));
  return found;
}
