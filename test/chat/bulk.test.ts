import { describe, expect, it } from 'vitest';
import {
  HELP_EXAMPLES,
  MAX_BULK_TARGETS,
  parseCommand,
  type Command,
  type ParseErrorCode,
} from '../../src/chat/grammar.js';
import { itRejectsEach } from './error-table.js';

type Bulk = Extract<Command, { kind: 'bulk' }>;
const bulk = (targets: string[], rest: Omit<Bulk, 'kind' | 'targets'> = {}): Command => ({
  kind: 'bulk',
  targets,
  ...rest,
});
const addresses = (count: number) => Array.from({ length: count }, (_, index) => `u${index}@x`);

describe('parseCommand: several people in one issue', () => {
  const cases: Array<[string, Command]> = [
    [
      'issue TAP for alice@contoso, bob@contoso, carol@contoso',
      bulk(['alice@contoso', 'bob@contoso', 'carol@contoso']),
    ],
    [
      'issue TAP for alice@contoso, bob@contoso for 8h once start tomorrow 9:00',
      bulk(['alice@contoso', 'bob@contoso'], {
        lifetimeMinutes: 480,
        usableOnce: true,
        start: { kind: 'at', dayOffset: 1, hour: 9, minute: 0 },
      }),
    ],
    ['create TAP for alice@contoso;bob@contoso', bulk(['alice@contoso', 'bob@contoso'])],
    ['new pass for alice ; bob multi-use', bulk(['alice', 'bob'], { usableOnce: false })],
    ['issue TAP for alice,bob;carol', bulk(['alice', 'bob', 'carol'])],
    // A duration needs no 'for' (this was refused before).
    ['issue TAP for alice, bob 2h', bulk(['alice', 'bob'], { lifetimeMinutes: 120 })],
    ['issue TAP for alice , bob ,carol', bulk(['alice', 'bob', 'carol'])],
    // A trailing separator, before the options or at the very end, is tolerated.
    ['issue TAP for alice, bob,', bulk(['alice', 'bob'])],
    ['issue TAP for alice, bob; for 2h', bulk(['alice', 'bob'], { lifetimeMinutes: 120 })],
    ['issue TAP for alice, bob , once', bulk(['alice', 'bob'], { usableOnce: true })],
    // Display names run to the next separator; quoted names may hold a comma or a keyword.
    [
      'issue TAP for Alice Wong, Bob van der Berg for 1 day',
      bulk(['Alice Wong', 'Bob van der Berg'], { lifetimeMinutes: 1440 }),
    ],
    [
      'issue TAP for "Wong, Alice", "Minister for Health","Bob Smith" ,carol@contoso',
      bulk(['Wong, Alice', 'Minister for Health', 'Bob Smith', 'carol@contoso']),
    ],
    ['issue TAP for “Wong, Alice”,“Okafor; Chidi”', bulk(['Wong, Alice', 'Okafor; Chidi'])],
    // Duplicates are the validation's business, not the grammar's.
    ['issue TAP for alice, alice, ALICE', bulk(['alice', 'alice', 'ALICE'])],
    ['<at>TapDesk</at> issue TAP for a@x, b@x', bulk(['a@x', 'b@x'])],
    ['@TapDesk, issue TAP for a@x, b@x', bulk(['a@x', 'b@x'])],
    ['issue TAP for R&amp;D Lead, alice', bulk(['R&D Lead', 'alice'])],
    ['issue TAP for alice,\nbob\tfor 2h', bulk(['alice', 'bob'], { lifetimeMinutes: 120 })],
    [`issue TAP for ${addresses(MAX_BULK_TARGETS).join(', ')}`, bulk(addresses(MAX_BULK_TARGETS))],
    // One person with a stray separator is still one issue; a quoted comma is part of the name.
    ['issue TAP for alice,', { kind: 'issue', who: 'alice' }],
    ['issue TAP for alice, for 2h', { kind: 'issue', who: 'alice', lifetimeMinutes: 120 }],
    ['issue TAP for "Wong, Alice" for 2h', { kind: 'issue', who: 'Wong, Alice', lifetimeMinutes: 120 }],
    [
      'request TAP for alice, for 2h reason: lost phone, new laptop',
      { kind: 'request', who: 'alice', lifetimeMinutes: 120, reason: 'lost phone, new laptop' },
    ],
    [
      'request TAP for bob reason: lost phone; ticket INC1, INC2',
      { kind: 'request', who: 'bob', reason: 'lost phone; ticket INC1, INC2' },
    ],
  ];
  it.each(cases)('%s', (text, command) => {
    expect(parseCommand(text)).toStrictEqual({ ok: true, command });
  });

  it('shows a bulk issue among the help examples', () => {
    const kinds = HELP_EXAMPLES.map((example) => {
      const parsed = parseCommand(example);
      return parsed.ok ? parsed.command.kind : 'error';
    });
    expect(kinds).toContain('bulk');
  });

  it('keeps the 500-character limit for lists', () => {
    const many = addresses(MAX_BULK_TARGETS).map((address) => `${address}${'x'.repeat(8)}`);
    expect(parseCommand(`issue TAP for ${many.join(', ')}`)).toMatchObject({
      ok: false,
      error: { code: 'too_long', message: expect.stringContaining('500') },
    });
  });
});

