// The chat grammar:
//   issue TAP for <who> [for <duration>] [once|multi-use] [start <when>]
//   issue TAP for <who>, <who>, … [for <duration>] [once|multi-use] [start <when>]
//   request TAP for <who> [for <duration>] [once|multi-use] [start <when>] [reason: <why>]
// ('create' and 'new' also issue; 'request' asks an admin to approve a pass instead), plus
// "[show] audit [log] [for <who>] [last <count>]" (read in audit.ts), "list TAP for <who>",
// "revoke TAP for <who>" and "tap policy" (read in manage.ts) and "help".
// Issue and request share the person and options; only a request takes a reason. 'reason',
// 'reason:' or 'because' starts it and it runs to the end of the message, kept as typed, so it
// also ends an unquoted name. On an issue it is refused rather than read as part of the name.
// An issue may name up to MAX_BULK_TARGETS people separated by ',' or ';' (a 'bulk' command);
// the options after the last person apply to everyone. A request is for one person only.
// Pure functions only; the Teams layer feeds in message text and acts on the result.
import { auditPrefixLength, parseAuditOptions, type AuditCommand } from './audit.js';
import { isCompactDuration, looksLikeDurationWord, parseDuration } from './duration.js';
import { manageKindOf, parseManageCommand, type ManageCommand } from './manage.js';
import {
  errors,
  MAX_BULK_TARGETS,
  MAX_INPUT_CHARS,
  MAX_REASON_CHARS,
  MAX_TARGET_CHARS,
  type ParseError,
  type PassVerb,
} from './messages.js';
import {
  isSeparator,
  lowerAt,
  mayHoldList,
  normaliseChatText,
  RAW_INPUT_LIMIT,
  textOf,
  tokenise,
  type Token,
  type TokeniseResult,
} from './normalise.js';
import { type StartSpec } from './start.js';
import { isOptionKeyword, isOptionStart, readOption, type PassOptions } from './options.js';

export type { StartSpec } from './start.js';
export type { AuditCommand } from './audit.js';
export type { ManageCommand } from './manage.js';
export type { ParseError, ParseErrorCode } from './messages.js';
export { resolveStart } from './start.js';
export { formatDuration, MAX_LIFETIME_MINUTES } from './duration.js';
export {
  AUDIT_DEFAULT_LAST,
  AUDIT_MAX_LAST,
  BULK_CSV_COLUMNS,
  HELP_EXAMPLES,
  MAX_BULK_TARGETS,
  MAX_REASON_CHARS,
} from './messages.js';

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
  | { kind: 'bulk'; targets: string[]; lifetimeMinutes?: number; usableOnce?: boolean; start?: StartSpec }
  | AuditCommand
  | ManageCommand
  | HelpCommand;
/**
 * `help`, or small talk answered like help: `said` is what the person opened with ('hello' for a
 * greeting, 'thanks', 'capabilities' for "what can you do?"); absent for plain `help`.
 */
export interface HelpCommand {
  kind: 'help';
  said?: 'hello' | 'thanks' | 'capabilities';
}
export type ParseResult = { ok: true; command: Command } | { ok: false; error: ParseError };

const HELP_WORDS = new Set(['help', '?']);
const HELLO_WORDS = new Set(['hi', 'hello']);
const PASS_VERBS: ReadonlyMap<string, PassVerb> = new Map([
  ['issue', 'issue'],
  ['create', 'issue'],
  ['new', 'issue'],
  ['request', 'request'],
]);
// 'reason', 'reason:', 'reason:lost' and the same with 'because' (or a comma) start the reason.
const REASON_WORD = /^(?:reason|because)(?:[:,].*)?$/;
const REASON_KEYWORD = /^(?:reason|because)\s?[:,]?/i;
const HELP: ParseResult = { ok: true, command: { kind: 'help' } };

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

/**
 * Reads <who>: one quoted name, one address, or the words up to the first option keyword (or, in
 * a list, up to the next separator).
 */
function readTarget(tokens: Token[], start: number, verb: PassVerb, inList = false): TargetRead {
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
    while (next < tokens.length && !isOptionStart(tokens, next) && !(inList && isSeparator(tokens[next]))) {
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
    if (next === start)
      return inList && isSeparator(first) ? errors.emptyTarget() : errors.missingTarget(verb);
    who = textOf(tokens, start, next);
  }
  if (who.length > MAX_TARGET_CHARS) return errors.targetTooLong(verb);
  return { ok: true, who, next };
}

type TargetsRead = { ok: true; targets: string[]; next: number } | { ok: false; error: ParseError };

/** Where the list of people ends: at the first unquoted option keyword, else at the end. */
function listEnd(tokens: Token[], start: number): number {
  let index = start;
  while (index < tokens.length && !isOptionKeyword(tokens, index)) index += 1;
  return index;
}

/** True when a separator stands among the people, so the command names (or tries to name) a list. */
function hasListSeparator(tokens: Token[], start: number): boolean {
  const end = listEnd(tokens, start);
  for (let index = start; index < end; index += 1) if (isSeparator(tokens[index])) return true;
  return false;
}

/** True when a separator among the people is followed by more than the options: several people. */
function namesSeveral(tokens: Token[], start: number): boolean {
  const end = listEnd(tokens, start);
  for (let index = start; index < end - 1; index += 1) if (isSeparator(tokens[index])) return true;
  return false;
}

/**
 * Reads "<who>, <who>, …" from tokens split at separators. A separator before the options or the
 * end is tolerated ("alice, bob, for 2h"); an empty place in the list is not.
 */
