// The chat grammar:
//   issue TAP for <who> [for <duration>] [once|multi-use] [start <when>]
//   issue TAP for <who>, <who>, … [for <duration>] [once|multi-use] [start <when>]
//   request TAP for <who> [for <duration>] [once|multi-use] [start <when>]
//     [deliver to manager|by sms] [reason: <why>]
// ('create' and 'new' also issue; 'request' asks an admin to approve a pass instead), plus
// "[show] audit [log] [for <who>] [last <count>]" (read in audit.ts), "list TAP for <who>",
// "revoke TAP for <who>" and "tap policy" (read in manage.ts), "devices for <who>" and
// "find device <serial>" (read in devices.ts) and "help".
// Issue and request share the person and options; only a request takes a reason. 'reason',
// 'reason:' or 'because' starts it and it runs to the end of the message, kept as typed, so it
// also ends an unquoted name. On an issue it is refused rather than read as part of the name.
// An issue may name up to MAX_BULK_TARGETS people separated by ',' or ';' (a 'bulk' command);
// the options after the last person apply to everyone. A request is for one person only.
// Options come in any order, and a duration ("2h") or a start ("tomorrow 9am") needs no keyword.
// Other phrasings ("can you give bob a TAP", "bob needs a temp pass", "TAP bob@contoso 2h") are
// rewritten into this form (phrasing.ts); small talk is help (small-talk.ts); and a message that is
// only guessed at is refused with a suggested command to run on a click (suggest.ts).
// Pure functions only; the Teams layer feeds in message text and acts on the result.
import { auditPrefixLength, parseAuditOptions } from './audit.js';
import { devicesUnclosedQuote, parseDevicesCommand } from './devices.js';
import { manageKindOf, parseManageCommand } from './manage.js';
import { parseOnboardCommand } from './onboard.js';
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
import {
  namesPlainPeople,
  passVerbAt,
  rewritePassPhrasing,
  withoutCourtesies,
  withoutPossessive,
  withoutWrappers,
} from './phrasing.js';
import { smallTalkOf } from './small-talk.js';
import { guessed, unknownCommand, withSuggestion, type Reparse } from './suggest.js';
import type { Command, ParseResult } from './command.js';
import {
  bareStartAt,
  DAY_WORD,
  durationWidthAt,
  isOptionKeyword,
  isOptionStart,
  readOption,
  type PassOptions,
} from './options.js';

export type { StartSpec } from './start.js';
export type { Command, HelpCommand, ParseResult } from './command.js';
export type { AuditCommand } from './audit.js';
export type { ManageCommand } from './manage.js';
export type { DevicesCommand } from './devices.js';
export type { OnboardCommand, OnboardingStatusCommand } from './onboard.js';
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

const HELP_WORDS = new Set(['help', '?']);
// 'reason', 'reason:', 'reason:lost' and the same with 'because' (or a comma) start the reason.
const REASON_WORD = /^(?:reason|because)(?:[:,].*)?$/;
const REASON_KEYWORD = /^(?:reason|because)\s?[:,]?/i;
const HELP: ParseResult = { ok: true, command: { kind: 'help' } };

type TargetRead = { ok: true; who: string; next: number } | { ok: false; error: ParseError };

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
      // A display name never holds a duration or a start: "for alice 2h" and "for bob tomorrow 9am"
      // end the name there and read as options. On its own a duration is no person.
      const width = durationWidthAt(tokens, next);
      if (width > 0 && next === start)
        return errors.targetIsDuration(textOf(tokens, next, next + width), verb);
      if (next === start && bareStartAt(tokens, next) !== null) return errors.missingTarget(verb);
      const startsOption = bareStartAt(tokens, next) !== null || DAY_WORD.test(lowerAt(tokens, next) ?? '');
      if (width > 0 || (next > start && startsOption)) break;
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

