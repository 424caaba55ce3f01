// An onboarding bulk's per-row checks: the device the serial names, whose it is, the tag, the pass
// plan with the onboarding defaults; and the sorting that refuses a serial's second line.
import { describe, expect, it } from 'vitest';
import type { BulkAsk } from '../../src/bulk/job.js';
import { checkRowDevice, planBulkOnboardRow, type OnboardFacts } from '../../src/bulk/onboard-rows.js';
import { sortRows } from '../../src/bulk/sort-rows.js';
import type { AutopilotDevice } from '../../src/graph/device-port.js';
import type { DirectoryUser, TapPolicy } from '../../src/graph/port.js';

const NOW = new Date('2026-05-04T10:00:00.000Z');
const CAP = 480;
const SETUP = 120;
const POLICY: TapPolicy = {
  state: 'enabled',
  defaultLifetimeInMinutes: 60,
  minimumLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  isUsableOnce: false,
  defaultLength: 8,
};

function user(n: number): DirectoryUser {
  return {
    id: `id-${n}`,
    displayName: `User ${n}`,
    userPrincipalName: `user${n}@contoso.com`,
    mail: null,
    userType: 'Member',
    accountEnabled: true,
    department: null,
    jobTitle: null,
  };
}

function device(serialNumber: string, extra: Partial<AutopilotDevice> = {}): AutopilotDevice {
  return {
    id: `dev-${serialNumber}`,
    serialNumber,
    manufacturer: 'Contoso',
    model: 'Laptop 7',
    groupTag: '',
    userPrincipalName: '',
    displayName: null,
    enrollmentState: 'notContacted',
    lastContactedDateTime: null,
    ...extra,
  };
}

const facts = (devices: AutopilotDevice[], tags = ['Finance', 'Sales']): OnboardFacts => ({
  devices: new Map(devices.map((d) => [d.serialNumber.toUpperCase(), d])),
  tags,
  setupMinutes: SETUP,
});

const ask = (n: number, serial: string, extra: Partial<BulkAsk> = {}): BulkAsk => ({
  line: n + 1,
  user: `user${n}@contoso.com`,
  serial,
  ...extra,
});

describe('checkRowDevice', () => {
  const known = facts([
    device('FREE0001', { groupTag: 'Sales' }),
    device('BOBS0001', { userPrincipalName: 'bob@contoso.com', groupTag: 'Sales' }),
    device('MINE0001', { userPrincipalName: 'USER1@contoso.com' }),
  ]);

  it('a free device: the tag asked (any case, as the tenant spells it), or the device’s own', () => {
    expect(checkRowDevice(ask(1, 'FREE0001', { groupTag: 'finance' }), user(1), known)).toStrictEqual({
      ok: true,
      device: { id: 'dev-FREE0001', serialNumber: 'FREE0001', groupTag: 'Finance', owner: null },
    });
    expect(checkRowDevice(ask(1, 'FREE0001'), user(1), known)).toMatchObject({
      ok: true,
      device: { groupTag: 'Sales', keepTag: true },
    });
  });

  it("a device already the person's own is theirs to onboard on", () => {
    expect(checkRowDevice(ask(1, 'MINE0001'), user(1), known)).toMatchObject({
      ok: true,
      device: { owner: 'USER1@contoso.com', groupTag: null },
    });
  });

  it('someone else’s device is a problem row naming the owner, never taken', () => {
    const checked = checkRowDevice(ask(1, 'BOBS0001'), user(1), known);
    expect(checked).toMatchObject({ ok: false, category: 'deviceAssigned' });
    if (!checked.ok) {
      expect(checked.message).toContain('bob@contoso.com');
      expect(checked.message).toContain('reassign');
    }
  });

  it('an unknown serial and an unknown tag are problem rows of their own', () => {
    expect(checkRowDevice(ask(1, 'NOPE0001'), user(1), known)).toMatchObject({
      ok: false,
      category: 'deviceNotFound',
    });
    const tag = checkRowDevice(ask(1, 'FREE0001', { groupTag: 'Marketing' }), user(1), known);
    expect(tag).toMatchObject({ ok: false, category: 'unknownTag' });
    if (!tag.ok) expect(tag.message).toContain('Finance, Sales');
  });
});

describe('planBulkOnboardRow', () => {
  const plan = (a: Partial<BulkAsk>, policy: TapPolicy | null = POLICY) =>
    planBulkOnboardRow({ line: 2, user: 'u@contoso.com', ...a }, policy, NOW, 0, CAP, SETUP);

  it('nothing asked: multi-use and as long as setup', () => {
    expect(plan({})).toMatchObject({ ok: true, plan: { lifetimeMinutes: SETUP, isUsableOnce: false } });
  });

  it('a lifetime shorter than setup is raised to it, with a note', () => {
    const planned = plan({ lifetimeMinutes: 30 });
    expect(planned).toMatchObject({ ok: true, plan: { lifetimeMinutes: SETUP } });
    if (planned.ok) expect(planned.notes.join(' ')).toContain('Windows setup');
  });

  it('a longer lifetime is kept; one outside the policy or the cap is refused, as in every bulk', () => {
    expect(plan({ lifetimeMinutes: 480 })).toMatchObject({ ok: true, plan: { lifetimeMinutes: 480 } });
    expect(plan({ lifetimeMinutes: 600 })).toMatchObject({ ok: false });
  });

  it('explicit multi-use under a one-time policy is refused; once asked is honoured with a warning', () => {
    expect(plan({ usableOnce: false }, { ...POLICY, isUsableOnce: true })).toMatchObject({ ok: false });
    const once = plan({ usableOnce: true });
    expect(once).toMatchObject({ ok: true, plan: { isUsableOnce: true } });
    if (once.ok) expect(once.notes.join(' ')).toContain('one-time');
  });

  it('a policy shorter than setup clamps the default with a warning', () => {
    const planned = plan({}, { ...POLICY, maximumLifetimeInMinutes: 90 });
    expect(planned).toMatchObject({ ok: true, plan: { lifetimeMinutes: 90 } });
    if (planned.ok) expect(planned.notes.join(' ')).toContain('second pass');
  });
});

describe('sortRows for an onboarding bulk', () => {
  it("a serial's second line is a duplicate, whoever it is for; the rows carry their device", () => {
    const users = [1, 2, 3].map(user);
    const found = new Map(users.map((u) => [u.userPrincipalName, { user: u, roles: [] }]));
    const sorted = sortRows(
      {
        requester: { oid: 'oid-admin', name: 'Admin' },
        timeZone: 'UTC',
        utcOffsetMinutes: 0,
        conversationId: 'c',
        source: { kind: 'csv', fileName: 'f.csv' },
        onboarding: true,
        asks: [ask(1, 'FREE0001'), ask(2, 'free0001'), ask(3, 'FREE0002')],
        rowErrors: [],
      },
      {
        found,
        privileged: new Map(),
        policy: POLICY,
        now: NOW,
        capMinutes: CAP,
        onboarding: facts([device('FREE0001'), device('FREE0002')]),
      },
    );
    expect(sorted.counts).toMatchObject({ duplicate: 1 });
    expect(sorted.ready).toHaveLength(2);
    expect(sorted.problems).toMatchObject([{ line: 3, category: 'duplicate' }]);
    expect(sorted.ready.map((i) => i.device?.serialNumber)).toStrictEqual(['FREE0001', 'FREE0002']);
    expect(sorted.ready.every((i) => i.plan.isUsableOnce === false)).toBe(true);
  });
});
