// The day-one pass: multi-use and setup-long unless asked otherwise, and clamped like any pass.
import { describe, expect, it } from 'vitest';
import type { TapPolicy } from '../../src/graph/port.js';
import { planOnboardingPass } from '../../src/onboard/plan.js';
import { knownGroupTags, matchGroupTag } from '../../src/onboard/tags.js';

const now = new Date('2026-05-04T10:00:00Z');
const policy = (over: Partial<TapPolicy> = {}): TapPolicy =>
  ({
    state: 'enabled',
    defaultLifetimeInMinutes: 60,
    minimumLifetimeInMinutes: 60,
    maximumLifetimeInMinutes: 480,
    isUsableOnce: false,
    defaultLength: 8,
    ...over,
  }) as TapPolicy;

describe('planOnboardingPass', () => {
  it('is multi-use and lasts the setup time when nothing is asked', () => {
    const planned = planOnboardingPass({ utcOffsetMinutes: 0 }, policy(), now, 480, 120);
    expect(planned).toMatchObject({
      ok: true,
      plan: { lifetimeMinutes: 120, isUsableOnce: false },
      notes: [],
    });
    expect(planned.warnings).toEqual([]);
  });

  it('raises a lifetime shorter than setup, and says so', () => {
    const planned = planOnboardingPass({ lifetimeMinutes: 30, utcOffsetMinutes: 0 }, policy(), now, 480, 120);
    expect(planned).toMatchObject({ ok: true, plan: { lifetimeMinutes: 120 } });
    expect(planned.ok && planned.notes[0]).toContain('Windows setup takes about 2 hours');
  });

  it('keeps a longer lifetime and a start; warns when the cap or the policy cut it below setup', () => {
    const longer = planOnboardingPass(
      { lifetimeMinutes: 240, start: { kind: 'at', dayOffset: 1, hour: 9, minute: 0 }, utcOffsetMinutes: 0 },
      policy(),
      now,
      480,
      120,
    );
    expect(longer).toMatchObject({
      ok: true,
      plan: { lifetimeMinutes: 240, startDateTime: '2026-05-05T09:00:00.000Z' },
    });
    const capped = planOnboardingPass({ utcOffsetMinutes: 0 }, policy(), now, 60, 120);
    expect(capped).toMatchObject({ ok: true, plan: { lifetimeMinutes: 60 } });
    expect(capped.warnings?.[0]).toContain('shorter than Windows setup');
  });

  it('honours "once" and a one-time-only policy, with a warning that setup restarts end it', () => {
    const once = planOnboardingPass({ usableOnce: true, utcOffsetMinutes: 0 }, policy(), now, 480, 120);
    expect(once).toMatchObject({ ok: true, plan: { isUsableOnce: true } });
    expect(once.warnings?.join(' ')).toContain('first restart');
    const forced = planOnboardingPass({ utcOffsetMinutes: 0 }, policy({ isUsableOnce: true }), now, 480, 120);
    expect(forced).toMatchObject({ ok: true, plan: { isUsableOnce: true } });
    expect(forced.ok && forced.notes.join(' ')).toContain('only allows one-time passes');
  });

  it('refuses what any pass refuses (a disabled policy)', () => {
    expect(planOnboardingPass({ utcOffsetMinutes: 0 }, policy({ state: 'disabled' }), now, 480, 120)).toEqual(
      {
        ok: false,
        reason: 'policy-disabled',
      },
    );
  });
});

describe('group tags', () => {
  const device = (groupTag: string | null) => ({ groupTag }) as Parameters<typeof knownGroupTags>[1][number];

  it('are the configured list when there is one, else the tags in use, deduplicated and sorted', () => {
    expect(knownGroupTags(['Sales', 'IT', 'sales'], [device('Kiosk')])).toEqual(['IT', 'Sales']);
    expect(
      knownGroupTags([], [device('Sales'), device(''), device(null), device('Finance'), device('sales')]),
    ).toEqual(['Finance', 'Sales']);
  });

  it('match in any case, to the known spelling, and nothing else', () => {
    expect(matchGroupTag(' finance ', ['Finance', 'IT'])).toBe('Finance');
    expect(matchGroupTag('Finanse', ['Finance', 'IT'])).toBeUndefined();
  });
});
