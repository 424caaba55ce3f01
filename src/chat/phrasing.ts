// The ways people phrase a pass command besides "issue TAP for <who>": politeness around it
// ("can you please …", "hey TapDesk, …"), other verbs ("give", "make", "I need", "reset access"),
// other names for the pass ("temp pass", "access pass"), and the person before the pass
// ("give bob a TAP", "bob needs a TAP") or with no verb at all ("TAP for bob", "TAP bob@contoso 2h").
// Each is rewritten into the canonical tokens "<verb> TAP for <who> <options…>", which the one
// grammar then reads, so every phrasing gets the same options, limits and error messages.
// Pure functions over tokens, like the rest of the grammar.
import type { Command } from './command.js';
import type { PassVerb } from './messages.js';
import { isSeparator, lowerAt, type Token } from './normalise.js';

/** Words that open or close a message out of politeness and carry no command. */
const WRAPPERS: readonly (readonly string[])[] = [
  ['hey', 'tapdesk'],
  ['hi', 'tapdesk'],
  ['hello', 'tapdesk'],
  ['tapdesk'],
  ['hey'],
  ['hi'],
  ['hello'],
  ['ok'],
  ['okay'],
  ['could', 'you', 'please'],
  ['can', 'you', 'please'],
  ['can', 'you'],
  ['could', 'you'],
  ['would', 'you'],
  ['will', 'you'],
  ['can', 'u'],
  ['pls'],
  ['plz'],
  ['please'],
  ['kindly'],
  ['just'],
  ['i', 'need', 'you', 'to'],
  ['i', 'want', 'you', 'to'],
  ['i', 'would', 'like', 'you', 'to'],
  ["i'd", 'like', 'you', 'to'],
  ['i', 'need', 'to'],
  ['i', 'want', 'to'],
  ['i', 'would', 'like', 'to'],
  ["i'd", 'like', 'to'],
  ['i', 'need'],
  ['we', 'need'],
  ['i', 'want'],
  ['i', 'would', 'like'],
  ["i'd", 'like'],
  ['can', 'i', 'get'],
  ['can', 'i', 'have'],
  ['could', 'i', 'get'],
  ['could', 'i', 'have'],
  ['may', 'i', 'have'],
  ['can', 'we', 'get'],
];
/**
 * Courtesies that may end a message: "give bob a TAP please", "TAP for bob thanks". Only words that
 * are nobody's name: "ty" alone is a thank-you, but "give a TAP to Ty" names Ty.
 */
const TRAILING_COURTESIES: readonly (readonly string[])[] = [
  ['thank', 'you'],
  ['please'],
  ['pls'],
  ['plz'],
  ['thanks'],
  ['thx'],
  ['asap'],
  ['right', 'now'],
  ['now'],
];

/** Verbs that make a pass now (the card still asks the admin to confirm) and those that ask for one. */
const ISSUE_VERBS: readonly (readonly string[])[] = [
  ['reset', 'access'],
  ['set', 'up'],
  ['issue'],
  ['create'],
  ['new'],
  ['make'],
  ['give'],
  ['get'],
  ['generate'],
  ['gen'],
  ['need'],
  ['send'],
  ['provide'],
  ['grant'],
];
const REQUEST_VERBS: readonly (readonly string[])[] = [['request'], ['ask', 'for']];
/** The verbs that say someone needs a pass, after the person: "bob needs a TAP". */
const NEEDS_WORDS = new Set(['needs', 'need', 'wants', 'requires']);
/** The verbs the canonical grammar itself starts with; their exact forms keep their exact messages. */
const CANONICAL_VERBS: ReadonlyMap<string, PassVerb> = new Map([
  ['issue', 'issue'],
  ['create', 'issue'],
  ['new', 'issue'],
  ['request', 'request'],
]);

