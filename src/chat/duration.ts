// Reads and writes pass lifetimes such as "1h30m", "90 min" or "1 day".

/** Longest lifetime Entra accepts for a Temporary Access Pass: 30 days. */
export const MAX_LIFETIME_MINUTES = 43_200;

const MINUTES_PER_UNIT: Readonly<Record<string, number>> = {
  m: 1,
  min: 1,
  mins: 1,
  minute: 1,
  minutes: 1,
  h: 60,
  hr: 60,
  hrs: 60,
  hour: 60,
  hours: 60,
  d: 1440,
  day: 1440,
  days: 1440,
};

// Digits and letters never overlap, so each of these runs in linear time.
const NUMBER = /^\d{1,6}(?:\.\d{1,4})?$/;
const COMPOUND = /^(?:\d{1,6}(?:\.\d{1,4})?[a-z]{1,7}){1,4}$/;
const PART = /(\d{1,6})(?:\.(\d{1,4}))?([a-z]{1,7})/y;

export type DurationResult =
  | { ok: true; minutes: number }
  | { ok: false; problem: 'unreadable' | 'zero' | 'too_long' | 'fraction_of_minute' };

function isUnitWord(lower: string): boolean {
  return Object.hasOwn(MINUTES_PER_UNIT, lower);
}

/** True when the lower-cased word could be part of a duration ("2", "hours", "1h30m", "an"). */
export function looksLikeDurationWord(lower: string, nextLower: string | undefined): boolean {
  if (NUMBER.test(lower) || isUnitWord(lower) || COMPOUND.test(lower)) return true;
  // "for an hour", "for a day": the article stands for the number one.
  return (lower === 'a' || lower === 'an') && nextLower !== undefined && isUnitWord(nextLower);
}

/** True when the word on its own is a complete duration such as "2h" or "90min". */
export function isCompactDuration(lower: string): boolean {
  return COMPOUND.test(lower) && parseDuration(lower).ok;
}

/** Parses lower-case duration text ("1 hour 30 minutes", "1.5h") into whole minutes. */
export function parseDuration(lowerText: string): DurationResult {
  const compact = lowerText.replace(/\b(?:an|a) (?=[a-z])/g, '1').replace(/ /g, '');
  if (compact.length === 0 || compact.length > 60) return { ok: false, problem: 'unreadable' };
  // Work in ten-thousandths of a minute so "1.1h" is exactly 66 minutes, not 66.00000000000001.
  const SCALE = 10_000;
  let scaledTotal = 0;
  let position = 0;
  while (position < compact.length) {
    PART.lastIndex = position;
    const match = PART.exec(compact);
    const unitMinutes = match ? MINUTES_PER_UNIT[match[3] ?? ''] : undefined;
    if (!match || unitMinutes === undefined) return { ok: false, problem: 'unreadable' };
    const fraction = (match[2] ?? '').padEnd(4, '0');
    const scaledValue = Number(match[1]) * SCALE + Number(fraction);
    scaledTotal += scaledValue * unitMinutes;
    position = PART.lastIndex;
  }
  if (scaledTotal === 0) return { ok: false, problem: 'zero' };
  if (scaledTotal % SCALE !== 0) return { ok: false, problem: 'fraction_of_minute' };
  const minutes = scaledTotal / SCALE;
  if (minutes > MAX_LIFETIME_MINUTES) return { ok: false, problem: 'too_long' };
  return { ok: true, minutes };
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** Writes minutes as words: 90 → "1 hour 30 minutes", 120 → "2 hours", 1440 → "1 day". */
export function formatDuration(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0) return 'an invalid duration';
  const whole = Math.round(minutes);
  if (whole === 0) return '0 minutes';
  const days = Math.floor(whole / 1440);
  const hours = Math.floor((whole % 1440) / 60);
  const rest = whole % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(plural(days, 'day'));
  if (hours > 0) parts.push(plural(hours, 'hour'));
  if (rest > 0) parts.push(plural(rest, 'minute'));
  return parts.join(' ');
}
