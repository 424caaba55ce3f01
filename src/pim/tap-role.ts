import type { EligibleRole } from '../graph/pim-port.js';
import { ROLE } from '../tap/roles.js';

/**
 * The roles that let their holder create passes, least privileged first: when someone is eligible for
 * several, TapDesk offers the smallest one that does the job.
 */
const TAP_ROLES_LEAST_FIRST: readonly string[] = [
  ROLE.authenticationAdministrator,
  ROLE.privilegedAuthenticationAdministrator,
  ROLE.globalAdministrator,
];

/**
 * The eligible role to offer for issuing passes, or undefined. Only tenant-wide eligibilities count:
 * TapDesk's issuer check reads tenant-wide roles, so a role scoped to an administrative unit would
 * be activated and still not let the card go on.
 */
export function tapRoleToActivate(eligible: readonly EligibleRole[]): EligibleRole | undefined {
  for (const template of TAP_ROLES_LEAST_FIRST) {
    const found = eligible.find(
      (r) => r.directoryScopeId === '/' && r.roleDefinitionId.toLowerCase() === template,
    );
    if (found) return found;
  }
  return undefined;
}
