// Plain-text Teams messages (a reply that is not a card) are rendered as Markdown with some HTML:
// `[x](url)` becomes a link, `<at>` a mention, `<a href>` an anchor, and Teams turns bare https:// and
// www. text into links on its own. Readers trust what TapDesk says, so text someone else chose
// (display names, typed addresses, reasons, CSV cells, echoed commands, Graph error text) must arrive
// inert, or `[Re-verify your sign-in](https://evil.example)` shows up as a TapDesk link.
// Like cards (cards/escape.ts) this avoids backslash escapes, which some Teams clients show literally:
// a zero-width space is slipped into each sequence that starts syntax, and the two characters that
// format on their own (backtick, asterisk) are swapped for look-alikes. Applying it twice, or the
// card neutraliser after it, changes nothing visible: both drop zero-width spaces before they start.
import { flatten, truncate } from '../cards/escape.js';

const ZERO_WIDTH_SPACE = '\u200b';
/** Default cap for one value from someone else in a chat message (Entra display names reach 256). */
export const MAX_CHAT_FIELD = 256;

// Code spans and emphasis need no partner to pair with in the value itself (the message around it may
// hold one), so these characters are replaced rather than broken.
const LOOKALIKES: Readonly<Record<string, string>> = { '`': '\u02cb', '*': '\u2217' };
const LONE_MARKUP = /[`*]/g;
// Links and reference links, HTML tags, mentions, autolinks, bare URLs, entities, template expressions.
const STARTS_SYNTAX = /\$\{|\]\(|\]\[|\]:|<(?=[a-z/!?])|:\/\/|www\.|&(?=#|[a-z][a-z0-9]*;)/gi;
// Bold and strike-through with _ and ~; every pair in a run is broken, so "~~~" cannot survive either.
const DOUBLED = /([_~])(?=\1)/g;
// Heading, list, quote, table or setext line markers.
const LINE_START_MARKER = /^(?:[-+#>|=]|\d{1,9}[.)])/;

function breakSequence(sequence: string): string {
  return `${sequence.slice(0, 1)}${ZERO_WIDTH_SPACE}${sequence.slice(1)}`;
}

/**
 * Makes text from someone else safe to put inside a plain-text Teams message: one inert line, capped.
 * Inside means after some of TapDesk's words; a value that may start the message needs guardStart too.
 */
export function neutraliseChat(value: string, maxChars: number = MAX_CHAT_FIELD): string {
  return truncate(flatten(value), maxChars)
    .replace(LONE_MARKUP, (c) => LOOKALIKES[c] ?? c)
    .replace(STARTS_SYNTAX, breakSequence)
    .replace(DOUBLED, `$1${ZERO_WIDTH_SPACE}`);
}

/** A neutralised value that starts a message must not become a heading, list item or quote. */
export function guardStart(text: string): string {
  return LINE_START_MARKER.test(text) ? `${ZERO_WIDTH_SPACE}${text}` : text;
}

/** Several values, each neutralised and capped, joined for a message: a list of people, say. */
export class ChatList {
  readonly text: string;
  constructor(items: readonly string[], separator = ', ') {
    this.text = items.map((item) => neutraliseChat(item)).join(separator);
  }
}

/**
 * Builds a plain-text message: the literal parts are TapDesk's own wording (Markdown allowed), every
 * interpolated string is neutralised. ESLint refuses untagged template literals in sendActivity and in
 * an activity's `text`, so outside text cannot reach a message without passing through here.
 */
export function chatText(
  parts: TemplateStringsArray,
  ...values: ReadonlyArray<string | number | ChatList>
): string {
  const text = parts.reduce((out, part, index) => `${out}${part}${shown(values[index])}`, '');
  return parts[0] === '' ? guardStart(text) : text;
}

function shown(value: string | number | ChatList | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (value instanceof ChatList) return value.text;
  return neutraliseChat(value);
}
