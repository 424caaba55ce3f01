import { createHash } from 'node:crypto';
import type { FixtureGroup, FixtureRole, FixtureUser, TenantFixture } from './fixture.js';

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
} as const;

/** Read-only queries over the fixture's users, groups and roles. */
export class Directory {
  constructor(readonly fixture: TenantFixture) {}

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

  /** Active directory roles: direct assignments plus roles of role-assignable groups the user is in. */
  rolesOf(user: FixtureUser): FixtureRole[] {
    const all = [...user.roles];
    for (const group of this.groupsOf(user.id)) all.push(...(group.roles ?? []));
    const seen = new Set<string>();
    return all.filter((r) => !seen.has(r.roleTemplateId) && seen.add(r.roleTemplateId));
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
    const hex = createHash('sha256').update(`${this.fixture.tenant.id}:${roleTemplateId}`).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** True for external guests, who can never get a pass. */
  isGuest(user: FixtureUser): boolean {
    return user.userType === 'Guest' || user.external === true;
  }
}