describe('parseCommand: errors in a list of people', () => {
  const cases: Array<[string, ParseErrorCode, string]> = [
    ['issue TAP for alice, , bob', 'missing_target', 'empty place'],
    ['issue TAP for alice,,bob for 2h', 'missing_target', 'empty place'],
    ['issue TAP for alice;;bob', 'missing_target', 'empty place'],
    ['issue TAP for , alice', 'missing_target', 'empty place'],
    ['issue TAP for ;alice, bob', 'missing_target', 'empty place'],
    ['issue TAP for alice, "", bob', 'missing_target', 'quotes are empty'],
    ['issue TAP for alice,"Bob Smith', 'missing_target', 'quote'],
    [`issue TAP for ${addresses(MAX_BULK_TARGETS + 1).join(',')}`, 'too_long', 'CSV file'],
    [`issue TAP for ${addresses(MAX_BULK_TARGETS + 1).join(',')}`, 'too_long', 'user, lifetime, once, start'],
    [`issue TAP for ${addresses(MAX_BULK_TARGETS + 1).join(',')}`, 'too_long', '1:1 chat'],
    [`issue TAP for alice, ${'b'.repeat(300)}`, 'too_long', '256'],
    ['issue TAP for alice, 2h', 'missing_target', "'2h'"],
    ['issue TAP for alice, bob for 2 fortnights', 'bad_duration', "'2 fortnights'"],
    ['issue TAP for alice, bob once multi-use', 'conflicting_options', 'one-time and multi-use'],
    ['issue TAP for alice, bob start whenever', 'bad_start', "'whenever'"],
    ['issue TAP for alice, bob for 2h please', 'unexpected_text', "'please'"],
    ['issue TAP for alice, bob for 2h please', 'unexpected_text', 'apply to everyone'],
    ['issue TAP for alice, bob once, carol', 'unexpected_text', 'Name everyone first'],
    ['issue TAP for alice, bob for 2h; once', 'unexpected_text', "';'"],
    ['issue TAP for alice@contoso bob@contoso', 'unexpected_text', 'comma between them'],
    ['issue TAP for alice, bob reason: lost phones', 'unexpected_text', 'confirmation card'],
  ];
  itRejectsEach(cases, {
    suggests: /(Try|try|e\.g\.|Pick one|Give one|Put)/,
    examples: /'((?:issue|request) TAP for [^']+)'/,
  });

  it('shows a list in every list error that shows a whole command', () => {
    for (const text of ['issue TAP for alice, , bob', 'issue TAP for alice, bob for 2h please']) {
      const result = parseCommand(text);
      if (result.ok) throw new Error(`expected an error for ${text}`);
      const [example = ''] = /'(issue TAP for [^']+)'/.exec(result.error.message)?.slice(1) ?? [];
      expect(parseCommand(example), example).toMatchObject({ ok: true, command: { kind: 'bulk' } });
    }
  });
});

describe('parseCommand: a request names one person', () => {
  const cases: Array<[string, ParseErrorCode, string]> = [
    ['request TAP for alice, bob', 'unexpected_text', 'one person at a time'],
    ['request TAP for alice@contoso; bob@contoso for 2h reason: lost phones', 'unexpected_text', 'CSV file'],
    ['request TAP for alice, , bob reason: x', 'unexpected_text', 'one person at a time'],
    ['request TAP for "Wong, Alice", bob reason: x', 'unexpected_text', "'issue TAP for"],
  ];
  itRejectsEach(cases, {
    suggests: /(Try|try|e\.g\.|Pick one|Give one|Put)/,
    examples: /'((?:issue|request) TAP for [^']+)'/,
  });

  it('shows one request example and one bulk issue example, both of which parse', () => {
    const result = parseCommand('request TAP for alice, bob reason: new phones');
    if (result.ok) throw new Error('expected an error');
    const kinds = [...result.error.message.matchAll(/'([a-z]+ TAP for [^']+)'/g)].map(([, example = '']) => {
      const parsed = parseCommand(example);
      return parsed.ok ? parsed.command.kind : 'error';
    });
    expect(kinds).toStrictEqual(['request', 'bulk']);
  });
});