const ARTICLES = new Set(['a', 'an', 'the', 'one', 'another']);
const OBJECT_WORDS = new Set(['tap', 'taps', 'pass']);
/** Longer names of the pass, read as one object: "temporary access pass", "temp pass", "access pass". */
const OBJECT_PHRASES: readonly (readonly string[])[] = [
  ['temporary', 'access', 'pass'],
  ['temp', 'access', 'pass'],
  ['temporary', 'pass'],
  ['temp', 'pass'],
  ['access', 'pass'],
  ['new', 'tap'],
  ['new', 'pass'],
];
/** Words that are not a person to make a pass for: the pass is for someone else, named. */
const NOT_A_PERSON = new Set(['me', 'myself', 'us', 'him', 'her', 'them', 'someone', 'somebody', 'it']);

/** The word at index, lower-cased, with a trailing comma dropped ("hey tapdesk, issue …"). */
function wordAt(tokens: readonly Token[], index: number): string | undefined {
  return lowerAt(tokens, index)?.replace(/,$/, '');
}

/** How many tokens the phrase takes at tokens[index], or 0 when it is not there. */
function phraseAt(tokens: readonly Token[], index: number, phrase: readonly string[]): number {
  return phrase.every((word, offset) => wordAt(tokens, index + offset) === word) ? phrase.length : 0;
}

function firstPhraseAt(
  tokens: readonly Token[],
  index: number,
  phrases: readonly (readonly string[])[],
): number {
  for (const phrase of phrases) {
    const width = phraseAt(tokens, index, phrase);
    if (width > 0) return width;
  }
  return 0;
}

/** Drops the politeness that opens a message (and list separators right after it). */
export function withoutWrappers(tokens: Token[]): Token[] {
  let index = 0;
  for (;;) {
    const width = firstPhraseAt(tokens, index, WRAPPERS);
    if (width === 0) break;
    index += width;
    while (isSeparator(tokens[index])) index += 1;
  }
  return index === 0 ? tokens : tokens.slice(index);
}

/** Drops the courtesies that close a message. */
export function withoutCourtesies(tokens: Token[]): Token[] {
  let end = tokens.length;
  for (let changed = true; changed && end > 0;) {
    changed = false;
    for (const phrase of TRAILING_COURTESIES) {
      const from = end - phrase.length;
      // "starting now" is a start, not a courtesy.
      const isStart = phrase[0] === 'now' && ['start', 'starting'].includes(wordAt(tokens, from - 1) ?? '');
      if (from >= 0 && phraseAt(tokens, from, phrase) > 0 && !isStart) {
        end = from;
        changed = true;
        break;
      }
    }
  }
  return end === tokens.length ? tokens : tokens.slice(0, end);
}

/** The index after "[a|the] TAP|pass|temp pass|…" at tokens[index], or null. */
export function objectEnd(tokens: readonly Token[], index: number): number | null {
  const at = ARTICLES.has(lowerAt(tokens, index) ?? '') ? index + 1 : index;
  const phrase = firstPhraseAt(tokens, at, OBJECT_PHRASES);
  if (phrase > 0) return at + phrase;
  return OBJECT_WORDS.has(lowerAt(tokens, at) ?? '') ? at + 1 : null;
}

/** The pass verb at tokens[index] and how many tokens it takes, or null. */
export function passVerbAt(
  tokens: readonly Token[],
  index: number,
): { verb: PassVerb; width: number } | null {
  const request = firstPhraseAt(tokens, index, REQUEST_VERBS);
  if (request > 0) return { verb: 'request', width: request };
  const issue = firstPhraseAt(tokens, index, ISSUE_VERBS);
  return issue > 0 ? { verb: 'issue', width: issue } : null;
}

/**
 * A phrasing rewritten into the grammar's own tokens. `exact` is true when the words already were
 * canonical ("issue TAP for …"), so their messages stay exactly as they were; `unclear` when the
 * words name a person and a pass but no verb, so the message is answered with a suggestion, not acted
 * on (or, when `bare`, acted on only with an address or an option that makes the intent plain).
 */
