import { createHash } from 'node:crypto';
import type { FixtureGroup, FixtureRole, FixtureUser, TenantFixture } from './fixture.js';

/** The directory scope of a role assignment: tenant-wide when the fixture gives none. */
export const tenantScope = '/';

/** Role template ids the sandbox's authorization rules refer to. */
export const RoleTemplate = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  authenticationPolicyAdministrator: '0526716b-113d-4c15-b2c8-68e3c22b9f80',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  guestInviter: '95e79109-95c0-4d8e-aee3-d01accf2d47b',
  messageCenterReader: '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b',
  passwordAdministrator: '966707d0-3269-4727-9be2-8c3a10f19b9d',
  reportsReader: '4a5d8f65-41da-4de4-8968-e035b65339cf',
  userExperienceSuccessManager: '27460883-1df1-4691-b032-3b79643e5e63',
  usageSummaryReportsReader: '75934031-6c7e-415a-99d7-48dbd49e875e',
  securityOperator: '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  intuneAdministrator: '3a2c62db-5318-420d-8d74-23affee5d9d5',
} as const;

/** An active role assignment, as `roleManagement/directory/roleAssignments` lists it. */
export interface RoleAssignment {
  principalId: string;
  roleTemplateId: string;
  displayName: string;
  directoryScopeId: string;
}

/** A PIM eligibility, as `roleEligibilityScheduleInstances` lists it. */
export type RoleEligibility = RoleAssignment;

/** A GUID-shaped id derived from a seed: stable across runs, distinct per seed. */
export function stableGuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function scopeOf(role: FixtureRole): string {
  return role.directoryScopeId ?? tenantScope;
}

/** The roles a user holds right now through PIM activations (none unless the sandbox wires its PIM in). */
export type ActivatedRoles = (userId: string) => FixtureRole[];

/** Read-only queries over the fixture's users, groups and roles, plus the PIM activations in force. */
export class Directory {
  constructor(
    readonly fixture: TenantFixture,
    private readonly activated: ActivatedRoles = () => [],
  ) {}

  get users(): FixtureUser[] {
    return this.fixture.users;
  }

  /** Finds a user by object id or UPN, case-insensitively, as Graph's `/users/{id}` does. */
  findUser(idOrUpn: string): FixtureUser | undefined {
    const key = idOrUpn.toLowerCase();
    return this.fixture.users.find(
      (u) => u.id.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key,
    );
  }

  /** Finds a user by id, UPN or Teams user id (what the sandbox SSO endpoint accepts). */
  findSsoUser(ref: string): FixtureUser | undefined {
    return (
      this.findUser(ref) ?? this.fixture.users.find((u) => u.teamsUserId.toLowerCase() === ref.toLowerCase())
    );
  }

  /** Groups that list the user as member or owner. */
  groupsOf(userId: string): FixtureGroup[] {
    return this.fixture.groups.filter((g) => g.members.includes(userId) || (g.owners ?? []).includes(userId));
  }

  /**
   * Groups the user belongs to as a member, directly or through nested groups (a group id in another
   * group's `members`), in fixture order: what `transitiveMemberOf/microsoft.graph.group` lists.
   * Unlike {@link groupsOf}, ownership alone is not membership, as in Entra.
   */
  transitiveMemberGroupsOf(userId: string): FixtureGroup[] {
    const groupsByMember = new Map<string, FixtureGroup[]>();
    for (const group of this.fixture.groups) {
      for (const member of group.members) {
        const list = groupsByMember.get(member);
        if (list) list.push(group);
        else groupsByMember.set(member, [group]);
      }
    }
    const found = new Set<string>();
    const pending = [userId];
    for (let memberId = pending.pop(); memberId !== undefined; memberId = pending.pop()) {
      for (const group of groupsByMember.get(memberId) ?? []) {
        if (found.has(group.id)) continue;
        found.add(group.id);
        pending.push(group.id);
      }
    }
    return this.fixture.groups.filter((g) => found.has(g.id));
  }

  /**
   * Active TENANT-WIDE directory roles: direct assignments plus roles of role-assignable groups the user
   * is in. A role scoped to an administrative unit is left out, as are PIM eligibilities: this is what
   * `transitiveMemberOf/microsoft.graph.directoryRole` lists, what `wids` carries, and what the sandbox's
   * TAP rules count (see README, "Roles").
   */
  rolesOf(user: FixtureUser): FixtureRole[] {
    // An activated role counts like an assigned one, for as long as the activation lasts.
    const all = [...user.roles, ...this.activated(user.id)];
    for (const group of this.groupsOf(user.id)) all.push(...(group.roles ?? []));
    const seen = new Set<string>();
    return all.filter(
      (r) => scopeOf(r) === tenantScope && !seen.has(r.roleTemplateId) && seen.add(r.roleTemplateId),
    );
  }

  /**
   * Every active assignment in the tenant, in fixture order: users' own roles (the user is the
   * principal), their PIM activations in force, then roles assigned to groups (the group is the
   * principal), with their scope.
   */
  roleAssignments(): RoleAssignment[] {
    const assignment = (principalId: string, role: FixtureRole): RoleAssignment => ({
      principalId,
      roleTemplateId: role.roleTemplateId,
      displayName: role.displayName,
      directoryScopeId: scopeOf(role),
    });
    return [
      ...this.fixture.users.flatMap((u) => u.roles.map((r) => assignment(u.id, r))),
      ...this.fixture.users.flatMap((u) => this.activated(u.id).map((r) => assignment(u.id, r))),
      ...this.fixture.groups.flatMap((g) => (g.roles ?? []).map((r) => assignment(g.id, r))),
    ];
  }

  /** Every PIM eligibility in the tenant (the fixture's `eligibleRoles`), in fixture order. */
  roleEligibilities(): RoleEligibility[] {
    return this.fixture.users.flatMap((u) =>
      (u.eligibleRoles ?? []).map((r) => ({
        principalId: u.id,
        roleTemplateId: r.roleTemplateId,
        displayName: r.displayName,
        directoryScopeId: scopeOf(r),
      })),
    );
  }

  /** The display name of a role template the fixture knows, or undefined. */
  roleName(roleTemplateId: string): string | undefined {
    const key = roleTemplateId.toLowerCase();
    const named = Object.entries(this.fixture.roleTemplates).find(([, id]) => id.toLowerCase() === key);
    if (named) return named[0];
    const held = [...this.roleAssignments(), ...this.roleEligibilities()].find(
      (r) => r.roleTemplateId.toLowerCase() === key,
    );
    return held?.displayName;
  }

  /** A stable service principal object id for an app of the tenant (the `oid` of its app tokens). */
  servicePrincipalId(appId: string): string {
    return stableGuid(`${this.fixture.tenant.id}:servicePrincipal:${appId.toLowerCase()}`);
  }

  /** True when the user holds any of the given role templates. */
  hasAnyRole(user: FixtureUser, templateIds: readonly string[]): boolean {
    return this.rolesOf(user).some((r) => templateIds.includes(r.roleTemplateId));
  }

  /** True when the user is a member or owner of a role-assignable group. */
  inRoleAssignableGroup(user: FixtureUser): boolean {
    return this.groupsOf(user.id).some((g) => g.isAssignableToRole === true);
  }

  /** A stable directoryRole object id per tenant and template, like Entra's activated-role objects. */
  directoryRoleId(roleTemplateId: string): string {
    return stableGuid(`${this.fixture.tenant.id}:${roleTemplateId}`);
  }

  /** True for external guests, who can never get a pass. */
  isGuest(user: FixtureUser): boolean {
    return user.userType === 'Guest' || user.external === true;
  }
}
