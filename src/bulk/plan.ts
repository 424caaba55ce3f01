import { formatDuration } from '../chat/grammar.js';
import type { TapPolicy } from '../graph/port.js';
import { planIssue } from '../tap/plan.js';
import type { IssuePlan } from '../tap/request.js';
import type { BulkAsk } from './job.js';

export type BulkPlan = { ok: true; plan: IssuePlan; notes: string[] } | { ok: false; message: string };

/**
 * A single pass quietly adjusts a lifetime to the policy and says so on its card; across hundreds of
 * rows such notes would go unread, so a bulk row that asks for something the policy (or TapDesk's
 * cap) does not allow is refused as "outside policy" instead.
 */
export function planBulkRow(
  ask: BulkAsk,
  policy: TapPolicy | null,
  now: Date,
  utcOffsetMinutes: number,
  capMinutes: number,
): BulkPlan {
  if (policy?.state === 'disabled') return { ok: false, message: "The tenant's TAP policy is turned off." };
  const lifetime = ask.lifetimeMinutes;
  if (lifetime !== undefined) {
    if (policy && (lifetime < policy.minimumLifetimeInMinutes || lifetime > policy.maximumLifetimeInMinutes))
      return {
        ok: false,
        message: `Asked for ${formatDuration(lifetime)}; the tenant allows ${formatDuration(policy.minimumLifetimeInMinutes)} to ${formatDuration(policy.maximumLifetimeInMinutes)}.`,
      };
    if (lifetime > capMinutes)
      return {
        ok: false,
        message: `Asked for ${formatDuration(lifetime)}; TapDesk caps passes at ${formatDuration(capMinutes)}.`,
      };
  }
  if (ask.usableOnce === false && policy?.isUsableOnce)
    return { ok: false, message: 'Asked for a multi-use pass; the tenant only allows one-time passes.' };
  const planned = planIssue(
    { lifetimeMinutes: lifetime, usableOnce: ask.usableOnce, start: ask.start, utcOffsetMinutes },
    policy,
    now,
    capMinutes,
  );
  if (!planned.ok)
    return {
      ok: false,
      message:
        planned.reason === 'policy-disabled'
          ? "The tenant's TAP policy is turned off."
          : planned.reason === 'start-in-past'
            ? 'The start time is in the past.'
            : 'The start time is more than 30 days ahead.',
    };
  return { ok: true, plan: planned.plan, notes: planned.notes };
}
