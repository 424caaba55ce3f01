import type { CoreDeps } from '../tap/core-deps.js';

/** How a deployment onboards: the group tags it allows and how long Windows setup takes. */
export interface OnboardingSettings {
  /** AUTOPILOT_GROUP_TAGS; empty means "the tags already in use on the tenant's devices". */
  groupTags: string[];
  /** ONBOARDING_SETUP_MINUTES: the day-one pass lasts at least this long. */
  setupMinutes: number;
  /** ONBOARDING_CHECK_MINUTES: how often the follow-through looks at a pending device. */
  checkMinutes: number;
}

/** Autopilot's out-of-box setup with apps commonly takes one to two hours. */
export const DEFAULT_SETUP_MINUTES = 120;

/** Intune's write limit is per 20 seconds; one read per device every few minutes is far below it. */
export const DEFAULT_CHECK_MINUTES = 5;

export const DEFAULT_ONBOARDING: OnboardingSettings = {
  groupTags: [],
  setupMinutes: DEFAULT_SETUP_MINUTES,
  checkMinutes: DEFAULT_CHECK_MINUTES,
};

/** The deployment's onboarding settings; cores built without them (unit tests) get the defaults. */
export function onboardingSettingsOf(deps: CoreDeps): OnboardingSettings {
  return deps.onboarding ?? DEFAULT_ONBOARDING;
}
