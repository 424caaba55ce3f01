import type { PolicyTarget, TapPolicy } from './fixture.js';

const numericFields = [
  'defaultLifetimeInMinutes',
  'defaultLength',
  'minimumLifetimeInMinutes',
  'maximumLifetimeInMinutes',
] as const;

function parseTargets(value: unknown): PolicyTarget[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const targets: PolicyTarget[] = [];
  for (const item of value as Array<Record<string, unknown>>) {
    if (typeof item?.id !== 'string' || (item.targetType !== 'user' && item.targetType !== 'group'))
      return undefined;
    targets.push({
      id: item.id,
      targetType: item.targetType,
      isRegistrationRequired: item.isRegistrationRequired === true,
    });
  }
  return targets;
}

/** Applies a partial TAP policy update (test hook `POST /_sandbox/policy`); returns an error text when invalid. */
export function parsePolicyUpdate(current: TapPolicy, update: Record<string, unknown>): TapPolicy | string {
  const next: TapPolicy = structuredClone(current);
  for (const [key, value] of Object.entries(update)) {
    if (key === 'state') {
      if (value !== 'enabled' && value !== 'disabled') return 'state must be enabled or disabled';
      next.state = value;
    } else if (key === 'isUsableOnce') {
      if (typeof value !== 'boolean') return 'isUsableOnce must be a boolean';
      next.isUsableOnce = value;
    } else if ((numericFields as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isInteger(value)) return `${key} must be an integer`;
      next[key as (typeof numericFields)[number]] = value;
    } else if (key === 'includeTargets' || key === 'excludeTargets') {
      const targets = parseTargets(value);
      if (!targets) return `${key} must be a list of {id, targetType: user|group}`;
      next[key] = targets;
    } else {
      return `unknown policy field ${key}`;
    }
  }
  if (next.defaultLength < 8 || next.defaultLength > 48) return 'defaultLength must be 8..48';
  if (next.minimumLifetimeInMinutes > next.maximumLifetimeInMinutes)
    return 'minimum lifetime exceeds maximum';
  return next;
}
