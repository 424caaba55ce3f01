import { describe, expect, it } from 'vitest';
import { HELP_EXAMPLES, parseCommand, type Command, type ParseErrorCode } from '../../src/chat/grammar.js';
import { itRejectsEach } from './error-table.js';

const audit = (last: number, who?: string): Command =>
  who === undefined ? { kind: 'audit', last } : { kind: 'audit', who, last };

describe('parseCommand: audit commands that parse', () => {
  const cases: Array<[string, Command]> = [
    ['audit', audit(20)],
    ['AUDIT', audit(20)],
    ['audit last 20', audit(20)],
    ['audit last 5', audit(5)],
    ['Audit Last 1', audit(1)],
    ['audit last 100', audit(100)],
    ['audit last 007', audit(7)],
    ['audit for alice', audit(20, 'alice')],
    ['audit for alice@contoso.com last 50', audit(50, 'alice@contoso.com')],
    ['audit last 50 for alice@contoso.com', audit(50, 'alice@contoso.com')],
    ['audit for "Alice Wong"', audit(20, 'Alice Wong')],
    ['audit for “Minister for Health” last 3', audit(3, 'Minister for Health')],
    ['audit for "Alice Last" last 3', audit(3, 'Alice Last')],
    ['audit for Alice Wong last 10', audit(10, 'Alice Wong')],
    ['audit for Alice Wong', audit(20, 'Alice Wong')],
    ['show audit for bob', audit(20, 'bob')],
    ['Show Audit Log for bob last 5', audit(5, 'bob')],
    ['audit log', audit(20)],
    ['audit log last 30', audit(30)],
    ['show audit', audit(20)],
    ['<at>TapDesk</at> audit for alice', audit(20, 'alice')],
    ['<at>TapDesk</at>&nbsp;audit last 5.', audit(5)],
    ['@TapDesk audit log for bob', audit(20, 'bob')],
    ['<p>audit for <b>alice</b></p>', audit(20, 'alice')],
    ['audit\u200b for ali\u200bce\nlast 5!', audit(5, 'alice')],
  ];
  it.each(cases)('%s', (text, command) => {
    expect(parseCommand(text)).toStrictEqual({ ok: true, command });
  });

  it.each(['audit for alice@contoso.com', 'audit last 20'])('lists %s in the help examples', (example) => {
    expect(HELP_EXAMPLES).toContain(example);
  });
});

describe('parseCommand: audit does not disturb the issue grammar', () => {
  it.each([
    ['issue TAP for Audit Smith', 'Audit Smith'],
    ['issue TAP for audit', 'audit'],
    ['new pass for "show audit log"', 'show audit log'],
    ['issue TAP for Alice Last', 'Alice Last'],
  ])('%s still issues a pass for %s', (text, who) => {
    expect(parseCommand(text)).toStrictEqual({ ok: true, command: { kind: 'issue', who } });
  });
});

describe('parseCommand: audit errors', () => {
  const cases: Array<[string, ParseErrorCode, string]> = [
    ['audit last 0', 'bad_count', "'0'"],
    ['audit last 101', 'bad_count', '1 to 100'],
    ['audit last -5', 'bad_count', "'-5'"],
    ['audit last 2.5', 'bad_count', "'2.5'"],
    ['audit last five', 'bad_count', "'five'"],
    ['audit last "20"', 'bad_count', "'20'"],
    ['audit last', 'bad_count', "'last' needs a number"],
    [`audit last ${'9'.repeat(400)}`, 'bad_count', '1 to 100'],
    ['audit for alice last', 'bad_count', "'last' needs a number"],
    ['audit for', 'missing_target', "'audit for alice@contoso.com'"],
    ['audit for last 5', 'missing_target', 'for'],
    ['audit for ""', 'missing_target', 'quotes'],
    ['audit for "alice', 'missing_target', 'quote'],
    ['show audit for "alice', 'missing_target', 'quote'],
    ['audit bob', 'unexpected_text', "'bob'"],
    ['audit for alice last 5 please', 'unexpected_text', "'please'"],
    ['audit for alice@contoso.com bob', 'unexpected_text', "'bob'"],
    ['audit for alice 50', 'unexpected_text', "'50'"],
    ['audit "alice"', 'unexpected_text', "'alice'"],
    ['audit for alice for bob', 'conflicting_options', 'more than one person'],
    ['audit for Minister for Health', 'conflicting_options', 'quotes'],
    ['audit last 5 last 6', 'conflicting_options', 'more than one count'],
    [`audit for ${'a'.repeat(300)}`, 'too_long', '256'],
    ['show me the audit', 'unknown_command', "'show'"],
  ];
  // Like every other error, it shows something concrete to type instead.
  itRejectsEach(cases, { suggests: /(Try|try|e\.g\.|Give one|Put)/, maxLength: 300 });

  it('suggests counts that themselves parse', () => {
    const result = parseCommand('audit last 500');
    if (result.ok) throw new Error('expected an error');
    for (const [, example] of result.error.message.matchAll(/'(audit [^']+)'/g)) {
      expect(parseCommand(example ?? '').ok, example).toBe(true);
    }
  });
});
