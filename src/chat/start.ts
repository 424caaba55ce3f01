// Reads "start ..." phrases and turns them into instants in the admin's time zone, and exact
// ISO 8601 instants ("2026-12-01T09:00:00+01:00", as a CSV file gives them) that need no zone.
import { looksLikeDurationWord, parseDuration } from './duration.js';

export type StartSpec =
  | { kind: 'in'; minutes: number }
  | { kind: 'at'; dayOffset: 0 | 1; hour: number; minute: number }
  | { kind: 'on'; date: string; hour: number; minute: number }
  /** The next such weekday (0 = Sunday), or today when that is the day and the time is still ahead. */
  | { kind: 'weekday'; weekday: number; hour: number; minute: number }
  /** An exact instant, whatever the admin's zone: `iso` is UTC as `Date.toISOString()` writes it. */
  | { kind: 'at-instant'; iso: string };

/** Outcome of reading the words after "start": a spec, "now" (no spec), or why it failed. */
export type StartParse =
  | { ok: true; spec: StartSpec | null; used: number }
  | { ok: false; problem: 'unreadable' | 'bad_time' | 'bad_date' | 'bad_delay' };

const TIME = /^(\d{1,2})(?::(\d{2}))?(am|pm)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})t(\d{1,2}:\d{2})$/;

type Clock = { hour: number; minute: number };
type TimeRead = { ok: true; clock: Clock; used: number } | { ok: false };

/** Reads "9", "09:30", "9am", "9:30 pm" or "noon" starting at words[index]. */
function readTime(words: string[], index: number, needsMarker: boolean): TimeRead {
  const word = words[index];
  if (word === 'noon') return { ok: true, clock: { hour: 12, minute: 0 }, used: 1 };
  const match = word === undefined ? null : TIME.exec(word);
  if (!match) return { ok: false };
  let meridiem = match[3];
  let used = 1;
  const next = words[index + 1];
  if (meridiem === undefined && (next === 'am' || next === 'pm')) {
    meridiem = next;
    used = 2;
  }
  // A bare "start 9" is too easy to misread; ask for "at", a colon or am/pm.
  if (needsMarker && meridiem === undefined && match[2] === undefined) return { ok: false };
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? '0');
  if (minute > 59) return { ok: false };
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return { ok: false };
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (hour > 23) return { ok: false };
  return { ok: true, clock: { hour, minute }, used };
}

function isRealDate(date: string): boolean {
  const match = DATE.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 2000 || year > 2099) return false;
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

function readDelay(words: string[]): StartParse {
  let count = 0;
  while (count < words.length && looksLikeDurationWord(words[count] ?? '', words[count + 1])) count += 1;
  const delay = parseDuration(words.slice(0, count).join(' '));
  if (count === 0 || !delay.ok) return { ok: false, problem: 'bad_delay' };
  return { ok: true, spec: { kind: 'in', minutes: delay.minutes }, used: count + 1 };
}

function readDated(words: string[], offset: number): StartParse {
  const first = words[offset] ?? '';
  const joined = DATE_TIME.exec(first);
  if (joined) {
    const time = readTime([joined[2] ?? ''], 0, false);
    if (!isRealDate(joined[1] ?? '')) return { ok: false, problem: 'bad_date' };
    if (!time.ok) return { ok: false, problem: 'bad_time' };
    return { ok: true, spec: { kind: 'on', date: joined[1] ?? '', ...time.clock }, used: offset + 1 };
  }
  if (!isRealDate(first)) return { ok: false, problem: 'bad_date' };
  const timeAt = words[offset + 1] === 'at' ? offset + 2 : offset + 1;
  const time = readTime(words, timeAt, false);
  if (!time.ok) return { ok: false, problem: 'bad_time' };
  return { ok: true, spec: { kind: 'on', date: first, ...time.clock }, used: timeAt + time.used };
}

const WEEKDAYS: Readonly<Record<string, number>> = {
  sunday: 0,
  sun: 0,
  monday: 1,
  mon: 1,
  tuesday: 2,
  tue: 2,
  tues: 2,
  wednesday: 3,
  wed: 3,
  thursday: 4,
  thu: 4,
  thurs: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
};

/** The weekday named at words[index] ("monday", "next monday", "on monday"): its number and width. */
function weekdayAt(words: string[], index: number): { day: number; used: number } | null {
  const lead = words[index] === 'next' || words[index] === 'on' ? 1 : 0;
  const word = words[index + lead] ?? '';
  return Object.hasOwn(WEEKDAYS, word) ? { day: WEEKDAYS[word] ?? 0, used: lead + 1 } : null;
}

/** "monday 8:00", "next monday at 9am": a weekday always needs a time after it. */
function readWeekday(words: string[], weekday: { day: number; used: number }): StartParse {
  let index = weekday.used;
  if (words[index] === 'at') index += 1;
  const time = readTime(words, index, false);
  if (!time.ok) return { ok: false, problem: 'bad_time' };
  const spec: StartSpec = { kind: 'weekday', weekday: weekday.day, ...time.clock };
  return { ok: true, spec, used: index + time.used };
}

