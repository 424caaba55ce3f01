import { expect, it } from 'vitest';
import { parseCommand, type ParseErrorCode } from '../../src/chat/grammar.js';

/** [input, expected error code, text the message must mention] */
export type ErrorCase = [string, ParseErrorCode, string];

export type ErrorCheck = {
  /** Something concrete to type instead, which every message must show. */
  suggests: RegExp;
  maxLength?: number;
  /** Finds the example commands in a message (group 1); every one found must parse. */
  examples?: RegExp;
  /** Text no message may contain, such as another command's examples. */
  never?: RegExp;
};

/**
 * One test per case: the input is refused with that code, the message mentions the given text and
 * shows something concrete to type instead (`suggests`), within `maxLength` characters when given;
 * any example it shows (`examples`) parses, and it says nothing matching `never`.
 */
export function itRejectsEach(cases: ErrorCase[], check: ErrorCheck): void {
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
    const { message } = result.error;
    expect(result.error.code).toBe(code);
    expect(message).toContain(mentions);
    expect(message).toMatch(check.suggests);
    if (check.maxLength !== undefined) expect(message.length).toBeLessThan(check.maxLength);
    if (check.never) expect(message).not.toMatch(check.never);
    if (check.examples) {
      const all = new RegExp(check.examples.source, `${check.examples.flags.replace('g', '')}g`);
      for (const [, example = ''] of message.matchAll(all)) {
        expect(parseCommand(example), `example in: ${message}`).toMatchObject({ ok: true });
      }
    }
  });
}
