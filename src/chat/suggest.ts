// "Did you mean …?": when a message is not a command but one can be guessed from it (a typo in the
// verb, a missing 'for', a person and a pass with no verb), the grammar offers the command as text
// for the person to run with one click. Never a guess that acts: the text is parsed again, as if
// typed, when it is clicked. This module writes a command back as text and finds the repairs to try.
// Pure functions, like the rest of the grammar.
import type { AuditCommand } from './audit.js';
import type { Command, ParseResult, Refusal } from './command.js';
import { formatDuration } from './duration.js';
import type { ManageCommand } from './manage.js';
import type { OnboardCommand } from './onboard.js';
import { errors } from './messages.js';
import { lowerAt, type Token } from './normalise.js';
import { objectEnd, withoutCourtesies, withoutWrappers } from './phrasing.js';
import type { StartSpec } from './start.js';

/** Parses text as typed, without offering a suggestion of its own: how every guess is checked. */
export type Reparse = (text: string) => ParseResult;

/** The commands a suggestion may name (lists of people go in a message of their own). */
type SuggestableCommand =
  | {
      kind: 'issue' | 'request';
      who: string;
      lifetimeMinutes?: number;
      usableOnce?: boolean;
      start?: StartSpec;
      reason?: string;
    }
  | AuditCommand
  | ManageCommand
  | OnboardCommand
  | { kind: 'help' };

// A suggestion goes on a card and comes back to be parsed: it only repeats names made of letters,
// digits and the punctuation names and addresses use, so markup, links and templates never ride along.
const SAFE_NAME = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} .'’_@-]{0,79}$/u;
const SAFE_REASON = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} .,'’#_/-]{0,119}$/u;
const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const twoDigits = (value: number): string => String(value).padStart(2, '0');

function startText(start: StartSpec): string {
  const clock = 'hour' in start ? `${twoDigits(start.hour)}:${twoDigits(start.minute)}` : '';
  switch (start.kind) {
    case 'in':
      return `start in ${formatDuration(start.minutes)}`;
    case 'at':
      return `start ${start.dayOffset === 1 ? 'tomorrow' : 'today'} at ${clock}`;
    case 'on':
      return `start ${start.date} ${clock}`;
    case 'weekday':
      return `start ${WEEKDAY_NAMES[start.weekday] ?? 'monday'} ${clock}`;
    default:
      return '';
  }
}

/**
 * The command written the way help writes it, the person as typed (`quoted` puts them in quotes);
 * undefined when a part may not be repeated on a card.
 */
function commandText(command: SuggestableCommand, quoted: boolean): string | undefined {
  const who = (name: string): string | undefined =>
    SAFE_NAME.test(name) ? (quoted ? `"${name}"` : name) : undefined;
  switch (command.kind) {
    case 'help':
      return 'help';
    case 'policy':
      return 'tap policy';
    case 'list':
    case 'revoke': {
      if (!('who' in command)) return command.scope === 'mine' ? 'list TAPs mine' : 'list TAPs';
      const person = who(command.who);
      return person === undefined ? undefined : `${command.kind} TAP for ${person}`;
    }
    case 'audit': {
      const person = command.who === undefined ? '' : who(command.who);
      if (person === undefined) return undefined;
      return ['audit', person ? `for ${person}` : '', `last ${command.last}`].filter(Boolean).join(' ');
    }
    case 'onboard':
      return onboardText(command, who);
    default: {
      const person = who(command.who);
      if (person === undefined) return undefined;
      if (command.kind === 'request' && command.reason !== undefined && !SAFE_REASON.test(command.reason)) {
        return undefined;
      }
      const parts = [`${command.kind} TAP for ${person}`];
      if (command.lifetimeMinutes !== undefined) parts.push(`for ${formatDuration(command.lifetimeMinutes)}`);
      if (command.usableOnce !== undefined) parts.push(command.usableOnce ? 'once' : 'multi-use');
      if (command.start !== undefined) parts.push(startText(command.start));
      if (command.kind === 'request' && command.reason !== undefined) parts.push(`reason: ${command.reason}`);
      return parts.join(' ');
    }
  }
}

/**
 * An onboarding written again: only the person, the serial, a plain tag and 'reassign' are repeated on a
 * card; a guessed onboarding with pass options is not offered (its words would be guessed too).
 */
