// The chat grammar:
//   issue TAP for <who> [for <duration>] [once|multi-use] [start <when>]
//   request TAP for <who> [for <duration>] [once|multi-use] [start <when>] [reason: <why>]
// ('create' and 'new' also issue; 'request' asks an admin to approve a pass instead), plus
// "[show] audit [log] [for <who>] [last <count>]" (read in audit.ts), "list TAP for <who>",
// "revoke TAP for <who>" and "tap policy" (read in manage.ts) and "help".
// Issue and request share the person and options; only a request takes a reason. 'reason',
// 'reason:' or 'because' starts it and it runs to the end of the message, kept as typed, so it
// also ends an unquoted name. On an issue it is refused rather than read as part of the name.
// Pure functions only; the Teams layer feeds in message text and acts on the result.
import { auditPrefixLength, parseAuditOptions, type AuditCommand } from './audit.js';
import { isCompactDuration, looksLikeDurationWord, parseDuration } from './duration.js';
import { manageKindOf, parseManageCommand, type ManageCommand } from './manage.js';
import {
  errors,
  MAX_INPUT_CHARS,
  MAX_REASON_CHARS,
  MAX_TARGET_CHARS,
  type ParseError,
  type PassVerb,
} from './messages.js';
import { lowerAt, normaliseChatText, RAW_INPUT_LIMIT, textOf, tokenise, type Token } from './normalise.js';
import { parseStartWords, type StartSpec } from './start.js';

export type { StartSpec } from './start.js';
export type { AuditCommand } from './audit.js';
export type { ManageCommand } from './manage.js';
export type { ParseError, ParseErrorCode } from './messages.js';
export { resolveStart } from './start.js';
export { formatDuration, MAX_LIFETIME_MINUTES } from './duration.js';
export { AUDIT_DEFAULT_LAST, AUDIT_MAX_LAST, HELP_EXAMPLES, MAX_REASON_CHARS } from './messages.js';

export type Command =
  | { kind: 'issue'; who: string; lifetimeMinutes?: number; usableOnce?: boolean; start?: StartSpec }
  | {
      kind: 'request';
      who: string;
      lifetimeMinutes?: number;
      usableOnce?: boolean;
      start?: StartSpec;
      reason?: string;
    }
  | AuditCommand
  | ManageCommand
  | { kind: 'help' };
export type ParseResult = { ok: true; command: Command } | { ok: false; error: ParseError };

const HELP_WORDS = new Set(['help', '?', 'hi', 'hello']);
const PASS_VERBS: ReadonlyMap<string, PassVerb> = new Map([
  ['issue', 'issue'],
  ['create', 'issue'],
  ['new', 'issue'],
  ['request', 'request'],
]);
// 'reason', 'reason:', 'reason:lost' and the same with 'because' (or a comma) start the reason.
const REASON_WORD = /^(?:reason|because)(?:[:,].*)?$/;
const REASON_KEYWORD = /^(?:reason|because)\s?[:,]?/i;
const ONCE_WORDS = new Set(['once', 'one-time', 'onetime', 'single-use']);
const MULTI_WORDS = new Set(['multi-use', 'multiuse', 'reusable']);
const START_WORDS = new Set(['start', 'starting']);
const TWO_WORD_USES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['one', 'time', true],
  ['single', 'use', true],
  ['multi', 'use', false],
];

const HELP: ParseResult = { ok: true, command: { kind: 'help' } };

/** Reads a one-time / multi-use keyword at tokens[index], if there is one. */
function readUseOption(tokens: Token[], index: number): { once: boolean; used: number } | null {
  const word = lowerAt(tokens, index);
  if (word === undefined) return null;
  if (ONCE_WORDS.has(word)) return { once: true, used: 1 };
  if (MULTI_WORDS.has(word)) return { once: false, used: 1 };
  const next = lowerAt(tokens, index + 1);
  const pair = TWO_WORD_USES.find(([first, second]) => first === word && second === next);
  return pair ? { once: pair[2], used: 2 } : null;
}

