import { describe, expect, it } from 'vitest';
import { HELP_EXAMPLES, parseCommand, type Command, type ParseErrorCode } from '../../src/chat/grammar.js';
import { itRejectsEach } from './error-table.js';

const list = (who: string): Command => ({ kind: 'list', who });
const revoke = (who: string): Command => ({ kind: 'revoke', who });
const POLICY: Command = { kind: 'policy' };
const ALL: Command = { kind: 'list', scope: 'all' };
const MINE: Command = { kind: 'list', scope: 'mine' };

describe('parseCommand: list, revoke and policy commands that parse', () => {
  const cases: Array<[string, Command]> = [
    ['list TAP for alice', list('alice')],
    ['list passes for alice@contoso.com', list('alice@contoso.com')],
    ['show TAP for "Alice Wong"', list('Alice Wong')],
    ['list tap alice', list('alice')],
    ['List TAPs for Alice Wong', list('Alice Wong')],
    ['show the TAP for bob', list('bob')],
    ['list all passes for “Minister for Health”', list('Minister for Health')],
    ['show temporary access pass for bob@contoso.com', list('bob@contoso.com')],
    ['list TAP for Policy', list('Policy')],
    ['list TAP for "tap policy"', list('tap policy')],
    ['<at>TapDesk</at> list TAP for alice.', list('alice')],
    ['@TapDesk show tap for ali\u200bce!', list('alice')],
    ['revoke TAP for alice', revoke('alice')],
    ['delete TAP for bob@contoso.com', revoke('bob@contoso.com')],
    ['remove pass for "Alice Wong"', revoke('Alice Wong')],
    ['REVOKE THE TAP FOR BOB', revoke('BOB')],
    ['revoke tap Alice Wong', revoke('Alice Wong')],
    ['revoke a temporary access pass for bob', revoke('bob')],
    ['<p>remove the pass for <b>alice</b></p>', revoke('alice')],
    ['tap policy', POLICY],
    ['policy', POLICY],
    ['show policy', POLICY],
    ['show TAP policy', POLICY],
    ['Show the TAP Policy.', POLICY],
    ['temporary access pass policy', POLICY],
    ['list TAP policy', POLICY],
    ['<at>TapDesk</at> TAP policy', POLICY],
    ['list TAPs', ALL],
    ['list passes', ALL],
    ['show TAPs', ALL],
    ['list all TAPs', ALL],
    ['list the passes', ALL],
    ['list temporary access passes', ALL],
    ['active passes', ALL],
    ['Active TAPs.', ALL],
    ['list active TAP', ALL],
    ['show outstanding passes', ALL],
    ['<at>TapDesk</at> list TAPs', ALL],
    ['list TAPs mine', MINE],
    ['list my TAPs', MINE],
    ['active passes mine', MINE],
    ['list all my passes', MINE],
    // A plural followed by a person is still about that person.
    ['list TAPs alice', list('alice')],
    ['list passes Mine Wong', list('Mine Wong')],
  ];
  it.each(cases)('%s', (text, command) => {
    expect(parseCommand(text)).toStrictEqual({ ok: true, command });
  });

  it.each(['list TAP for alice@contoso.com', 'revoke TAP for alice@contoso.com', 'tap policy'])(
    'lists %s in the help examples',
    (example) => {
      expect(HELP_EXAMPLES).toContain(example);
    },
  );
});

describe('parseCommand: the new commands do not disturb issue and audit', () => {
  it.each([
    ['issue TAP for List Smith', 'List Smith'],
    ['issue TAP for Revoke', 'Revoke'],
    ['new pass for "tap policy"', 'tap policy'],
    ['issue TAP for Policy Wong', 'Policy Wong'],
    ['create pass for show', 'show'],
  ])('%s still issues a pass for %s', (text, who) => {
    expect(parseCommand(text)).toStrictEqual({ ok: true, command: { kind: 'issue', who } });
  });

  it.each([
    ['show audit for bob', { kind: 'audit', who: 'bob', last: 20 }],
    ['show audit', { kind: 'audit', last: 20 }],
  ])('%s is still an audit command', (text, command) => {
    expect(parseCommand(text)).toStrictEqual({ ok: true, command });
  });
});

describe('parseCommand: list, revoke and policy errors', () => {
  const cases: Array<[string, ParseErrorCode, string]> = [
    ['list TAP', 'missing_target', "'list TAP for alice@contoso.com'"],
    ['list TAP for', 'missing_target', "'list TAP for alice@contoso.com'"],
    ['show pass', 'missing_target', 'Whose pass should I show?'],
    ['list TAP', 'missing_target', "'list TAPs' for every pass outstanding"],
    ['list TAPs mine please', 'unexpected_text', "'please'"],
    ['revoke TAP', 'missing_target', "'revoke TAP for alice@contoso.com'"],
    ['delete TAP for', 'missing_target', 'Whose pass should I revoke?'],
    ['remove pass for for bob', 'missing_target', 'revoke'],
    ['revoke TAP for now', 'missing_target', 'revoke'],
    ['revoke TAP for 2h', 'missing_target', 'revoke'],
    ['list TAP for ""', 'missing_target', 'quotes'],
    ['revoke TAP for "alice', 'missing_target', 'quote'],
    ['show TAP for "alice', 'missing_target', "'list TAP for"],
    ['revoke TAP for alice for 2h', 'unexpected_text', "'for'"],
    ['revoke TAP for Minister for Health', 'unexpected_text', 'quotes'],
    ['revoke TAP for alice@contoso.com now', 'unexpected_text', "'now'"],
    ['list TAP for "Alice Wong" please', 'unexpected_text', "'please'"],
    ['list TAP for alice 2h', 'unexpected_text', "'2h'"],
    ['revoke TAP for Alice Wong 5', 'unexpected_text', "'5'"],
    ['revoke TAP for alice once', 'unexpected_text', "'once'"],
    ['list TAP for Alice Wong please', 'unexpected_text', "'please'"],
    ['tap policy please', 'unexpected_text', "'please'"],
    ['show TAP policy for alice', 'unexpected_text', "'for'"],
    ['policy "x"', 'unexpected_text', "'x'"],
    [`revoke TAP for ${'a'.repeat(300)}`, 'too_long', '256'],
    ['list alice', 'unknown_command', "'list TAP for alice@contoso.com'"],
    ['remove alice', 'unknown_command', "'revoke TAP for alice@contoso.com'"],
    ['show', 'unknown_command', "'show'"],
    ['show me the audit', 'unknown_command', "'show'"],
    ['tap', 'unknown_command', "'tap'"],
    ['tap alice', 'unknown_command', "'tap'"],
  ];
  itRejectsEach(cases, { suggests: /(Try|try|e\.g\.|Put)/, maxLength: 300 });

  // Quoted commands in a message; "'revoke TAP' takes only..." names a command, not an example.
  const EXAMPLE_IN_MESSAGE = /'((?:list|revoke|show) TAP (?:for [^']+|policy)|show audit|tap policy)'/;

  it('suggests commands that themselves parse', () => {
    for (const text of ['list TAP', 'revoke TAP for alice now', 'show', 'remove alice', 'policy x']) {
      const result = parseCommand(text);
      if (result.ok) throw new Error(`expected an error for ${text}`);
      expect(result.error.message).toMatch(EXAMPLE_IN_MESSAGE);
      for (const [, example] of result.error.message.matchAll(new RegExp(EXAMPLE_IN_MESSAGE, 'g'))) {
        expect(parseCommand(example ?? '').ok, example).toBe(true);
      }
    }
  });
});
