import { expect, it } from 'vitest';
import { parseCommand, type ParseErrorCode } from '../../src/chat/grammar.js';

/** [input, expected error code, text the message must mention] */
export type ErrorCase = [string, ParseErrorCode, string];

/**
 * One test per case: the input is refused with that code, the message mentions the given text and
 * shows something concrete to type instead (`suggests`), within `maxLength` characters when given.
 */
export function itRejectsEach(cases: ErrorCase[], check: { suggests: RegExp; maxLength?: number }): void {
  const named = cases.map(([text, code, mentions]) => ({
    name: text.length > 70 ? `${text.slice(0, 60)}…` : text,
    text,
    code,
    mentions,
  }));
  it.each(named)('$name -> $code', ({ text, code, mentions }) => {
    const result = parseCommand(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message).toContain(mentions);
    expect(result.error.message).toMatch(check.suggests);
    if (check.maxLength !== undefined) expect(result.error.message.length).toBeLessThan(check.maxLength);
  });
}
