// The commands that look after passes that already exist: "list TAP for <who>",
// "revoke TAP for <who>", "list TAPs [mine]" (every pass TapDesk issued that is still outstanding)
// and "[show] [TAP] policy". They take a person and nothing else, so
// anything after the person is refused rather than guessed at: a stray word on a revoke is
// more likely a mistake than part of a name.
import { isCompactDuration } from './duration.js';
import { errors, MAX_TARGET_CHARS, type ManageKind, type ParseError } from './messages.js';
import { lowerAt, textOf, type Token } from './normalise.js';

/** List or revoke one person's pass, list the passes outstanding, or show the tenant's pass policy. */
export type ManageCommand =
  | { kind: 'list'; who: string }
  | { kind: 'list'; scope: PassListScope }
  | { kind: 'revoke'; who: string }
  | { kind: 'policy' };

/** Every outstanding pass TapDesk issued, or only those the caller issued. */
export type PassListScope = 'all' | 'mine';

export type ManageParseResult = { ok: true; command: ManageCommand } | { ok: false; error: ParseError };

// 'delete' and 'remove' are what people type; the card that follows always says "Revoke".
const KIND_OF_VERB: Readonly<Record<string, ManageKind>> = {
  list: 'list',
  show: 'list',
  revoke: 'revoke',
  delete: 'revoke',
  remove: 'revoke',
};
const ARTICLES = new Set(['a', 'an', 'the', 'all', 'any']);
const OBJECT_WORDS = new Set(['tap', 'taps', 'pass', 'passes']);
const POLICY_FIRST_WORDS = new Set(['policy', 'tap', 'temporary', 'the']);
// Digits only: a bare number inside a name is almost always a leftover option.
const NUMBER = /^\d+$/;
// Words that end an unquoted name: issue options and courtesies typed out of habit. A name that
// really contains one goes in quotes, as names containing 'for' already must.
const NAME_ENDERS = new Set([
  'for',
  'once',
  'one-time',
  'single-use',
  'multi-use',
  'reusable',
  'start',
  'starting',
  'now',
  'please',
  'thanks',
]);

/** The manage command a first word starts ('list' or 'revoke'), or null. */
export function manageKindOf(lowerWord: string): ManageKind | null {
  return Object.hasOwn(KIND_OF_VERB, lowerWord) ? (KIND_OF_VERB[lowerWord] ?? null) : null;
}

/** Reads "[the|a|all] TAP|TAPs|pass|passes|temporary access pass(es)"; returns the index after it. */
function readObject(tokens: readonly Token[], index: number): number | null {
  const at = ARTICLES.has(lowerAt(tokens, index) ?? '') ? index + 1 : index;
  const word = lowerAt(tokens, at);
  if (word !== undefined && OBJECT_WORDS.has(word)) return at + 1;
  const isLongForm =
    word === 'temporary' &&
    lowerAt(tokens, at + 1) === 'access' &&
    ['pass', 'passes'].includes(lowerAt(tokens, at + 2) ?? '');
  return isLongForm ? at + 3 : null;
}

// "list TAPs", "list all passes", "list my TAPs", "active passes", "list active TAPs mine": the
// plural (or 'active') is what says "every pass" rather than one person's.
const LIST_WORDS = new Set(['all', 'the', 'my', 'active', 'current', 'outstanding']);
const PLURAL_OBJECTS = new Set(['taps', 'passes']);

/** Reads "[all|the|my|active…] TAPs|passes|temporary access passes [mine]" from `index` to the end, or null. */
function readPassList(tokens: readonly Token[], index: number): PassListScope | null {
  let at = index;
  let mine = false;
  let active = false;
  for (
    let word = lowerAt(tokens, at);
    word !== undefined && LIST_WORDS.has(word);
    word = lowerAt(tokens, at)
  ) {
    mine ||= word === 'my';
    active ||= word === 'active' || word === 'current' || word === 'outstanding';
    at += 1;
  }
  const word = lowerAt(tokens, at);
  const longForm =
    word === 'temporary' && lowerAt(tokens, at + 1) === 'access' && lowerAt(tokens, at + 2) === 'passes';
  // A singular "list TAP" stays a question about one person, unless 'active' already said "all".
  const singular = word === 'tap' || word === 'pass';
  if (longForm) at += 3;
  else if (word !== undefined && (PLURAL_OBJECTS.has(word) || (active && singular))) at += 1;
  else return null;
  if (lowerAt(tokens, at) === 'mine') {
    mine = true;
    at += 1;
  }
  return tokens[at] === undefined ? (mine ? 'mine' : 'all') : null;
}

