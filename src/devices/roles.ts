import type { DirectoryRole } from '../graph/port.js';
import { ROLE } from '../tap/roles.js';

/** The Entra role with full Intune rights (role template id, as published). */
export const INTUNE_ADMINISTRATOR = '3a2c62db-5318-420d-8d74-23affee5d9d5';

/**
 * True when the caller's active Entra roles let Intune show them Autopilot devices. Only a hint, for
 * help: Intune's own RBAC roles are not Entra roles, and Intune itself decides on every read.
 */
export function mayFindDevices(roles: DirectoryRole[]): boolean {
  return roles.some(
    (r) => r.roleTemplateId === INTUNE_ADMINISTRATOR || r.roleTemplateId === ROLE.globalAdministrator,
  );
}
