// The audit part of the chat grammar: "[show] audit [log] [for <who>] [last <count>]".
// Kept apart from the issue grammar so that neither can swallow the other's words: only a
// message that *starts* with "audit" or "show audit" is read here.
import { AUDIT_DEFAULT_LAST, AUDIT_MAX_LAST, errors, MAX_TARGET_CHARS, type ParseError } from './messages.js';
import { lowerAt, textOf, type Token } from './normalise.js';

/** Show recent audit entries, optionally only those about one person. */
export type AuditCommand = { kind: 'audit'; who?: string; last: number };

export type AuditParseResult = { ok: true; command: AuditCommand } | { ok: false; error: ParseError };

// Digits only: '2.5', '-1' and 'five' get a hint to retype rather than a guess at what was meant.
const COUNT = /^\d+$/;

/** The index after "audit", "audit log", "show audit" or "show audit log", or null if absent. */
export function auditPrefixLength(tokens: readonly Token[]): number | null {
  const at = lowerAt(tokens, 0) === 'show' ? 1 : 0;
  if (lowerAt(tokens, at) !== 'audit') return null;
  return lowerAt(tokens, at + 1) === 'log' ? at + 2 : at + 1;
}

function endsName(tokens: readonly Token[], index: number): boolean {
  const token = tokens[index];
  if (token === undefined || token.quoted) return true;
  // 'for' ends a name too, as in the issue grammar; names containing it go in quotes.
  return token.lower === 'last' || token.lower === 'for';
}

type Read<T> = { ok: true; value: T; next: number } | { ok: false; error: ParseError };

/** Reads <who> after 'for': one quoted name, one address, or the words up to 'last'/'for'. */
function readWho(tokens: readonly Token[], start: number): Read<string> {
  const first = tokens[start];
  if (first === undefined || (!first.quoted && endsName(tokens, start))) return errors.auditMissingTarget();
  let next = start + 1;
  if (first.quoted) {
    if (first.text.length === 0) return errors.auditEmptyQuotes();
  } else if (!first.text.includes('@')) {
    // An address is a single word; a display name runs on until an option keyword.
    while (!endsName(tokens, next)) next += 1;
  }
  // A bare number inside a name is almost always a count that lost its 'last'.
  for (let index = start; index < next; index += 1) {
    const word = tokens[index];
    if (word && !word.quoted && COUNT.test(word.text)) return errors.auditNumberInName(word.text);
  }
  const who = first.quoted ? first.text : textOf(tokens, start, next);
  if (who.length > MAX_TARGET_CHARS) return errors.targetTooLong();
  return { ok: true, value: who, next };
}

/** Reads <count> after 'last': a whole number from 1 to AUDIT_MAX_LAST. */
function readCount(tokens: readonly Token[], index: number): Read<number> {
  const token = tokens[index];
  if (token === undefined) return errors.badCount('');
  const count = !token.quoted && COUNT.test(token.text) ? Number(token.text) : Number.NaN;
  if (!Number.isInteger(count) || count < 1 || count > AUDIT_MAX_LAST) return errors.badCount(token.text);
  return { ok: true, value: count, next: index + 1 };
}

/** Parses the options after the audit prefix, in either order, each at most once. */
export function parseAuditOptions(tokens: readonly Token[], start: number): AuditParseResult {
  let who: string | undefined;
  let last: number | undefined;
  let index = start;
  while (index < tokens.length) {
    const word = lowerAt(tokens, index);
    let read: Read<string> | Read<number>;
    if (word === 'for') {
      if (who !== undefined) return errors.auditRepeatedOption('for');
      read = readWho(tokens, index + 1);
      if (read.ok) who = read.value;
    } else if (word === 'last') {
      if (last !== undefined) return errors.auditRepeatedOption('last');
      read = readCount(tokens, index + 1);
      if (read.ok) last = read.value;
    } else {
      return errors.auditUnexpectedWord(tokens[index]?.text ?? '');
    }
    if (!read.ok) return read;
    index = read.next;
  }
  const command: AuditCommand = { kind: 'audit', last: last ?? AUDIT_DEFAULT_LAST };
  if (who !== undefined) command.who = who;
  return { ok: true, command };
}
