import type { DirectoryRole } from '../graph/port.js';

/** Role template ids from the Entra documentation (graph-tap-contract §2). */
export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
} as const;

/**
 * Roles an Authentication Administrator may still issue a pass for. Entra names them, not their ids,
 * in its documentation, and their ids are stable role template ids.
 */
const LOW_ROLE_TEMPLATE_IDS = new Set([
  ROLE.authenticationAdministrator,
  '88d8e3e3-8f55-4a1e-953a-9b9898b8876b', // Directory Readers
  '95e79109-95c0-4d8e-aee3-d01accf2d47b', // Guest Inviter
  '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b', // Message Center Reader
  '966707d0-3269-4727-9be2-8c3a10f19b9d', // Password Administrator
  '4a5d8f65-41da-4de4-8968-e035b65339cf', // Reports Reader
  '27460883-1df1-4691-b032-3b79643e5e63', // User Experience Success Manager
  '75934031-6c7e-415a-99d7-48dbd49e875e', // Usage Summary Reports Reader
]);

export type IssuerStrength = 'none' | 'authentication' | 'privileged';

/** What the caller's active roles let them do with passes. PIM-eligible but inactive roles do not count. */
export function issuerStrength(roles: DirectoryRole[]): IssuerStrength {
  const ids = new Set(roles.map((r) => r.roleTemplateId));
  if (ids.has(ROLE.globalAdministrator) || ids.has(ROLE.privilegedAuthenticationAdministrator)) {
    return 'privileged';
  }
  return ids.has(ROLE.authenticationAdministrator) ? 'authentication' : 'none';
}

/** True when only a Privileged Authentication Administrator (or Global Administrator) may act on this user. */
export function isPrivilegedTarget(roles: DirectoryRole[]): boolean {
  return roles.some((r) => !LOW_ROLE_TEMPLATE_IDS.has(r.roleTemplateId));
}

/** Who may read TapDesk's audit trail: anyone who may issue passes, and Global Readers. */
export function mayReadAudit(roles: DirectoryRole[]): boolean {
  return issuerStrength(roles) !== 'none' || roles.some((r) => r.roleTemplateId === ROLE.globalReader);
}