export interface Rewrite {
  verb: PassVerb;
  tokens: Token[];
  exact: boolean;
  unclear: boolean;
  /** The pass then the person with no 'for' and no verb: "TAP bob@contoso 2h". */
  bare?: boolean;
  /** For forms "… for <who> …", the index in the input where the person starts (lists are read there). */
  whoAt?: number;
}

/** A pass phrasing that lacks the person ("give me a pass") or the pass ("request alice"). */
export type Missing = { missingPerson: PassVerb } | { missingObject: PassVerb };

const word = (text: string): Token => ({ text, lower: text.toLowerCase(), quoted: false });
const canonicalPrefix = (verb: PassVerb): Token[] => [word(verb), word('TAP'), word('for')];

/** True when the tokens name one person and not a pronoun, nor any list separator. */
function isPerson(tokens: readonly Token[]): boolean {
  if (tokens.length === 0 || tokens.length > 6) return false;
  if (tokens.length === 1 && tokens[0]?.quoted) return (tokens[0]?.text.length ?? 0) > 0;
  return tokens.every(
    (token) =>
      !token.quoted &&
      !/[,;]/.test(token.text) &&
      !NOT_A_PERSON.has(token.lower) &&
      !NEEDS_WORDS.has(token.lower) &&
      !OBJECT_WORDS.has(token.lower) &&
      !(tokens.length === 1 && ARTICLES.has(token.lower)),
  );
}

/** "<who> [options]" after the canonical prefix, from tokens[from]. */
function forForm(verb: PassVerb, tokens: Token[], from: number, exact: boolean, unclear = false): Rewrite {
  return { verb, tokens: [...canonicalPrefix(verb), ...tokens.slice(from)], exact, unclear, whoAt: from };
}

/** "<who>" then "<options>" from `rest`: the person stands elsewhere than after 'for'. */
function movedForm(verb: PassVerb, who: Token[], rest: Token[], unclear = false): Rewrite {
  return { verb, tokens: [...canonicalPrefix(verb), ...who, ...rest], exact: false, unclear };
}

/** Reads the tokens as a verb-first phrasing: "give bob a TAP", "make a pass for bob", "reset access for bob". */
function verbFirst(tokens: Token[]): Rewrite | Missing | null {
  const found = passVerbAt(tokens, 0);
  if (found === null) return null;
  const { verb, width } = found;
  const exact = CANONICAL_VERBS.has(lowerAt(tokens, 0) ?? '') && width === 1;
  const afterObject = objectEnd(tokens, width);
  if (afterObject !== null) {
    const next = lowerAt(tokens, afterObject);
    if (next === 'for' || next === 'to')
      return forForm(verb, tokens, afterObject + 1, exact && next === 'for');
    // "give a TAP": the grammar's own message asks for the person.
    if (next === undefined) return forForm(verb, tokens, afterObject, exact);
    // "issue TAP alice", "give a TAP bob@contoso 2h": read like the bare "TAP bob@contoso 2h".
    return { ...forForm(verb, tokens, afterObject, exact, true), bare: true };
  }
  // Other verbs need the pass named ("get bob a pass"); "reset access for bob" implies it.
  if (lowerAt(tokens, 0) === 'reset' && lowerAt(tokens, width) === 'for') {
    return forForm(verb, tokens, width + 1, false);
  }
  // The person before the pass: "give bob a TAP for 2h", "issue Alice Wong a temp pass".
  for (let index = width + 1; index < tokens.length && index <= width + 6; index += 1) {
    const end = objectEnd(tokens, index);
    if (end === null) continue;
    const who = tokens.slice(width, index);
    if (who.length === 1 && NOT_A_PERSON.has(who[0]?.lower ?? '')) return { missingPerson: verb };
    if (!isPerson(who)) return null;
    // "give bob a TAP for 2h" keeps its 'for 2h'; "give bob a TAP for alice" is two people: not read.
    return movedForm(verb, who, tokens.slice(end));
  }
  // "request", "issue alice": the canonical verbs keep their message naming the missing pass.
  return exact ? { missingObject: verb } : null;
}

