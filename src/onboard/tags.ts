// Which Autopilot group tags an onboarding card may offer. A group tag decides which deployment
// profile, apps and policies a device gets, so a typo is not a harmless label: only known tags are
// accepted. Known means the deployment's own list (AUTOPILOT_GROUP_TAGS) when it has one, else the
// tags already in use on the tenant's Autopilot devices.
import type { AutopilotDevice } from '../graph/device-port.js';

/** The tags to offer, sorted, without duplicates (case-insensitive; the first spelling wins). */
export function knownGroupTags(configured: readonly string[], devices: readonly AutopilotDevice[]): string[] {
  const source = configured.length > 0 ? configured : devices.map((d) => d.groupTag ?? '');
  const seen = new Map<string, string>();
  for (const tag of source) {
    const trimmed = tag.trim();
    if (trimmed !== '' && !seen.has(trimmed.toLowerCase())) seen.set(trimmed.toLowerCase(), trimmed);
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

/** The known tag the admin meant (any case), or undefined when it is not one of them. */
export function matchGroupTag(typed: string, known: readonly string[]): string | undefined {
  const key = typed.trim().toLowerCase();
  return known.find((tag) => tag.toLowerCase() === key);
}