function readTargetList(tokens: Token[], start: number, verb: PassVerb): TargetsRead {
  const targets: string[] = [];
  let index = start;
  for (;;) {
    const target = readTarget(tokens, index, verb, true);
    if (!target.ok) return target;
    targets.push(target.who);
    if (targets.length > MAX_BULK_TARGETS) return errors.tooManyTargets();
    index = target.next;
    if (!isSeparator(tokens[index])) break;
    index += 1;
    if (index >= tokens.length || isOptionKeyword(tokens, index)) break;
  }
  return { ok: true, targets, next: index };
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

/** The words after the verb, and the reason text when a reason keyword ended them. */
type Words = { tokens: Token[]; rest: string | undefined };

/** True when both token lists hold the same tokens before `end`. */
function samePrefix(first: readonly Token[], second: readonly Token[], end: number): boolean {
  for (let index = 0; index < end; index += 1) {
    const [one, other] = [first[index], second[index]];
    if (one?.text !== other?.text || one?.quoted !== other?.quoted) return false;
  }
  return true;
}

/**
 * Parses "issue|request TAP for <who>[, <who>…] [options] [reason: <why>]" once the verb is known.
 * `words` are split at spaces only; `listed`, when the text holds a ',' or ';', also at those, and
 * is read instead only when a separator stands among the people, so a single person (and every
 * error about one) reads exactly as it would without lists.
 */
function parsePassCommand(words: Words, listed: TokeniseResult | null, verb: PassVerb): ParseResult {
  const afterObject = readObject(words.tokens, 1);
  if (afterObject === null) return errors.missingObject(verb);
  if (lowerAt(words.tokens, afterObject) !== 'for') return errors.missingTarget(verb);
  const start = afterObject + 1;

  let source = words;
  let read: TargetsRead;
  if (listed !== null && !listed.ok) {
    // Only a quote opened right after a separator ("alice,\"Bob") is unclosed here and not before.
    return errors.unclosedQuote(verb);
  }
  if (
    listed !== null &&
    samePrefix(listed.tokens, words.tokens, start) &&
    hasListSeparator(listed.tokens, start)
  ) {
    if (verb === 'request' && namesSeveral(listed.tokens, start)) return errors.requestForSeveral();
    source = { tokens: listed.tokens, rest: listed.rest };
    read = readTargetList(source.tokens, start, verb);
  } else {
    const target = readTarget(words.tokens, start, verb);
    read = target.ok ? { ok: true, targets: [target.who], next: target.next } : target;
  }
  if (!read.ok) return read;

  const { tokens } = source;
  const several = read.targets.length > 1;
  const unexpected = several
    ? errors.bulkUnexpectedWord
    : (word: string) => errors.unexpectedWord(word, verb);
  const options: PassOptions = {};
  let index = read.next;
  while (index < tokens.length) {
    const next = readOption(tokens, index, options, verb, unexpected);
    if (typeof next !== 'number') return next;
    index = next;
  }
  let reason: string | undefined;
  if (source.rest !== undefined) {
    if (verb === 'issue') return errors.reasonOnIssue();
    const reasonRead = readReason(source.rest);
    if (!reasonRead.ok) return reasonRead;
    reason = reasonRead.reason;
  }
  const [who = ''] = read.targets;
  const command: Extract<Command, { kind: 'issue' | 'request' | 'bulk' }> = several
    ? { kind: 'bulk', targets: read.targets }
    : { kind: verb, who };
  if (options.lifetimeMinutes !== undefined) command.lifetimeMinutes = options.lifetimeMinutes;
  if (options.usableOnce !== undefined) command.usableOnce = options.usableOnce;
  if (options.start !== undefined) command.start = options.start;
  if (reason !== undefined && command.kind === 'request') command.reason = reason;
  return { ok: true, command };
}

/**
 * Some clients send the bot's mention as plain "@TapDesk" rather than an <at> element. Separators
 * right after it ("@TapDesk, issue …") go with it, as they do when the words are split at spaces only.
 */
function withoutMention(tokens: Token[]): Token[] {
  if (!tokens[0]?.text.startsWith('@') || tokens[0].quoted) return tokens;
  let index = 1;
  while (isSeparator(tokens[index])) index += 1;
  return tokens.slice(index);
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
  const isStopWord = passVerb === null ? undefined : (word: string) => REASON_WORD.test(word);
  const tokenised = tokenise(clean, isStopWord);
  if (!tokenised.ok) return unclosedQuote(clean);
  const tokens = withoutMention(tokenised.tokens);

  const first = lowerAt(tokens, 0);
  if (tokens.length === 0 || (first !== undefined && HELP_WORDS.has(first))) return HELP;
  if (first !== undefined && HELLO_WORDS.has(first))
    return { ok: true, command: { kind: 'help', said: 'hello' } };
  const auditStart = auditPrefixLength(tokens);
  if (auditStart !== null) return parseAuditOptions(tokens, auditStart);
  const managed = parseManageCommand(tokens);
  if (managed !== null) return managed;
  const verb = passVerbOf(first);
  if (verb === null) return errors.unknownCommand(tokens[0]?.text ?? '');
  // Only pass commands take a list of people, so only they are split at separators as well.
  const listed = mayHoldList(clean) ? tokenise(clean, isStopWord, { separators: true }) : null;
  if (listed?.ok) listed.tokens = withoutMention(listed.tokens);
  return parsePassCommand({ tokens, rest: tokenised.rest }, listed, verb);
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