/** Reads the lower-case words after "start"/"starting"; `used` says how many were consumed. */
export function parseStartWords(words: string[]): StartParse {
  const first = words[0];
  if (first === 'now' || first === 'immediately') return { ok: true, spec: null, used: 1 };
  if (first === 'in') return readDelay(words.slice(1));
  const offset = first === 'on' && weekdayAt(words, 0) === null ? 1 : 0;
  if (/^\d{4}-/.test(words[offset] ?? '')) return readDated(words, offset);
  if (offset === 1) return { ok: false, problem: 'bad_date' };

  const weekday = weekdayAt(words, 0);
  if (weekday !== null) return readWeekday(words, weekday);
  let index = 0;
  let dayOffset: 0 | 1 | null = null;
  if (first === 'today' || first === 'tomorrow') {
    dayOffset = first === 'tomorrow' ? 1 : 0;
    index = 1;
  }
  const hasAt = words[index] === 'at';
  if (hasAt) index += 1;
  const time = readTime(words, index, dayOffset === null && !hasAt);
  if (!time.ok) return { ok: false, problem: index === 0 ? 'unreadable' : 'bad_time' };
  index += time.used;
  // "start at 9 tomorrow" reads as naturally as "start tomorrow at 9".
  if (dayOffset === null && (words[index] === 'today' || words[index] === 'tomorrow')) {
    dayOffset = words[index] === 'tomorrow' ? 1 : 0;
    index += 1;
  }
  return { ok: true, spec: { kind: 'at', dayOffset: dayOffset ?? 0, ...time.clock }, used: index };
}

// Date, time with optional seconds and fraction, and a zone: 'Z' or an offset such as +01:00.
const ISO_INSTANT =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2})?)$/;
/** The widest UTC offset accepted, in hours (real zones span -12 to +14). */
const MAX_OFFSET_HOURS = 18;

const MS_PER_MINUTE = 60_000;

/**
 * Reads an ISO 8601 date-time that names its zone ('Z' or an offset), such as
 * "2026-12-01T09:00:00+01:00", as an exact instant; null when the text is not one.
 */
export function parseStartInstant(text: string): Extract<StartSpec, { kind: 'at-instant' }> | null {
  const match = ISO_INSTANT.exec(text.trim());
  if (!match) return null;
  const [, date = '', hh = '', mm = '', ss = '0', fraction = '', zulu, sign, offsetH = '0', offsetM = '0'] =
    match;
  const [hour, minute, second] = [Number(hh), Number(mm), Number(ss)];
  if (!isRealDate(date) || hour > 23 || minute > 59 || second > 59) return null;
  const offsetMinutes = zulu ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetH) * 60 + Number(offsetM));
  if (Number(offsetM) > 59 || Math.abs(offsetMinutes) > MAX_OFFSET_HOURS * 60) return null;
  const [year, month, day] = date.split('-').map(Number);
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const wallClock = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour, minute, second, millis);
  return { kind: 'at-instant', iso: new Date(wallClock - offsetMinutes * MS_PER_MINUTE).toISOString() };
}

/**
 * Turns a start spec into an instant, reading wall-clock times in the admin's UTC offset
 * (minutes east of UTC, as Teams reports it). A time already past today is returned as is.
 */
export function resolveStart(spec: StartSpec, now: Date, utcOffsetMinutes: number): Date {
  if (spec.kind === 'in') return new Date(now.getTime() + spec.minutes * MS_PER_MINUTE);
  if (spec.kind === 'at-instant') return new Date(spec.iso);
  const offsetMs = utcOffsetMinutes * MS_PER_MINUTE;
  if (spec.kind === 'on') {
    const [year, month, day] = spec.date.split('-').map(Number);
    const wallClock = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, spec.hour, spec.minute);
    return new Date(wallClock - offsetMs);
  }
  // Shift "now" into the admin's zone, read its calendar date there, then shift back.
  // The offset is applied as given, so a DST change overnight is not accounted for.
  const local = new Date(now.getTime() + offsetMs);
  const onDay = (days: number): Date =>
    new Date(
      Date.UTC(
        local.getUTCFullYear(),
        local.getUTCMonth(),
        local.getUTCDate() + days,
        spec.hour,
        spec.minute,
      ) - offsetMs,
    );
  if (spec.kind === 'at') return onDay(spec.dayOffset);
  // "monday 8:00" typed on a Monday before eight means today; after it, next week.
  const ahead = (spec.weekday - local.getUTCDay() + 7) % 7;
  const sameDay = onDay(ahead);
  return sameDay.getTime() > now.getTime() ? sameDay : onDay(ahead + 7);
}