/** "TAP for bob", "a temp pass for bob 2h", "TAP bob@contoso 2h": the pass first, no verb. */
function objectFirst(tokens: Token[]): Rewrite | Missing | null {
  const afterObject = objectEnd(tokens, 0);
  if (afterObject === null) return null;
  // "I need a TAP", "a pass": the pass is named, the person is not. A lone "TAP" stays unknown.
  if (afterObject >= tokens.length) return afterObject > 1 ? { missingPerson: 'issue' } : null;
  if (lowerAt(tokens, afterObject) === 'for') return forForm('issue', tokens, afterObject + 1, false);
  // Without 'for' the words may be a person or not; the grammar refuses what is not.
  return { ...forForm('issue', tokens, afterObject, false, true), bare: true };
}

/** "bob needs a TAP for 2h": the person first, then need/want, then the pass. Read before verbs, as
 * a name may be one ("Grant needs a TAP"). */
function personNeeds(tokens: Token[]): Rewrite | null {
  for (let index = 1; index < tokens.length && index <= 6; index += 1) {
    if (!NEEDS_WORDS.has(lowerAt(tokens, index) ?? '')) continue;
    const end = objectEnd(tokens, index + 1);
    const who = tokens.slice(0, index);
    if (end === null || !isPerson(who)) return null;
    return movedForm('issue', who, tokens.slice(end));
  }
  return null;
}

/** "bob tap", "Alice Wong a pass for 2h": a person and a pass but no verb. Only a suggestion. */
function personFirst(tokens: Token[]): Rewrite | null {
  for (let index = 1; index < tokens.length && index <= 6; index += 1) {
    const end = objectEnd(tokens, index);
    if (end === null) continue;
    const who = tokens.slice(0, index);
    return isPerson(who) ? movedForm('issue', who, tokens.slice(end), true) : null;
  }
  return null;
}

/**
 * Rewrites a pass phrasing (politeness and mention already dropped) into canonical tokens, says
 * that the person is missing ("give me a pass"), or returns null when the words are no pass phrasing.
 */
export function rewritePassPhrasing(tokens: Token[]): Rewrite | Missing | null {
  return personNeeds(tokens) ?? verbFirst(tokens) ?? objectFirst(tokens) ?? personFirst(tokens);
}

const POSSESSIVE = /^(.+)['’]s$/;

/**
 * "revoke bob's TAP", "show Alice Wong's pass": the person named as the pass's owner, rewritten as
 * "<verb> TAP for <who> …" for the commands that take a pass that exists. Null when it is not that.
 */
export function withoutPossessive(tokens: Token[], verbWidth: number): Token[] | null {
  for (let index = verbWidth; index < tokens.length && index < verbWidth + 4; index += 1) {
    const token = tokens[index];
    const owner = token === undefined || token.quoted ? null : POSSESSIVE.exec(token.text);
    if (owner === null) continue;
    const end = objectEnd(tokens, index + 1);
    if (end === null) return null;
    const who = [...tokens.slice(verbWidth, index), word(owner[1] ?? '')];
    if (!isPerson(who)) return null;
    return [...tokens.slice(0, verbWidth), word('TAP'), word('for'), ...who, ...tokens.slice(end)];
  }
  return null;
}

// Characters that start markup, a link or a template; no name or address needs them.
const MARKUP = /[<>[\]{}$`*\\|]|:\/\/|&#?\w+;/;

/** True when every person the command names is a plain name: the new phrasings take no other. */
export function namesPlainPeople(command: Command): boolean {
  const people = command.kind === 'bulk' ? command.targets : 'who' in command ? [command.who ?? ''] : [];
  return people.every((who) => !MARKUP.test(who));
}
