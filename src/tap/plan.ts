import { formatDuration, resolveStart, type StartSpec } from '../chat/grammar.js';
import type { TapPolicy } from '../graph/port.js';
import type { IssuePlan, PolicyTerms } from './request.js';

export interface Asked {
  lifetimeMinutes?: number;
  usableOnce?: boolean;
  start?: StartSpec;
  utcOffsetMinutes: number;
}

export type PlanResult =
  | { ok: true; plan: IssuePlan; notes: string[] }
  | { ok: false; reason: 'policy-disabled' | 'start-in-past' | 'start-too-far' };

/**
 * The lifetime asked of Entra when the policy is unknown and the admin named none: Entra's own
 * default would apply otherwise, and it may be far above TapDesk's cap (480 minutes was seen with a
 * cap of 60). One hour is the portal's default lifetime.
 */
export const UNKNOWN_POLICY_LIFETIME_MINUTES = 60;

/** Entra lets a pass start at most this far ahead; we choose a conservative limit of 30 days. */
const MAX_START_AHEAD_DAYS = 30;

/**
 * Turns what the admin asked for into the create body, clamped to the tenant policy when we could
 * read it, with a note for every change so the card never surprises anyone.
 */
export function planIssue(
  asked: Asked,
  policy: TapPolicy | null,
  now: Date,
  capMinutes = Infinity,
): PlanResult {
  const notes: string[] = [];
  const plan: IssuePlan = {};
  if (policy?.state === 'disabled') return { ok: false, reason: 'policy-disabled' };

  if (asked.lifetimeMinutes !== undefined) {
    let minutes = asked.lifetimeMinutes;
    if (policy && minutes < policy.minimumLifetimeInMinutes) {
      minutes = policy.minimumLifetimeInMinutes;
      notes.push(
        `You asked for ${formatDuration(asked.lifetimeMinutes)}; the tenant minimum is ${formatDuration(minutes)}, so ${formatDuration(minutes)} will be used.`,
      );
    } else if (policy && minutes > policy.maximumLifetimeInMinutes) {
      minutes = policy.maximumLifetimeInMinutes;
      notes.push(
        `You asked for ${formatDuration(asked.lifetimeMinutes)}; the tenant maximum is ${formatDuration(minutes)}, so ${formatDuration(minutes)} will be used.`,
      );
    }
    plan.lifetimeMinutes = minutes;
  } else if (policy) {
    plan.lifetimeMinutes = policy.defaultLifetimeInMinutes;
  } else {
    // Never leave the lifetime to a default we cannot see: the cap must hold whatever the policy says.
    plan.lifetimeMinutes = Math.min(capMinutes, UNKNOWN_POLICY_LIFETIME_MINUTES);
  }
  if (plan.lifetimeMinutes !== undefined && plan.lifetimeMinutes > capMinutes) {
    notes.push(
      `TapDesk caps passes at ${formatDuration(capMinutes)}, so ${formatDuration(capMinutes)} will be used instead of ${formatDuration(plan.lifetimeMinutes)}.`,
    );
    plan.lifetimeMinutes = capMinutes;
  }

  if (policy?.isUsableOnce && asked.usableOnce === false) {
    notes.push('The tenant policy only allows one-time passes, so this pass will be one-time.');
    plan.isUsableOnce = true;
  } else if (asked.usableOnce !== undefined) {
    plan.isUsableOnce = asked.usableOnce;
  } else if (policy) {
    plan.isUsableOnce = policy.isUsableOnce;
  }

  if (asked.start) {
    const start = resolveStart(asked.start, now, asked.utcOffsetMinutes);
    // A minute of slack: "start in 0m" or a clock a few seconds behind is "now", not the past.
    if (start.getTime() < now.getTime() - 60_000) return { ok: false, reason: 'start-in-past' };
    if (start.getTime() > now.getTime() + MAX_START_AHEAD_DAYS * 86_400_000)
      return { ok: false, reason: 'start-too-far' };
    if (start.getTime() > now.getTime() + 60_000) plan.startDateTime = start.toISOString();
  }

  // Without the policy nothing is said per card: the startup log and the docs say it once, and
  // Entra checks the lifetime and one-time rules at Confirm.
  return { ok: true, plan, notes };
}

/** The parts of the policy every card shows: the lifetimes it allows and whether only one-time passes. */
export function policyTerms(policy: TapPolicy | null): PolicyTerms | undefined {
  if (!policy) return undefined;
  return {
    minimumLifetimeInMinutes: policy.minimumLifetimeInMinutes,
    maximumLifetimeInMinutes: policy.maximumLifetimeInMinutes,
    isUsableOnce: policy.isUsableOnce,
  };
}

/** When the pass stops working, if we know its lifetime. */
export function plannedExpiry(plan: IssuePlan, now: Date): Date | null {
  if (plan.lifetimeMinutes === undefined) return null;
  const start = plan.startDateTime ? new Date(plan.startDateTime) : now;
  return new Date(start.getTime() + plan.lifetimeMinutes * 60_000);
}
