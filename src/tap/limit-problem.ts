import { problem, type Problem } from '../errors/catalog.js';
import { formatWhen } from './format.js';
import type { LimitHit } from './limits.js';

const CODES = {
  'issuer-hour': 'LIMIT_ISSUER_HOUR',
  'target-day': 'LIMIT_TARGET_DAY',
  'tenant-hour': 'LIMIT_TENANT_HOUR',
} as const;

/** The refusal for a full limit window: which limit, its size and when it resets, in the admin's zone. */
export function limitProblem(
  hit: LimitHit,
  c: { targetName?: string; who?: string; timeZone: string; now: Date },
): Problem {
  return problem(CODES[hit.limit], {
    targetName: c.targetName,
    who: c.who,
    max: hit.max,
    resetsAtText: formatWhen(hit.resetsAt, c.timeZone, c.now),
  });
}
