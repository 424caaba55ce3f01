// The options of a pass command ("for <duration>", "once" / "multi-use", "start <when>"), read from
// tokens after the person: which words start one, and what each sets. Pure, like the grammar.
import { isCompactDuration, looksLikeDurationWord, parseDuration } from './duration.js';
import { errors, type ParseError, type PassVerb } from './messages.js';
import { lowerAt, textOf, type Token } from './normalise.js';
import { parseStartWords, type StartSpec } from './start.js';
import { readDeliveryOption, type DeliveryChoice } from './delivery-option.js';

/** A refusal as the parser returns it. */
type Refused = { ok: false; error: ParseError };

const ONCE_WORDS = new Set(['once', 'one-time', 'onetime', 'single-use']);
const MULTI_WORDS = new Set(['multi-use', 'multiuse', 'reusable']);
const START_WORDS = new Set(['start', 'starting']);
const TWO_WORD_USES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['one', 'time', true],
  ['single', 'use', true],
  ['multi', 'use', false],
];

/** Reads a one-time / multi-use keyword at tokens[index], if there is one. */
export function readUseOption(tokens: Token[], index: number): { once: boolean; used: number } | null {
  const word = lowerAt(tokens, index);
  if (word === undefined) return null;
  if (ONCE_WORDS.has(word)) return { once: true, used: 1 };
  if (MULTI_WORDS.has(word)) return { once: false, used: 1 };
  const next = lowerAt(tokens, index + 1);
  const pair = TWO_WORD_USES.find(([first, second]) => first === word && second === next);
  return pair ? { once: pair[2], used: 2 } : null;
}

/** True when tokens[index] is an unquoted option keyword: 'for', 'start' or a use word. */
export function isOptionKeyword(tokens: Token[], index: number): boolean {
  const word = lowerAt(tokens, index);
  return (
    word !== undefined &&
    (word === 'for' ||
      START_WORDS.has(word) ||
      readUseOption(tokens, index) !== null ||
      readDeliveryOption(tokens, index) !== null)
  );
}

export function isOptionStart(tokens: Token[], index: number): boolean {
  // A quoted token ends the name too.
  return lowerAt(tokens, index) === undefined ? tokens[index] !== undefined : isOptionKeyword(tokens, index);
}

/** Index of the next option keyword (or quoted token) at or after `from`, else tokens.length. */
export function nextOptionIndex(tokens: Token[], from: number): number {
  let index = from;
  while (index < tokens.length && !isOptionStart(tokens, index)) index += 1;
  return index;
}

export type PassOptions = {
  lifetimeMinutes?: number;
  usableOnce?: boolean;
  start?: StartSpec;
  startSeen?: boolean;
  /** Requests only: `deliver to manager` / `by sms`. */
  deliverTo?: DeliveryChoice;
};

/** How many tokens at tokens[index] make a duration ("2h" is one, "2 hours" two), else 0. */
export function durationWidthAt(tokens: readonly Token[], index: number): 0 | 1 | 2 {
  const word = lowerAt(tokens, index) ?? '';
  if (isCompactDuration(word)) return 1;
  const next = lowerAt(tokens, index + 1);
  const isPair =
    /^\d/.test(word) &&
    next !== undefined &&
    looksLikeDurationWord(word, next) &&
    parseDuration(`${word} ${next}`).ok;
  return isPair ? 2 : 0;
}

