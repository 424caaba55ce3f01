import { describe, expect, it } from 'vitest';
import { changesSince, factsOf, policyFingerprint, snapshot } from '../../src/tap/facts.js';
import type { DirectoryUser, TapMethod, TapPolicy } from '../../src/graph/port.js';

const user = (accountEnabled = true): DirectoryUser => ({
  id: 'u1',
  displayName: 'Alice',
  userPrincipalName: 'alice@contoso.com',
  mail: null,
  userType: 'Member',
  accountEnabled,
  department: null,
  jobTitle: null,
});
const pass = (id: string, createdDateTime = '2026-12-04T10:00:00Z'): TapMethod => ({
  id,
  createdDateTime,
  startDateTime: createdDateTime,
  lifetimeInMinutes: 60,
  isUsableOnce: false,
  isUsable: true,
  methodUsabilityReason: 'EnabledByPolicy',
});
const policy = (max = 480): TapPolicy => ({
  state: 'enabled',
  defaultLifetimeInMinutes: 60,
  minimumLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: max,
  isUsableOnce: false,
  defaultLength: 8,
});
const when = (iso: string) => iso.slice(11, 16);
const SHOWN_AT = '2026-12-04T09:00:00Z';

describe('what changed since a card', () => {
  it('nothing, when the facts are the same', () => {
    const shown = snapshot(factsOf(user(), pass('p1'), false, policy()));
    expect(changesSince(shown, factsOf(user(), pass('p1'), false, policy()), when, SHOWN_AT)).toEqual([]);
  });

  it('a newer pass, a pass gone, a disabled account, a new role, a new policy', () => {
    const shown = snapshot(factsOf(user(), pass('p1'), false, policy()));
    const now = factsOf(user(false), pass('p2', '2026-12-04T10:30:00Z'), true, policy(120));
    expect(changesSince(shown, now, when, SHOWN_AT)).toEqual([
      'They got another pass since (created 10:30); a new one would replace it.',
      'Their account was disabled.',
      'They now hold a directory role.',
      "The tenant's Temporary Access Pass policy changed.",
    ]);
    const gone = factsOf(user(), null, false, policy());
    expect(changesSince(shown, gone, when, SHOWN_AT)).toEqual([
      'The pass the card said would be replaced is gone (revoked or expired).',
    ]);
  });

  it('a pass the asker could not read is news only if created after the card', () => {
    const shown = snapshot(factsOf(user(), undefined, false, null));
    expect(
      changesSince(shown, factsOf(user(), pass('old', '2026-12-04T08:00:00Z'), false, null), when, SHOWN_AT),
    ).toEqual([]);
    expect(changesSince(shown, factsOf(user(), pass('new'), false, null), when, SHOWN_AT)).toHaveLength(1);
  });

  it('a policy only one side could read is no change', () => {
    const shown = snapshot(factsOf(user(), null, false, null));
    expect(changesSince(shown, factsOf(user(), null, false, policy()), when, SHOWN_AT)).toEqual([]);
    expect(policyFingerprint(null)).toBeNull();
  });
});
