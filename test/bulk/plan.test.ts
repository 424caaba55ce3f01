import { describe, expect, it } from 'vitest';
import type { BulkAsk } from '../../src/bulk/job.js';
import { planBulkRow, type BulkPlan } from '../../src/bulk/plan.js';
import type { TapPolicy } from '../../src/graph/port.js';
import { planIssue } from '../../src/tap/plan.js';

const NOW = new Date('2026-05-04T10:00:00.000Z');
const CAP = 1440; // TapDesk's cap: 1 day

const POLICY: TapPolicy = {
  state: 'enabled',
  defaultLifetimeInMinutes: 60,
  minimumLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 2880,
  isUsableOnce: false,
  defaultLength: 8,
};

const ask = (extra: Partial<BulkAsk> = {}): BulkAsk => ({ line: 2, user: 'alice@contoso.com', ...extra });
const plan = (a: BulkAsk, policy: TapPolicy | null = POLICY, offset = 0) =>
  planBulkRow(a, policy, NOW, offset, CAP);

function refusal(result: BulkPlan): string {
  if (result.ok) throw new Error(`expected a refusal: ${JSON.stringify(result)}`);
  return result.message;
}

describe('planBulkRow refusals', () => {
  it('refuses a lifetime below the policy minimum, naming both ends of the range', () => {
    expect(refusal(plan(ask({ lifetimeMinutes: 30 })))).toBe(
      'Asked for 30 minutes; the tenant allows 1 hour to 2 days.',
    );
  });

  it('refuses a lifetime above the policy maximum, naming both ends of the range', () => {
    expect(refusal(plan(ask({ lifetimeMinutes: 4320 })))).toBe(
      'Asked for 3 days; the tenant allows 1 hour to 2 days.',
    );
  });

  it("refuses a lifetime inside the policy but above TapDesk's cap", () => {
    expect(refusal(plan(ask({ lifetimeMinutes: 2000 })))).toBe(
      'Asked for 1 day 9 hours 20 minutes; TapDesk caps passes at 1 day.',
    );
  });

  it('refuses a lifetime above the cap when the policy is unread', () => {
    expect(refusal(plan(ask({ lifetimeMinutes: 1441 }), null))).toBe(
      'Asked for 1 day 1 minute; TapDesk caps passes at 1 day.',
    );
  });

  it('refuses a multi-use pass when the policy only allows one-time passes', () => {
    expect(refusal(plan(ask({ usableOnce: false }), { ...POLICY, isUsableOnce: true }))).toBe(
      'Asked for a multi-use pass; the tenant only allows one-time passes.',
    );
  });

  it('refuses every row when the policy is turned off, even a valid one', () => {
    const off = { ...POLICY, state: 'disabled' } as const;
    expect(refusal(plan(ask(), off))).toBe("The tenant's TAP policy is turned off.");
    expect(refusal(plan(ask({ lifetimeMinutes: 5 }), off))).toBe("The tenant's TAP policy is turned off.");
  });

  it('refuses a start in the past (beyond a minute of slack)', () => {
    const iso = new Date(NOW.getTime() - 2 * 60_000).toISOString();
    expect(refusal(plan(ask({ start: { kind: 'at-instant', iso } })))).toBe('The start time is in the past.');
  });

  it('refuses a start more than 30 days ahead', () => {
    const iso = new Date(NOW.getTime() + 30 * 86_400_000 + 60_000).toISOString();
    expect(refusal(plan(ask({ start: { kind: 'at-instant', iso } })))).toBe(
      'The start time is more than 30 days ahead.',
    );
  });
});

describe('planBulkRow plans', () => {
  it('accepts the edges of the policy range', () => {
    expect(plan(ask({ lifetimeMinutes: 60 }))).toStrictEqual({
      ok: true,
      plan: { lifetimeMinutes: 60, isUsableOnce: false },
      notes: [],
    });
    expect(plan(ask({ lifetimeMinutes: 1440 }))).toStrictEqual({
      ok: true,
      plan: { lifetimeMinutes: 1440, isUsableOnce: false },
      notes: [],
    });
  });

  it('plans lifetime, use and start like a single pass', () => {
    const a = ask({
      lifetimeMinutes: 480,
      usableOnce: true,
      start: { kind: 'on', date: '2026-05-06', hour: 9, minute: 30 },
    });
    const result = plan(a, POLICY, 120);
    expect(result).toStrictEqual({
      ok: true,
      plan: { lifetimeMinutes: 480, isUsableOnce: true, startDateTime: '2026-05-06T07:30:00.000Z' },
      notes: [],
    });
    expect(result).toStrictEqual(
      planIssue(
        { lifetimeMinutes: 480, usableOnce: true, start: a.start, utcOffsetMinutes: 120 },
        POLICY,
        NOW,
        CAP,
      ),
    );
  });

  it('fills in the policy default lifetime and use when the row does not say', () => {
    expect(plan(ask(), { ...POLICY, defaultLifetimeInMinutes: 240, isUsableOnce: true })).toStrictEqual({
      ok: true,
      plan: { lifetimeMinutes: 240, isUsableOnce: true },
      notes: [],
    });
  });

  it('clamps a policy default above the cap to the cap, with a note (the row asked for nothing)', () => {
    expect(plan(ask(), { ...POLICY, defaultLifetimeInMinutes: 2880 })).toStrictEqual({
      ok: true,
      plan: { lifetimeMinutes: 1440, isUsableOnce: false },
      notes: ['TapDesk caps passes at 1 day, so 1 day will be used instead of 2 days.'],
    });
  });

  it('accepts a row when the policy could not be read, without a note on every row', () => {
    expect(plan(ask({ lifetimeMinutes: 15, usableOnce: false }), null)).toStrictEqual({
      ok: true,
      plan: { lifetimeMinutes: 15, isUsableOnce: false },
      notes: [],
    });
    // Nothing asked and no policy: an explicit hour, never Entra's unseen default (the cap must hold).
    expect(plan(ask(), null)).toStrictEqual({
      ok: true,
      plan: { lifetimeMinutes: 60 },
      notes: [],
    });
  });

  it('treats a start within the next minute as now (no startDateTime)', () => {
    const iso = new Date(NOW.getTime() + 30_000).toISOString();
    expect(plan(ask({ lifetimeMinutes: 60, start: { kind: 'at-instant', iso } }))).toStrictEqual({
      ok: true,
      plan: { lifetimeMinutes: 60, isUsableOnce: false },
      notes: [],
    });
  });
});
