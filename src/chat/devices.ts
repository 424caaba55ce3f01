// Finding Windows Autopilot devices: "devices for <who>" (the devices assigned to a person) and
// "find device <serial>" / "device <serial>" (by a fragment of the serial number), plus a few
// natural forms ("show devices for alice", "which laptop does bob have").
// A serial fragment ends up inside an OData filter, so only letters, digits and dashes of a sane
// length are accepted here; the Graph client quotes it again anyway.
import { echo, MAX_TARGET_CHARS, type ParseError, type ParseErrorCode } from './messages.js';
import { lowerAt, textOf, type Token } from './normalise.js';

/** The devices assigned to a person, or the devices whose serial number contains a fragment. */
export type DevicesCommand = { kind: 'devices'; who: string } | { kind: 'devices'; serial: string };

export type DevicesParseResult = { ok: true; command: DevicesCommand } | { ok: false; error: ParseError };

/** Serial numbers are letters, digits and dashes; a fragment shorter than 3 matches too much. */
export const SERIAL_FRAGMENT = /^[A-Za-z0-9-]{3,64}$/;
const HAS_DIGIT = /\d/;

const VERBS = new Set(['show', 'list', 'find', 'search', 'get', 'lookup']);
const OBJECTS = new Set(['device', 'devices', 'laptop', 'laptops', 'pc', 'pcs', 'computer', 'computers']);
const QUESTION_WORDS = new Set(['which', 'what']);

const EXAMPLES = "'devices for alice@contoso.com' or 'find device 5CG33'";

function fail(code: ParseErrorCode, message: string): { ok: false; error: ParseError } {
  return { ok: false, error: { code, message } };
}

const refusals = {
  missing: () => fail('missing_target', `Which devices should I look for? Type ${EXAMPLES}.`),
  badSerial: (typed: string) =>
    fail(
      'unexpected_text',
      `${echo(typed)} is not a serial number I can search for: use 3 to 64 letters, digits or dashes, e.g. 'find device 5CG33'.`,
    ),
  unclear: (typed: string) =>
    fail(
      'unexpected_text',
      `I can't tell whether ${echo(typed)} is a person or a serial number. Type ${EXAMPLES}.`,
    ),
  unclosedQuote: () =>
    fail(
      'missing_target',
      `The name has an opening quote but no closing one. Try 'devices for "Alice Wong"' or 'find device 5CG33'.`,
    ),
  tooLong: () => fail('too_long', `That name is too long. Type ${EXAMPLES}.`),
  extra: (word: string) =>
    fail(
      'unexpected_text',
      `I didn't understand ${echo(word)}. A device search takes one serial number, e.g. 'find device 5CG33'.`,
    ),
};

/** The refusal for a device search whose quote never closes. */
export const devicesUnclosedQuote = (): { ok: false; error: ParseError } => refusals.unclosedQuote();

/** The index after "[autopilot] device|devices|laptop…" at `index`, or null. */
function objectEnd(tokens: readonly Token[], index: number): number | null {
  const at = lowerAt(tokens, index) === 'autopilot' ? index + 1 : index;
  const word = lowerAt(tokens, at);
  return word !== undefined && OBJECTS.has(word) ? at + 1 : null;
}

function byPerson(tokens: readonly Token[], start: number, end: number): DevicesParseResult {
  const first = tokens[start];
  if (first === undefined || start >= end) return refusals.missing();
  if (first.quoted && first.text.length === 0) return refusals.missing();
  // A quoted name or an address is one word; anything after it is not part of the person.
  if ((first.quoted || first.text.includes('@')) && end > start + 1)
    return refusals.extra(tokens[start + 1]!.text);
  const who = first.quoted ? first.text : textOf(tokens, start, end);
  if (who.length > MAX_TARGET_CHARS) return refusals.tooLong();
  return { ok: true, command: { kind: 'devices', who } };
}

/** "device <serial>" or "device alice@contoso": one word, read as an address or a serial fragment. */
function byWord(tokens: readonly Token[], start: number, serialOnly: boolean): DevicesParseResult {
  const word = tokens[start];
  if (word === undefined) return refusals.missing();
  const extra = tokens[start + 1];
  if (extra !== undefined) return refusals.extra(extra.text);
  if (!word.quoted && word.text.includes('@') && !serialOnly)
    return { ok: true, command: { kind: 'devices', who: word.text } };
  if (!SERIAL_FRAGMENT.test(word.text)) return refusals.badSerial(word.text);
  // A word without a digit is more likely a name ("device bob") than a serial number.
  if (!serialOnly && !HAS_DIGIT.test(word.text)) return refusals.unclear(word.text);
  return { ok: true, command: { kind: 'devices', serial: word.text.toUpperCase() } };
}

/** "which laptop does bob have": the person between 'does' and 'have'. */
function parseQuestion(tokens: readonly Token[]): DevicesParseResult | null {
  if (!QUESTION_WORDS.has(lowerAt(tokens, 0) ?? '')) return null;
  const afterObject = objectEnd(tokens, 1);
  if (afterObject === null) return null;
  const verb = lowerAt(tokens, afterObject);
  if (verb !== 'does' && verb !== 'do') return null;
  const last = tokens.length - 1;
  if (lowerAt(tokens, last) !== 'have' || last <= afterObject + 1) return refusals.missing();
  return byPerson(tokens, afterObject + 1, last);
}

/**
 * Parses a device search, or returns null when the message does not start like one, so the other
 * grammars get it. Expects any bot mention and opening politeness already removed.
 */
export function parseDevicesCommand(tokens: readonly Token[], rest?: string): DevicesParseResult | null {
  const parsed = parseSearch(tokens);
  // The tokeniser stops at 'reason' or 'because' for the pass commands; here it is just a stray word.
  if (parsed?.ok && rest !== undefined) return refusals.extra(rest.split(' ', 1)[0] ?? rest);
  return parsed;
}

function parseSearch(tokens: readonly Token[]): DevicesParseResult | null {
  const question = parseQuestion(tokens);
  if (question !== null) return question;
  const verbWidth = VERBS.has(lowerAt(tokens, 0) ?? '') ? 1 : 0;
  const at =
    lowerAt(tokens, verbWidth) === 'the' || lowerAt(tokens, verbWidth) === 'all' ? verbWidth + 1 : verbWidth;
  const afterObject = objectEnd(tokens, at);
  if (afterObject === null) return null;
  const next = lowerAt(tokens, afterObject);
  if (next === 'for' || next === 'of') return byPerson(tokens, afterObject + 1, tokens.length);
  if (next === 'serial' || next === 'sn') return byWord(tokens, afterObject + 1, true);
  if (tokens[afterObject] === undefined) return refusals.missing();
  return byWord(tokens, afterObject, false);
}
