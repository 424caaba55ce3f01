// Neutralises text that came from the directory or from people (display names, departments,
// queries) before it goes on a card. Adaptive Card TextBlocks and Fact values are rendered as
// Markdown, so a display name like "[click](https://evil.example)" would become a live link.
// Backslash escapes are not used because Teams mobile clients show the backslashes literally;
// instead an invisible zero-width space is slipped into the few sequences that start a link,
// an HTML-ish tag, a list, bold text or a template expression. The visible text is unchanged.

const ZERO_WIDTH_SPACE = '\u200b';
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// Invisible or direction-flipping characters can disguise a name, so they are dropped.
const INVISIBLE = /[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const WHITESPACE_RUN = /\s+/g;
const LINE_START_MARKER = /^(?:[-+*#>|=]|\d{1,9}[.)])/;
const UNSAFE_PAIRS = /\$\{|\]\(|<(?=[a-z/!?])|:\/\/|www\.|\*\*|__|~~/gi;

/** Default cap for a single user-controlled value on a card. */
export const MAX_CARD_TEXT = 256;

/** Cuts to at most maxChars characters (not UTF-16 units), marking the cut with an ellipsis. */
export function truncate(text: string, maxChars: number): string {
  const characters = Array.from(text);
  if (characters.length <= maxChars) return text;
  return `${characters.slice(0, Math.max(1, maxChars - 1)).join('')}…`;
}

function breakSequence(sequence: string): string {
  // Slip the invisible space between the first character and the rest: "](" -> "]", ZWSP, "(".
  return `${sequence.slice(0, 1)}${ZERO_WIDTH_SPACE}${sequence.slice(1)}`;
}

/**
 * One line of visible text: invisible and direction-flipping characters dropped, control characters
 * and line breaks turned into spaces, runs of spaces collapsed. Shared with the chat neutraliser.
 */
export function flatten(value: string): string {
  return String(value)
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(INVISIBLE, '')
    .replace(CONTROL, ' ')
    .replace(WHITESPACE_RUN, ' ')
    .trim();
}

/** Makes an untrusted string safe to show in a Markdown-rendered card field, capped in length. */
export function neutraliseText(value: string, maxChars: number = MAX_CARD_TEXT): string {
  const shortened = truncate(flatten(value), maxChars);
  const broken = shortened.replace(UNSAFE_PAIRS, breakSequence);
  // A value shown at the start of a line must not turn into a list item or heading.
  return LINE_START_MARKER.test(broken) ? `${ZERO_WIDTH_SPACE}${broken}` : broken;
}

/** Like neutraliseText, but shows an em dash for a missing or blank value. */
export function neutraliseOrDash(value: string | null | undefined, maxChars: number = MAX_CARD_TEXT): string {
  if (value === null || value === undefined) return '—';
  const text = neutraliseText(value, maxChars);
  return text.length === 0 ? '—' : text;
}
