// Turns the HTML-ish text Teams delivers into plain words the grammar can read.
// Every pattern here uses bounded or non-overlapping quantifiers so that the work is
// linear in the input length whatever an attacker types.

/** Raw text longer than this is refused before any pattern runs, to bound the work. */
export const RAW_INPUT_LIMIT = 4000;

const MENTION = /<at\b[^<>]{0,200}>[^<]{0,200}<\/at\s{0,5}>/gi;
const HTML_TAG = /<\/?[a-z][^<>]{0,500}>/gi;
const ENTITY = /&(nbsp|amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-f]{1,6});/gi;
// Zero-width and bidi-control characters are invisible, so an admin cannot see them,
// yet they would split or disguise words; drop them outright.
const INVISIBLE = /[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// Control characters become spaces so that "alice\nfor 2h" still reads as two words.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const WHITESPACE_RUN = /\s+/g;
const TRAILING_PUNCTUATION = /[.!?,;:]+$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decodeEntity(whole: string, name: string): string {
  const named = NAMED_ENTITIES[name.toLowerCase()];
  if (named !== undefined) return named;
  const isHex = name[1] === 'x' || name[1] === 'X';
  const codePoint = Number.parseInt(name.slice(isHex ? 2 : 1), isHex ? 16 : 10);
  const isSurrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
  if (!Number.isFinite(codePoint) || codePoint === 0 || codePoint > 0x10ffff || isSurrogate) return whole;
  return String.fromCodePoint(codePoint);
}

/** Strips mentions, markup, entities, invisible characters and trailing punctuation from chat text. */
export function normaliseChatText(raw: string): string {
  // Entities are decoded in a single pass after tags are gone, so "&amp;lt;" stays
  // the literal text "&lt;" instead of being decoded twice into a tag.
  return raw
    .replace(MENTION, ' ')
    .replace(HTML_TAG, ' ')
    .replace(ENTITY, decodeEntity)
    .replace(LONE_SURROGATE, ' ')
    .replace(INVISIBLE, '')
    .replace(CONTROL, ' ')
    .replace(WHITESPACE_RUN, ' ')
    .trim()
    .replace(TRAILING_PUNCTUATION, '')
    .trim();
}

/** One word of the command; quoted text such as "Alice Wong" arrives as a single token. */
export interface Token {
  text: string;
  lower: string;
  quoted: boolean;
}

/**
 * The tokens, and when a stop word was met, `rest`: the text from that word to the end, as typed
 * (after normalising), which may hold anything, unbalanced quotes included.
 */
export type TokeniseResult =
  { ok: true; tokens: Token[]; rest?: string } | { ok: false; unclosedQuoteAt: number };

const OPENING_QUOTES = new Set(['"', '\u201c', '\u201e', '\u201f']);
const CLOSING_QUOTES = new Set(['"', '\u201d', '\u201c']);

/** The characters that separate people in a list: "alice, bob; carol". */
const LIST_SEPARATORS = new Set([',', ';']);

/** True when the token is a list separator, which only `tokenise(…, { separators: true })` makes. */
export function isSeparator(token: Token | undefined): boolean {
  return token !== undefined && !token.quoted && LIST_SEPARATORS.has(token.text);
}

/** True when the text holds a list separator anywhere, quoted or not. */
export function mayHoldList(text: string): boolean {
  return text.includes(',') || text.includes(';');
}

/**
 * Splits normalised text on spaces, keeping double-quoted runs (straight or curly) together.
 * An unquoted word for which `isStopWord` (given the lower-cased word) is true ends the tokens:
 * it and everything after it come back untouched as `rest`. With `separators`, an unquoted ','
 * or ';' also ends a word and becomes a token of its own, and a quote may open right after it.
 */
export function tokenise(
  text: string,
  isStopWord?: (lowerWord: string) => boolean,
  options: { separators?: boolean } = {},
): TokeniseResult {
  const tokens: Token[] = [];
  const splits = options.separators === true;
  let index = 0;
  while (index < text.length) {
    if (text[index] === ' ') {
      index += 1;
      continue;
    }
    const character = text[index] ?? '';
    if (splits && LIST_SEPARATORS.has(character)) {
      tokens.push({ text: character, lower: character, quoted: false });
      index += 1;
      continue;
    }
    if (OPENING_QUOTES.has(character)) {
      let end = index + 1;
      while (end < text.length && !CLOSING_QUOTES.has(text[end] ?? '')) end += 1;
      if (end >= text.length) return { ok: false, unclosedQuoteAt: index };
      const inner = text.slice(index + 1, end).trim();
      tokens.push({ text: inner, lower: inner.toLowerCase(), quoted: true });
      index = end + 1;
      continue;
    }
    let end = index + 1;
    while (end < text.length && text[end] !== ' ' && !(splits && LIST_SEPARATORS.has(text[end] ?? ''))) {
      end += 1;
    }
    const word = text.slice(index, end);
    if (isStopWord?.(word.toLowerCase())) return { ok: true, tokens, rest: text.slice(index) };
    tokens.push({ text: word, lower: word.toLowerCase(), quoted: false });
    index = end;
  }
  return { ok: true, tokens };
}

/** The lower-cased word at tokens[index], or undefined for a quoted token or past the end. */
export function lowerAt(tokens: readonly Token[], index: number): string | undefined {
  const token = tokens[index];
  return token === undefined || token.quoted ? undefined : token.lower;
}

/** The original text of tokens[from, to), joined by single spaces. */
export function textOf(tokens: readonly Token[], from: number, to: number): string {
  return tokens
    .slice(from, to)
    .map((token) => token.text)
    .join(' ');
}