/** Picks the unclosed-quote message for the command the text starts like. */
function unclosedQuote(clean: string): ParseResult {
  const [first, second] = commandWords(clean);
  const verb = headPassVerb(clean);
  if (verb !== null) return errors.unclosedQuote(verb);
  if (first === 'audit' || (first === 'show' && second === 'audit')) return errors.auditUnclosedQuote();
  if (parseDevicesCommand(headTokens(clean)) !== null) return devicesUnclosedQuote();
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
  if (options.deliverTo !== undefined && command.kind === 'request') command.deliverTo = options.deliverTo;
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

/** The message's words split at spaces only, without a plain mention or the politeness that opens it. */
function headTokens(clean: string): Token[] {
  const words = clean.split(' ').map((text) => ({ text, lower: text.toLowerCase(), quoted: false }));
  return withoutWrappers(withoutMention(words));
}

/** The pass verb a message starts with, politeness aside, for messages that depend on it. */
function headPassVerb(clean: string): PassVerb | null {
  return passVerbAt(headTokens(clean), 0)?.verb ?? null;
}

/** Reads a pass phrasing, in any of the ways phrasing.ts knows, with the one pass grammar. */
function parsePassPhrasing(
  clean: string,
  words: Words,
  isStopWord: (word: string) => boolean,
): ParseResult | null {
  const head = withoutWrappers(words.tokens);
  let rewrite = rewritePassPhrasing(head);
  // Courtesies at the end are dropped from the new phrasings; the canonical form keeps its exact rules.
  if (rewrite !== null && 'tokens' in rewrite && !rewrite.exact) {
    rewrite = rewritePassPhrasing(withoutCourtesies(head));
  }
  if (rewrite === null) return null;
  if ('missingPerson' in rewrite) return errors.namedPersonNeeded(rewrite.missingPerson);
  if ('missingObject' in rewrite) return errors.missingObject(rewrite.missingObject);
  // Only forms with the person after 'for' may name a list; it is read from the same place.
  let listed: TokeniseResult | null = null;
  if (rewrite.whoAt !== undefined && mayHoldList(clean)) {
    const split = tokenise(clean, isStopWord, { separators: true });
    if (!split.ok) listed = split;
    else {
      const listedHead = withoutWrappers(withoutMention(split.tokens));
      const tokens = rewrite.exact ? listedHead : withoutCourtesies(listedHead);
      listed = {
        ok: true,
        tokens: [...rewrite.tokens.slice(0, 3), ...tokens.slice(rewrite.whoAt)],
        rest: split.rest,
      };
    }
  }
  const parsed = parsePassCommand({ tokens: rewrite.tokens, rest: words.rest }, listed, rewrite.verb);
  // The new phrasings take plain names only: markup, links and templates are no one's name, and
  // "TAP for ${x}" stays as unknown as it always was. The canonical form keeps its own rules.
  if (parsed.ok && !rewrite.exact && !namesPlainPeople(parsed.command)) return null;
  if (!rewrite.unclear) return parsed;
  // A guess that does not even parse was no pass phrasing: "isue tap for bob" is not "isue"'s pass.
  if (!parsed.ok) return rewrite.exact ? errors.missingTarget(rewrite.verb) : null;
  // A pass and a person but no verb ("TAP alice"): acted on only when options or an address make the
  // intent plain ("TAP bob@contoso 2h"); otherwise offered as a suggestion.
  const { command } = parsed;
  const plain =
    rewrite.bare &&
    (command.kind === 'bulk' ||
      (command.kind === 'issue' &&
        (command.who.includes('@') ||
          command.lifetimeMinutes !== undefined ||
          command.usableOnce !== undefined ||
          command.start !== undefined)));
  if (plain) return parsed;
  // "issue TAP alice" keeps its message asking for 'for'; "bob tap" says what was guessed.
  const refusal = rewrite.exact ? errors.missingTarget(rewrite.verb) : unknownCommand(head[0]?.text ?? '');
  return withSuggestion(refusal, command, reparse);
}

/** Parses without guessing: how a guess is checked to be a command. */
const reparse: Reparse = (text) => parseOrFail(text, false);

function parseOrFail(text: string, suggest = true): ParseResult {
  // Normalising a short head is cheap and bounded, and tells an over-long request from an issue.
  if (text.length > RAW_INPUT_LIMIT) {
    return errors.inputTooLong(headPassVerb(normaliseChatText(text.slice(0, 300))) ?? 'issue');
  }
  const clean = normaliseChatText(text);
  if (clean.length > MAX_INPUT_CHARS) return errors.inputTooLong(headPassVerb(clean) ?? 'issue');
  // Only the pass commands know a reason; in list, revoke and audit 'reason' may be part of a name.
  const headWord = lowerAt(headTokens(clean), 0) ?? '';
  const isPass = headWord !== 'audit' && manageKindOf(headWord) === null;
  const isStopWord = (word: string) => REASON_WORD.test(word);
  const tokenised = tokenise(clean, isPass ? isStopWord : undefined);
  if (!tokenised.ok) return unclosedQuote(clean);
  const tokens = withoutMention(tokenised.tokens);

  const first = lowerAt(tokens, 0);
  if (tokens.length === 0 || (first !== undefined && HELP_WORDS.has(first))) return HELP;
  const said = smallTalkOf(tokens);
  if (said !== null) return { ok: true, command: { kind: 'help', said } };
  const head = withoutWrappers(tokens);
  const headFirst = lowerAt(head, 0);
  if (head.length === 0 || (headFirst !== undefined && HELP_WORDS.has(headFirst))) return HELP;
  const result = parseHead(clean, head, tokens, tokenised.rest, isStopWord);
  return result.ok || !suggest || 'suggestion' in result
    ? result
    : guessed(result, tokens, tokenised.rest, reparse);
}

/** Reads the words after any mention and politeness as an audit, manage or pass command. */
function parseHead(
  clean: string,
  head: Token[],
  tokens: Token[],
  rest: string | undefined,
  isStopWord: (word: string) => boolean,
): ParseResult {
  const auditStart = auditPrefixLength(head);
  if (auditStart !== null) return parseAuditOptions(head, auditStart);
  // Before the manage grammar: "show devices for alice" is a device search, not a pass to list.
  const devices = parseDevicesCommand(head, rest);
  if (devices !== null) return devices;
  const onboard = parseOnboardCommand(head, rest);
  if (onboard !== null) return onboard;
  // "revoke bob's TAP" is "revoke TAP for bob"; the manage grammar itself reads only the latter.
  const owned = manageKindOf(lowerAt(head, 0) ?? '') === null ? null : withoutPossessive(head, 1);
  const managed = parseManageCommand(owned ?? head);
  if (managed !== null) return managed;
  const pass = parsePassPhrasing(clean, { tokens, rest }, isStopWord);
  return pass ?? unknownCommand(head[0]?.text ?? '');
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