/** The index after "[the] [TAP] policy" starting at `index`, or null if it is not there. */
function policyEnd(tokens: readonly Token[], index: number): number | null {
  const afterObject = readObject(tokens, index) ?? (lowerAt(tokens, index) === 'the' ? index + 1 : index);
  return lowerAt(tokens, afterObject) === 'policy' ? afterObject + 1 : null;
}

function isOptionLike(token: Token): boolean {
  return !token.quoted && (NUMBER.test(token.text) || isCompactDuration(token.lower));
}

function endsName(token: Token): boolean {
  return token.quoted || NAME_ENDERS.has(token.lower);
}

/** Reads <who> as the rest of the message: a quoted name, an address, or plain words. */
function readWho(tokens: readonly Token[], start: number, kind: ManageKind): ManageParseResult {
  const first = tokens[start];
  if (first === undefined || (!first.quoted && (endsName(first) || isOptionLike(first)))) {
    return errors.manageMissingTarget(kind);
  }
  let next = start + 1;
  if (first.quoted) {
    if (first.text.length === 0) return errors.manageEmptyQuotes(kind);
  } else if (!first.text.includes('@')) {
    // A display name runs on until a quoted token or a word that ends it, then nothing may follow.
    for (let token = tokens[next]; token !== undefined && !endsName(token); token = tokens[next]) {
      if (isOptionLike(token)) return errors.manageUnexpectedWord(kind, token.text);
      next += 1;
    }
  }
  const extra = tokens[next];
  if (extra !== undefined) return errors.manageUnexpectedWord(kind, extra.text);
  const who = first.quoted ? first.text : textOf(tokens, start, next);
  if (who.length > MAX_TARGET_CHARS) return errors.targetTooLong();
  const command: ManageCommand = kind === 'list' ? { kind: 'list', who } : { kind: 'revoke', who };
  return { ok: true, command };
}

/**
 * Parses a list, revoke or policy command, or returns null when the message does not start
 * like one (so the caller can try the issue grammar). Expects any bot mention already removed.
 */
export function parseManageCommand(tokens: readonly Token[]): ManageParseResult | null {
  const first = lowerAt(tokens, 0);
  if (first === undefined) return null;
  const kind = manageKindOf(first);
  // "policy", "tap policy", "show policy", "show TAP policy", "list the TAP policy".
  const policyStart = kind === 'list' ? 1 : POLICY_FIRST_WORDS.has(first) ? 0 : null;
  const afterPolicy = policyStart === null ? null : policyEnd(tokens, policyStart);
  if (afterPolicy !== null) {
    const extra = tokens[afterPolicy];
    return extra === undefined
      ? { ok: true, command: { kind: 'policy' } }
      : errors.policyUnexpectedWord(extra.text);
  }
  // "active passes", "active TAPs mine": a list of every pass without a verb.
  const listStart = kind === 'list' ? 1 : first === 'active' ? 0 : null;
  const scope = listStart === null ? null : readPassList(tokens, listStart);
  if (scope !== null) return { ok: true, command: { kind: 'list', scope } };
  if (kind === null) return null;
  const afterObject = readObject(tokens, 1);
  if (afterObject === null) return errors.manageMissingObject(first, kind);
  // 'for' is optional here ("list tap alice"): nothing else could sit between the pass and the person.
  const whoStart = lowerAt(tokens, afterObject) === 'for' ? afterObject + 1 : afterObject;
  return readWho(tokens, whoStart, kind);
}