function onboardText(command: OnboardCommand, who: (name: string) => string | undefined): string | undefined {
  const person = who(command.who);
  if (person === undefined) return undefined;
  if (
    command.lifetimeMinutes !== undefined ||
    command.usableOnce !== undefined ||
    command.start !== undefined
  )
    return undefined;
  if (command.groupTag !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(command.groupTag)) return undefined;
  return [
    `onboard ${person} on ${command.serial}`,
    command.groupTag !== undefined ? `tag ${command.groupTag}` : '',
    command.reassign ? 'reassign' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * True when the words look like a person rather than a phrase ("tap into the database"): an address,
 * a quoted name, one word, or up to four capitalised words.
 */
function looksLikePerson(who: string): boolean {
  const words = who.split(' ');
  // "bob's", "bob's TAP": the owner of a pass, not a name; the pass is no person either.
  if (words.some((name) => /['’]s$/i.test(name) || OBJECT_WORDS.includes(name.toLowerCase()))) return false;
  if (who.includes('@') || words.length === 1) return true;
  return words.length <= 4 && words.every((name) => /^\p{Lu}/u.test(name));
}

/** Commands and pass words a typo is checked against; short words are left alone. */
const COMMAND_WORDS = [
  'issue',
  'create',
  'request',
  'revoke',
  'remove',
  'delete',
  'list',
  'audit',
  'policy',
  'help',
  'give',
  'generate',
  'make',
  'onboard',
];
const OBJECT_WORDS = ['tap', 'taps', 'pass'];
/** Verbs after which the pass and 'for' may be left out: "revoke bob" means "revoke TAP for bob". */
const VERBS_WITH_OBJECT = new Set([
  'issue',
  'create',
  'request',
  'revoke',
  'remove',
  'delete',
  'list',
  'give',
]);

/** Edit distance with transpositions (optimal string alignment), stopping early past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) {
    rows[i] = [i];
    for (let j = 1; j <= b.length; j += 1) {
      if (i === 0) {
        (rows[0] as number[])[j] = j;
        continue;
      }
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] ?? 0) + 1);
      }
      row[j] = best;
    }
  }
  return (rows[a.length] as number[])[b.length] ?? limit + 1;
}

/** The one known word the typed word is a near miss of, or undefined (none, or several as near). */
function nearMiss(typed: string, known: readonly string[]): string | undefined {
  if (typed.length < 3 || known.includes(typed)) return undefined;
  const limit = typed.length >= 6 ? 2 : 1;
  const near = known.filter((word) => distance(typed, word, limit) <= limit);
  return near.length === 1 ? near[0] : undefined;
}

const word = (text: string): Token => ({ text, lower: text.toLowerCase(), quoted: false });

/**
 * The repaired readings of a message that did not parse, most likely first: the verb's or the pass's
 * typo fixed, and the pass and 'for' put back where the verb needs them ("revok bob" → "revoke TAP
 * for bob"). Each is only a candidate: the caller parses it and offers it only if it is a command.
 */
function repairs(tokens: readonly Token[]): Token[][] {
  const fixed = [...tokens];
  const first = lowerAt(fixed, 0);
  if (first === undefined) return [];
  const verb = nearMiss(first, COMMAND_WORDS) ?? first;
  if (verb !== first) fixed[0] = word(verb);
  const second = lowerAt(fixed, 1);
  const object = second === undefined ? undefined : nearMiss(second, OBJECT_WORDS);
  if (object !== undefined) fixed[1] = word(object === 'taps' ? 'TAPs' : 'TAP');
  const found: Token[][] = [];
  if (verb !== first || object !== undefined) found.push(fixed);
  if (!VERBS_WITH_OBJECT.has(verb)) return found;
  const afterObject = objectEnd(fixed, 1);
  if (afterObject === null) {
    found.push([fixed[0] as Token, word('TAP'), word('for'), ...fixed.slice(1)]);
  } else if (lowerAt(fixed, afterObject) !== 'for') {
    found.push([...fixed.slice(0, afterObject), word('for'), ...fixed.slice(afterObject)]);
  }
  return found;
}

/** Writes the command as text a suggestion may show, checking that it reads back as the same command. */
function suggestionFor(command: Command, reparse: Reparse): string | undefined {
  // Device searches are never guessed at: a serial fragment is too easily a typo of something else.
  // An onboarding is: only its verb is ever repaired, and the card it leads to acts on Confirm only.
  if (command.kind === 'bulk' || command.kind === 'devices' || command.kind === 'onboarding-status')
    return undefined;
  if ('who' in command && command.who !== undefined && !looksLikePerson(command.who)) return undefined;
  for (const quoted of [false, true]) {
    const text = commandText(command, quoted);
    if (text === undefined) return undefined;
    const again = reparse(text);
    if (again.ok && JSON.stringify(again.command) === JSON.stringify(command)) return text;
  }
  return undefined;
}

/**
 * Adds the suggestion to a refusal; when the refusal was only "unknown command", the message says
 * what was guessed instead.
 */
export function withSuggestion(refusal: Refusal, command: Command, reparse: Reparse): Refusal {
  const suggestion = suggestionFor(command, reparse);
  if (suggestion === undefined) return refusal;
  const typed = UNKNOWN_WORD.get(refusal);
  const error = typed === undefined ? refusal.error : errors.didYouMean(typed, suggestion).error;
  return { ok: false, error, suggestion };
}

/** The refusals that only said "unknown command", with the word they did not know. */
const UNKNOWN_WORD = new WeakMap<Refusal, string>();

/** "I don't know the command …", marked so that a suggestion added later may say what was guessed. */
export function unknownCommand(firstWord: string): Refusal {
  const refusal = errors.unknownCommand(firstWord);
  UNKNOWN_WORD.set(refusal, firstWord);
  return refusal;
}

/** Text that tokenises back into these tokens: quoted tokens get their quotes again. */
function textOfTokens(tokens: readonly Token[]): string {
  return tokens.map((token) => (token.quoted ? `"${token.text}"` : token.text)).join(' ');
}

/** The refusal, with a command guessed from the message's words when one of the repairs parses. */
export function guessed(
  refusal: Refusal,
  tokens: Token[],
  rest: string | undefined,
  reparse: Reparse,
): Refusal {
  const head = withoutCourtesies(withoutWrappers(tokens));
  if (head.length === 0 || head.length > 12) return refusal;
  const tail = rest === undefined ? '' : ` ${rest}`;
  // The message without its courtesies first ("remove bob's TAP now"), then the repaired readings.
  const candidates = [...(head.length < tokens.length ? [head] : []), ...repairs(head)];
  for (const candidate of candidates) {
    const again = reparse(textOfTokens(candidate) + tail);
    if (again.ok) return withSuggestion(refusal, again.command, reparse);
  }
  return refusal;
}
