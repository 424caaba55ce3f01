import type { FixtureUser, TenantFixture } from './fixture.js';

const CAROL = 'd128b093-2325-52be-a0db-fd8c1fe95e34';

/** The UPN of the n-th generated new hire (1-based): newhire0001@contoso.com. */
export const newHireUpn = (n: number) => `newhire${String(n).padStart(4, '0')}@contoso.com`;

/**
 * Adds `count` ordinary members (no roles, enabled, managed by Carol) to a fixture, for onboarding
 * waves in bulk tests, the benchmark and the demo. Existing users are never changed. Ids are
 * deterministic so runs repeat.
 */
export function addNewHires(fixture: TenantFixture, count: number): FixtureUser[] {
  const added: FixtureUser[] = [];
  for (let n = 1; n <= count; n += 1) {
    const hex = n.toString(16).padStart(12, '0');
    const upn = newHireUpn(n);
    added.push({
      id: `4e3c0000-0000-4000-8000-${hex}`,
      displayName: `New Hire ${String(n).padStart(4, '0')}`,
      userPrincipalName: upn,
      mail: upn,
      userType: 'Member',
      accountEnabled: true,
      jobTitle: 'New hire',
      department: 'Onboarding',
      roles: [],
      manager: CAROL,
      teamsUserId: `29:sandbox-newhire${n}`,
    });
  }
  fixture.users.push(...added);
  return added;
}
