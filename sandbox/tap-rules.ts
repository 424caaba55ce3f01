import { RoleTemplate, type Directory } from './directory.js';
import type { FixtureUser, TapPolicy } from './fixture.js';

/** Roles that may create and delete passes for others (contract §2). */
export const tapWriterRoles = [
  RoleTemplate.authenticationAdministrator,
  RoleTemplate.privilegedAuthenticationAdministrator,
  RoleTemplate.globalAdministrator,
];

/** Roles that may read passes: the writers plus Global Reader. */
export const tapReaderRoles = [...tapWriterRoles, RoleTemplate.globalReader];

/** The only roles an Authentication Administrator's target may hold (contract §2). */
const lowPrivilegeRoles: readonly string[] = [
  RoleTemplate.authenticationAdministrator,
  RoleTemplate.directoryReaders,
  RoleTemplate.guestInviter,
  RoleTemplate.messageCenterReader,
  RoleTemplate.passwordAdministrator,
  RoleTemplate.reportsReader,
  RoleTemplate.userExperienceSuccessManager,
  RoleTemplate.usageSummaryReportsReader,
];

/**
 * Whether the caller may manage (create/delete) passes for the target, judged by roles only.
 * Privileged Authentication and Global Administrators: anyone but themselves. Authentication
 * Administrators: targets with no role or only low-privilege roles, outside role-assignable groups.
 * Only ACTIVE TENANT-WIDE roles count, on both sides ({@link Directory.rolesOf}; a PIM activation in force
 * is active, so a caller who activated Authentication Administrator may issue): a target who is only
 * PIM-eligible for a privileged role, or holds one scoped to an administrative unit, is not protected
 * here. Entra's rule for such targets is undocumented; the sandbox lets Entra allow them and leaves
 * the protection to TapDesk's own rule (a [choice], see README "Roles").
 */
export function mayManageTarget(directory: Directory, caller: FixtureUser, target: FixtureUser): boolean {
  if (caller.id === target.id) return false;
  const privileged = [RoleTemplate.privilegedAuthenticationAdministrator, RoleTemplate.globalAdministrator];
  if (directory.hasAnyRole(caller, privileged)) return true;
  if (!directory.hasAnyRole(caller, [RoleTemplate.authenticationAdministrator])) return false;
  const targetRolesAreLow = directory
    .rolesOf(target)
    .every((r) => lowPrivilegeRoles.includes(r.roleTemplateId));
  return targetRolesAreLow && !directory.inRoleAssignableGroup(target);
}

function targetMatches(
  directory: Directory,
  user: FixtureUser,
  target: { id: string; targetType: string },
): boolean {
  if (target.id === 'all_users') return true;
  if (target.targetType === 'user') return target.id.toLowerCase() === user.id;
  return directory.groupsOf(user.id).some((g) => g.id.toLowerCase() === target.id.toLowerCase());
}

/** Whether the TAP policy lets this user have a pass: enabled, included, not excluded. */
export function policyAllowsUser(directory: Directory, policy: TapPolicy, user: FixtureUser): boolean {
  if (policy.state !== 'enabled') return false;
  if (!policy.includeTargets.some((t) => targetMatches(directory, user, t))) return false;
  return !policy.excludeTargets.some((t) => targetMatches(directory, user, t));
}

/** Lifetime bounds: the policy's min..max, never outside Entra's absolute 10..43200. */
export function lifetimeBounds(policy: TapPolicy): { min: number; max: number } {
  return {
    min: Math.max(10, policy.minimumLifetimeInMinutes),
    max: Math.min(43200, policy.maximumLifetimeInMinutes),
  };
}

/** Usability of a pass at a given sandbox time (contract §1). */
export function passUsability(
  pass: { startDateTime: Date; lifetimeInMinutes: number },
  policy: TapPolicy,
  now: Date,
): { isUsable: boolean; methodUsabilityReason: string } {
  if (policy.state !== 'enabled') return { isUsable: false, methodUsabilityReason: 'DisabledByPolicy' };
  if (now.getTime() < pass.startDateTime.getTime())
    return { isUsable: false, methodUsabilityReason: 'NotYetValid' };
  const end = pass.startDateTime.getTime() + pass.lifetimeInMinutes * 60_000;
  if (now.getTime() >= end) return { isUsable: false, methodUsabilityReason: 'Expired' };
  return { isUsable: true, methodUsabilityReason: 'EnabledByPolicy' };
}
