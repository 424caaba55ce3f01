// The day-one pass of an onboarding differs from a helpdesk pass in two ways: Windows setup
// restarts the device during Autopilot, which ends a one-time pass before the person is done, so the
// pass is multi-use unless the admin asks otherwise; and it must last at least as long as setup.
// Both adjustments are said on the card; the tenant policy and TapDesk's cap still have the last word.
import { formatDuration } from '../chat/grammar.js';
import type { TapPolicy } from '../graph/port.js';
import { planIssue, type Asked, type PlanResult } from '../tap/plan.js';

/** Plans an onboarding's pass: multi-use and setup-long by default, then the usual policy clamps. */
export function planOnboardingPass(
  asked: Asked,
  policy: TapPolicy | null,
  now: Date,
  capMinutes: number,
  setupMinutes: number,
): PlanResult & { warnings?: string[] } {
  const notes: string[] = [];
  const warnings: string[] = [];
  const lifetime = asked.lifetimeMinutes;
  if (lifetime !== undefined && lifetime < setupMinutes)
    notes.push(
      `You asked for ${formatDuration(lifetime)}; Windows setup takes about ${formatDuration(setupMinutes)}, so the pass lasts ${formatDuration(setupMinutes)}.`,
    );
  const onboardingAsk: Asked = {
    ...asked,
    lifetimeMinutes: Math.max(lifetime ?? setupMinutes, setupMinutes),
    usableOnce: asked.usableOnce ?? false,
  };
  const planned = planIssue(onboardingAsk, policy, now, capMinutes);
  if (!planned.ok) return planned;
  const minutes = planned.plan.lifetimeMinutes;
  if (minutes !== undefined && minutes < setupMinutes)
    warnings.push(
      `The longest pass allowed here is ${formatDuration(minutes)}, shorter than Windows setup (about ${formatDuration(setupMinutes)}): the person may need a second pass to finish.`,
    );
  if (planned.plan.isUsableOnce === true)
    warnings.push(
      'This pass is one-time: it ends at the first restart during Windows setup, and the person will need another to finish.',
    );
  return { ...planned, notes: [...notes, ...planned.notes], warnings };
}