function isOptionStart(tokens: Token[], index: number): boolean {
  const word = lowerAt(tokens, index);
  if (word === undefined) return tokens[index] !== undefined; // a quoted token ends the name too
  return word === 'for' || START_WORDS.has(word) || readUseOption(tokens, index) !== null;
}

/** Index of the next option keyword (or quoted token) at or after `from`, else tokens.length. */
function nextOptionIndex(tokens: Token[], from: number): number {
  let index = from;
  while (index < tokens.length && !isOptionStart(tokens, index)) index += 1;
  return index;
}

type TargetRead = { ok: true; who: string; next: number } | { ok: false; error: ParseError };

/** How many tokens at tokens[index] make a duration ("2h" is one, "2 hours" two), else 0. */
function durationWidthAt(tokens: Token[], index: number): 0 | 1 | 2 {
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

/** Reads <who>: one quoted name, one address, or the words up to the first option keyword. */
function readTarget(tokens: Token[], start: number, verb: PassVerb): TargetRead {
  const first = tokens[start];
  if (first === undefined) return errors.missingTarget(verb);
  let who: string;
  let next: number;
  if (first.quoted) {
    if (first.text.length === 0) return errors.emptyQuotes(verb);
    who = first.text;
    next = start + 1;
  } else {
    next = start;
    while (next < tokens.length && !isOptionStart(tokens, next)) {
      // A display name may not contain a duration: "for alice 2h" is a missing "for".
      const width = durationWidthAt(tokens, next);
      if (width > 0) {
        const typed = textOf(tokens, next, next + width);
        return next === start ? errors.targetIsDuration(typed, verb) : errors.durationWithoutFor(typed, verb);
      }
      next += 1;
      // An address is a single word; anything after it must be an option.
      if (first.text.includes('@')) break;
    }
    if (next === start) return errors.missingTarget(verb);
    who = textOf(tokens, start, next);
  }
  if (who.length > MAX_TARGET_CHARS) return errors.targetTooLong(verb);
  return { ok: true, who, next };
}

type PassOptions = {
  lifetimeMinutes?: number;
  usableOnce?: boolean;
  start?: StartSpec;
  startSeen?: boolean;
};

/** Applies the option at tokens[index]; returns the next index or an error. */
function readOption(
  tokens: Token[],
  index: number,
  options: PassOptions,
  verb: PassVerb,
): number | ParseResult {
  const token = tokens[index];
  if (token === undefined || token.quoted) return errors.unexpectedWord(token?.text ?? '', verb);
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
  return errors.unexpectedWord(token.text, verb);
}

/** Reads "[a] TAP|pass|temporary access pass" at tokens[index]; returns the index after it. */
function readObject(tokens: Token[], index: number): number | null {
  const article = lowerAt(tokens, index);
  const at = article === 'a' || article === 'an' ? index + 1 : index;
  const word = lowerAt(tokens, at);
  if (word === 'tap' || word === 'pass') return at + 1;
  const isLongForm =
    word === 'temporary' && lowerAt(tokens, at + 1) === 'access' && lowerAt(tokens, at + 2) === 'pass';
  return isLongForm ? at + 3 : null;
}

/** The first two words of the command, lower-cased, after any plain "@TapDesk" mention. */
function commandWords(clean: string): [string, string] {
  const words = clean.toLowerCase().split(' ', 3);
  const at = words[0]?.startsWith('@') ? 1 : 0;
  return [words[at] ?? '', words[at + 1] ?? ''];
}

function passVerbOf(lowerWord: string | undefined): PassVerb | null {
  return lowerWord === undefined ? null : (PASS_VERBS.get(lowerWord) ?? null);
}

/** Picks the unclosed-quote message for the command the text starts like. */
function unclosedQuote(clean: string): ParseResult {
  const [first, second] = commandWords(clean);
  const verb = passVerbOf(first);
  if (verb !== null) return errors.unclosedQuote(verb);
  if (first === 'audit' || (first === 'show' && second === 'audit')) return errors.auditUnclosedQuote();
  const kind = manageKindOf(first);
  const typed = clean.split(' ', 2)[clean.startsWith('@') ? 1 : 0] ?? '';
  return kind === null ? errors.unknownCommand(typed) : errors.manageUnclosedQuote(kind);
}

/** Reads the reason from `rest`, the text from the reason keyword on, as typed. */
function readReason(rest: string): { ok: true; reason: string } | { ok: false; error: ParseError } {
  const reason = rest.replace(REASON_KEYWORD, '').trim();
  if (reason.length === 0) return errors.emptyReason();
  if (reason.length > MAX_REASON_CHARS) return errors.reasonTooLong(reason.length);
  return { ok: true, reason };
}

/** Parses "issue|request TAP for <who> [options] [reason: <why>]" once the verb is known. */
function parsePassCommand(tokens: Token[], verb: PassVerb, reasonText: string | undefined): ParseResult {
  const afterObject = readObject(tokens, 1);
  if (afterObject === null) return errors.missingObject(verb);
  if (lowerAt(tokens, afterObject) !== 'for') return errors.missingTarget(verb);

  const target = readTarget(tokens, afterObject + 1, verb);
  if (!target.ok) return target;
  const options: PassOptions = {};
  let index = target.next;
  while (index < tokens.length) {
    const next = readOption(tokens, index, options, verb);
    if (typeof next !== 'number') return next;
    index = next;
  }
  let reason: string | undefined;
  if (reasonText !== undefined) {
    if (verb === 'issue') return errors.reasonOnIssue();
    const read = readReason(reasonText);
    if (!read.ok) return read;
    reason = read.reason;
  }
  const command: Extract<Command, { kind: 'issue' | 'request' }> = { kind: verb, who: target.who };
  if (options.lifetimeMinutes !== undefined) command.lifetimeMinutes = options.lifetimeMinutes;
  if (options.usableOnce !== undefined) command.usableOnce = options.usableOnce;
  if (options.start !== undefined) command.start = options.start;
  if (reason !== undefined && command.kind === 'request') command.reason = reason;
  return { ok: true, command };
}

function parseOrFail(text: string): ParseResult {
  // Normalising a short head is cheap and bounded, and tells an over-long request from an issue.
  if (text.length > RAW_INPUT_LIMIT) {
    return errors.inputTooLong(passVerbOf(commandWords(normaliseChatText(text.slice(0, 300)))[0]) ?? 'issue');
  }
  const clean = normaliseChatText(text);
  // Only the pass commands know a reason; elsewhere 'reason' may be part of a name.
  const passVerb = passVerbOf(commandWords(clean)[0]);
  if (clean.length > MAX_INPUT_CHARS) return errors.inputTooLong(passVerb ?? 'issue');
  const tokenised = tokenise(clean, passVerb === null ? undefined : (word) => REASON_WORD.test(word));
  if (!tokenised.ok) return unclosedQuote(clean);
  let tokens = tokenised.tokens;
  // Some clients send the bot's mention as plain "@TapDesk" rather than an <at> element.
  if (tokens[0]?.text.startsWith('@') && !tokens[0].quoted) tokens = tokens.slice(1);

  const first = lowerAt(tokens, 0);
  if (tokens.length === 0 || (first !== undefined && HELP_WORDS.has(first))) return HELP;
  const auditStart = auditPrefixLength(tokens);
  if (auditStart !== null) return parseAuditOptions(tokens, auditStart);
  const managed = parseManageCommand(tokens);
  if (managed !== null) return managed;
  const verb = passVerbOf(first);
  if (verb === null) return errors.unknownCommand(tokens[0]?.text ?? '');
  return parsePassCommand(tokens, verb, tokenised.rest);
}

/** Parses one chat message into a command or a helpful error; never throws. */
export function parseCommand(text: string): ParseResult {
  try {
    return parseOrFail(typeof text === 'string' ? text : '');
  } catch {
    // Defensive: a bug here must become a polite reply, not a crashed turn.
    return errors.unreadable();
  }
}
