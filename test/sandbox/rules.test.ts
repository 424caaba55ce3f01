import { describe, expect, it } from 'vitest';
import { Directory } from '../../sandbox/directory.js';
import { WriteBucket } from '../../sandbox/faults.js';
import { loadTenantFixture, type TenantFixture } from '../../sandbox/fixture.js';
import { lifetimeBounds, mayManageTarget, passUsability, policyAllowsUser } from '../../sandbox/tap-rules.js';
import { compileUserFilter, compileUserSearch } from '../../sandbox/user-filter.js';

function directoryWith(change: (fixture: TenantFixture) => void): Directory {
  const fixture = loadTenantFixture();
  change(fixture);
  return new Directory(fixture);
}
const user = (d: Directory, upn: string) => d.findUser(upn) ?? expect.fail(`no ${upn}`);

describe('TAP rules (pure)', () => {
  it('keeps Authentication Administrators away from members of role-assignable groups', () => {
    const plain = directoryWith(() => {});
    expect(mayManageTarget(plain, user(plain, 'dana@contoso.com'), user(plain, 'bob@contoso.com'))).toBe(
      true,
    );
    const assignable = directoryWith((f) =>
      f.groups.push({
        id: 'g1',
        displayName: 'Tier 0',
        members: [],
        owners: ['55b40da7-cc05-558a-8a55-22fc4a479f14'],
        isAssignableToRole: true,
      }),
    );
    expect(
      mayManageTarget(assignable, user(assignable, 'dana@contoso.com'), user(assignable, 'bob@contoso.com')),
    ).toBe(false);
    expect(
      mayManageTarget(assignable, user(assignable, 'erin@contoso.com'), user(assignable, 'bob@contoso.com')),
    ).toBe(true);
  });

  it('reads include/exclude targets by user id, group and all_users', () => {
    const d = directoryWith(() => {});
    const policy = structuredClone(d.fixture.tapPolicy);
    expect(policyAllowsUser(d, policy, user(d, 'gina@contoso.com'))).toBe(false);
    policy.includeTargets = [{ id: 'cff6308a-6d44-5def-9200-b6f5023a44aa', targetType: 'user' }];
    expect(policyAllowsUser(d, policy, user(d, 'alice@contoso.com'))).toBe(true);
    expect(policyAllowsUser(d, policy, user(d, 'bob@contoso.com'))).toBe(false);
    policy.includeTargets = [{ id: '0309e63e-7c98-5efd-bdbb-0fcd86ca92e0', targetType: 'group' }];
    expect(policyAllowsUser(d, policy, user(d, 'kim@contoso.com'))).toBe(true);
    expect(
      lifetimeBounds({ ...policy, minimumLifetimeInMinutes: 1, maximumLifetimeInMinutes: 99999 }),
    ).toEqual({ min: 10, max: 43200 });
  });

  it('computes usability from the clock and the policy', () => {
    const policy = loadTenantFixture().tapPolicy;
    const pass = { startDateTime: new Date('2030-01-01T10:00:00Z'), lifetimeInMinutes: 60 };
    expect(passUsability(pass, policy, new Date('2030-01-01T09:59:00Z')).methodUsabilityReason).toBe(
      'NotYetValid',
    );
    expect(passUsability(pass, policy, new Date('2030-01-01T10:30:00Z'))).toEqual({
      isUsable: true,
      methodUsabilityReason: 'EnabledByPolicy',
    });
    expect(passUsability(pass, policy, new Date('2030-01-01T11:00:00Z')).methodUsabilityReason).toBe(
      'Expired',
    );
    expect(
      passUsability(pass, { ...policy, state: 'disabled' }, new Date('2030-01-01T10:30:00Z'))
        .methodUsabilityReason,
    ).toBe('DisabledByPolicy');
  });
});

describe('query compilers', () => {
  const d = directoryWith(() => {});
  const run = (predicate: unknown) => {
    if (typeof predicate !== 'function') return predicate;
    return d.users.filter(predicate as (u: unknown) => boolean).map((u) => u.userPrincipalName.split('@')[0]);
  };

  it('handles parentheses, precedence, escaped quotes and booleans in $filter', () => {
    expect(
      run(
        compileUserFilter(
          "(startswith(displayName,'a') or startswith(displayName,'b')) and department eq 'Sales'",
        ),
      ),
    ).toEqual(['bob']);
    expect(run(compileUserFilter('accountEnabled eq false'))).toEqual(['leo']);
    expect(run(compileUserFilter("displayName eq 'O''Brien'"))).toEqual([]);
    expect(typeof compileUserFilter("startswith(roles,'x')")).toBe('string');
    expect(typeof compileUserFilter("mail ne 'x'")).toBe('string');
  });

  it('matches $search words by prefix and joins clauses with AND before OR', () => {
    expect(run(compileUserSearch('"displayName:wo al"'))).toEqual(['alice']);
    expect(run(compileUserSearch('"mail:fabrikam"'))).toEqual(['judy_fabrikam.com#EXT#']);
    expect(run(compileUserSearch('"displayName:alice" AND "mail:alice.smith" OR "displayName:kim"'))).toEqual(
      ['alice.smith', 'bob', 'kim'],
    );
    expect(typeof compileUserSearch('alice')).toBe('string');
    expect(typeof compileUserSearch('"jobTitle:x"')).toBe('string');
  });
});

describe('write bucket', () => {
  it('refills continuously and never answers Retry-After 0', () => {
    let now = 0;
    const bucket = new WriteBucket(600, 600, () => now);
    for (let i = 0; i < 600; i++) expect(bucket.take().ok).toBe(true);
    const refused = bucket.take();
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 0.1 });
    // 600/min is one token per 100 ms: half a token after 50 ms is still a refusal, never "wait 0 s".
    now = 50;
    expect(bucket.take()).toEqual({ ok: false, retryAfterSeconds: 0.1 });
    now = 100;
    expect(bucket.take().ok).toBe(true);
    expect(bucket.take().ok).toBe(false);
    // A long pause refills only up to the burst.
    now = 1_000_000;
    for (let i = 0; i < 600; i++) expect(bucket.take().ok).toBe(true);
    expect(bucket.take().ok).toBe(false);
  });
});