// Words that may open a start typed without 'start': "tomorrow 9am", "monday 8:00", "at 14:00",
// "in 30m". A clock time on its own counts only with am/pm or a colon ("9am", "14:00").
const BARE_START_FIRST = new Set(['today', 'tomorrow', 'at', 'in', 'on', 'next']);
const MARKED_TIME = /^\d{1,2}(?::\d{2}(?:am|pm)?|am|pm)$/;
/** A day on its own, which ends a name like a start does: a start always needs a time with it. */
export const DAY_WORD = /^(?:today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/;
const WEEKDAY = /^(?:mon|tue|tues|wed|thu|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?$/;

/**
 * A start typed without 'start' at tokens[index]: what it reads as and how many tokens it takes, or
 * null when the words there are not a readable start. 'now' stays a word only 'start' gives meaning to.
 */
export function bareStartAt(
  tokens: readonly Token[],
  index: number,
): { spec: StartSpec; used: number } | null {
  const word = lowerAt(tokens, index);
  if (word === undefined || !(BARE_START_FIRST.has(word) || WEEKDAY.test(word) || MARKED_TIME.test(word)))
    return null;
  const words: string[] = [];
  for (let at = index; at < tokens.length && words.length < 5; at += 1) {
    const lower = lowerAt(tokens, at);
    if (lower === undefined) break;
    words.push(lower);
  }
  const start = parseStartWords(words);
  return start.ok && start.spec !== null ? { spec: start.spec, used: start.used } : null;
}

/** Applies the option at tokens[index]; returns the next index or an error. */
export function readOption(
  tokens: Token[],
  index: number,
  options: PassOptions,
  verb: PassVerb,
  unexpected: (word: string) => Refused,
): number | Refused {
  const token = tokens[index];
  if (token === undefined || token.quoted) return unexpected(token?.text ?? '');
  const delivery = readDeliveryOption(tokens, index);
  if (delivery) {
    if (verb !== 'request') return errors.deliveryOnIssue();
    if (options.deliverTo !== undefined && options.deliverTo !== delivery.deliverTo)
      return errors.conflictingDelivery();
    options.deliverTo = delivery.deliverTo;
    return index + delivery.used;
  }
  const use = readUseOption(tokens, index);
  if (use) {
    if (options.usableOnce !== undefined && options.usableOnce !== use.once)
      return errors.conflictingUse(verb);
    options.usableOnce = use.once;
    return index + use.used;
  }
  if (token.lower === 'for') {
    const segmentEnd = nextOptionIndex(tokens, index + 1);
    let durationEnd = index + 1;
    while (
      durationEnd < segmentEnd &&
      looksLikeDurationWord(tokens[durationEnd]?.lower ?? '', lowerAt(tokens, durationEnd + 1))
    )
      durationEnd += 1;
    const lifetime = parseDuration(textOf(tokens, index + 1, durationEnd).toLowerCase());
    if (!lifetime.ok) {
      const typed = textOf(tokens, index + 1, Math.max(segmentEnd, index + 2));
      return errors.badDuration(typed, durationEnd === index + 1 ? 'unreadable' : lifetime.problem);
    }
    if (options.lifetimeMinutes !== undefined) return errors.repeatedOption('lifetime', verb);
    options.lifetimeMinutes = lifetime.minutes;
    return durationEnd;
  }
  if (START_WORDS.has(token.lower)) {
    const segmentEnd = nextOptionIndex(tokens, index + 1);
    if (segmentEnd === index + 1) return errors.startWithoutWhen();
    const words = tokens.slice(index + 1, segmentEnd).map((word) => word.lower);
    const start = parseStartWords(words);
    if (!start.ok) return errors.badStart(textOf(tokens, index + 1, segmentEnd), start.problem);
    if (options.startSeen) return errors.repeatedOption('start', verb);
    options.startSeen = true;
    if (start.spec) options.start = start.spec;
    return index + 1 + start.used;
  }
  // Typed without a keyword: "2h", "4 hours", "tomorrow 9am", "monday 8:00".
  const width = durationWidthAt(tokens, index);
  if (width > 0) {
    if (options.lifetimeMinutes !== undefined) return errors.repeatedOption('lifetime', verb);
    const lifetime = parseDuration(textOf(tokens, index, index + width).toLowerCase());
    if (lifetime.ok) options.lifetimeMinutes = lifetime.minutes;
    return index + width;
  }
  const bare = bareStartAt(tokens, index);
  // "for bob tomorrow" names a day but no time: say so rather than take the day for part of a name.
  if (bare === null && DAY_WORD.test(token.lower)) return errors.badStart(token.text, 'bad_time');
  if (bare !== null) {
    if (options.startSeen) return errors.repeatedOption('start', verb);
    options.startSeen = true;
    options.start = bare.spec;
    return index + bare.used;
  }
  return unexpected(token.text);
}
