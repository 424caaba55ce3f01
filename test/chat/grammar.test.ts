import { describe, expect, it } from 'vitest';
import { HELP_EXAMPLES, parseCommand, type Command, type ParseErrorCode } from '../../src/chat/grammar.js';
import { itRejectsEach } from './error-table.js';

type Issue = Extract<Command, { kind: 'issue' }>;
const issue = (who: string, rest: Omit<Issue, 'kind' | 'who'> = {}): Command => ({
  kind: 'issue',
  who,
  ...rest,
});

describe('parseCommand: commands that parse', () => {
  const cases: Array<[string, Command]> = [
    [
      '<at>TapDesk</at>  Issue   TAP for alice@contoso for 4h once',
      issue('alice@contoso', { lifetimeMinutes: 240, usableOnce: true }),
    ],
    ['issue TAP for Alice Wong for 2 hours', issue('Alice Wong', { lifetimeMinutes: 120 })],
    [
      'new tap for "Alice Wong" multi-use start tomorrow 9:00',
      issue('Alice Wong', { usableOnce: false, start: { kind: 'at', dayOffset: 1, hour: 9, minute: 0 } }),
    ],
    [
      'issue TAP for alice for 1h30m starting in 30m',
      issue('alice', { lifetimeMinutes: 90, start: { kind: 'in', minutes: 30 } }),
    ],
    ['issue TAP for alice@contoso.com', issue('alice@contoso.com')],
    [
      'create pass for alice.wong@contoso.onmicrosoft.com for 1 day',
      issue('alice.wong@contoso.onmicrosoft.com', { lifetimeMinutes: 1440 }),
    ],
    ['issue a temporary access pass for bob', issue('bob')],
    ['ISSUE A TAP FOR BOB FOR 90 MIN ONCE', issue('BOB', { lifetimeMinutes: 90, usableOnce: true })],
    ['issue an TAP for bob for an hour', issue('bob', { lifetimeMinutes: 60 })],
    ['issue TAP for bob one time for 90 minutes', issue('bob', { lifetimeMinutes: 90, usableOnce: true })],
    ['issue TAP for bob single-use', issue('bob', { usableOnce: true })],
    ['issue TAP for bob one-time once', issue('bob', { usableOnce: true })],
    ['issue TAP for bob reusable', issue('bob', { usableOnce: false })],
    [
      'issue TAP for bob start at 14:00',
      issue('bob', { start: { kind: 'at', dayOffset: 0, hour: 14, minute: 0 } }),
    ],
    [
      'issue TAP for bob start 9am',
      issue('bob', { start: { kind: 'at', dayOffset: 0, hour: 9, minute: 0 } }),
    ],
    [
      'issue TAP for bob start 12am',
      issue('bob', { start: { kind: 'at', dayOffset: 0, hour: 0, minute: 0 } }),
    ],
    [
      'issue TAP for bob start at 9:30 pm',
      issue('bob', { start: { kind: 'at', dayOffset: 0, hour: 21, minute: 30 } }),
    ],
    [
      'issue TAP for bob starting tomorrow 9:30',
      issue('bob', { start: { kind: 'at', dayOffset: 1, hour: 9, minute: 30 } }),
    ],
    [
      'issue TAP for bob start tomorrow at 8',
      issue('bob', { start: { kind: 'at', dayOffset: 1, hour: 8, minute: 0 } }),
    ],
    [
      'issue TAP for bob start at 8 tomorrow',
      issue('bob', { start: { kind: 'at', dayOffset: 1, hour: 8, minute: 0 } }),
    ],
    [
      'issue TAP for bob start today at noon',
      issue('bob', { start: { kind: 'at', dayOffset: 0, hour: 12, minute: 0 } }),
    ],
    ['issue TAP for bob starting in 30 minutes', issue('bob', { start: { kind: 'in', minutes: 30 } })],
    ['issue TAP for bob start in 2h', issue('bob', { start: { kind: 'in', minutes: 120 } })],
    [
      'issue TAP for bob start 2026-11-23 09:00',
      issue('bob', { start: { kind: 'on', date: '2026-11-23', hour: 9, minute: 0 } }),
    ],
    [
      'issue TAP for bob start 2026-11-23T09:00',
      issue('bob', { start: { kind: 'on', date: '2026-11-23', hour: 9, minute: 0 } }),
    ],
    [
      'issue TAP for bob start on 2028-02-29 at 7:05',
      issue('bob', { start: { kind: 'on', date: '2028-02-29', hour: 7, minute: 5 } }),
    ],
    ['issue TAP for bob start now for 2h', issue('bob', { lifetimeMinutes: 120 })],
    [
      'issue TAP for “Minister for Health” for 1 day',
      issue('Minister for Health', { lifetimeMinutes: 1440 }),
    ],
    ["issue TAP for Seán O'Brien-Ní Bhriain", issue("Seán O'Brien-Ní Bhriain")],
    ['issue TAP for R&amp;D&nbsp;Lead&nbsp;for 2h', issue('R&D Lead', { lifetimeMinutes: 120 })],
    ['<p>issue TAP for <b>alice</b> for 2h</p>', issue('alice', { lifetimeMinutes: 120 })],
    ['issue\u200b TAP for ali\u200bce for 2h!', issue('alice', { lifetimeMinutes: 120 })],
    ['issue TAP for alice for 2h. ', issue('alice', { lifetimeMinutes: 120 })],
    ['issue TAP for alice <at>TapDesk</at>', issue('alice')],
    ['@TapDesk issue TAP for alice', issue('alice')],
    ['issue TAP for alice\nfor 2h\tonce', issue('alice', { lifetimeMinutes: 120, usableOnce: true })],
    // Options need no keyword: a duration or a start ends the name (these were refused before).
    ['issue TAP for alice 2h', issue('alice', { lifetimeMinutes: 120 })],
    ['issue TAP for Alice Wong 2 hours', issue('Alice Wong', { lifetimeMinutes: 120 })],
    [
      'issue TAP for bob tomorrow 9am',
      issue('bob', { start: { kind: 'at', dayOffset: 1, hour: 9, minute: 0 } }),
    ],
  ];
  it.each(cases)('%s', (text, command) => {
    expect(parseCommand(text)).toStrictEqual({ ok: true, command });
  });

  it.each(['help', 'HELP', '?', '', '   ', '<at>TapDesk</at>', '<at>TapDesk</at> help'])(
    'treats %j as a request for help',
    (text) => {
      expect(parseCommand(text)).toStrictEqual({ ok: true, command: { kind: 'help' } });
    },
  );

  it.each(['hi', 'Hello!'])('treats %j as a greeting answered with help', (text) => {
    expect(parseCommand(text)).toStrictEqual({ ok: true, command: { kind: 'help', said: 'hello' } });
  });

  it.each(HELP_EXAMPLES)('accepts the help example %s', (example) => {
    expect(parseCommand(example).ok).toBe(true);
  });
});

describe('parseCommand: durations', () => {
  const minutes: Array<[string, number]> = [
    ['90m', 90],
    ['90 min', 90],
    ['90 minutes', 90],
    ['2h', 120],
    ['2 hrs', 120],
    ['4 hours', 240],
    ['1 day', 1440],
    ['1d', 1440],
    ['1.5h', 90],
    ['1.1h', 66],
    ['1h30m', 90],
    ['1 hour 30 minutes', 90],
    ['30 days', 43200],
    ['1m', 1],
  ];
  it.each(minutes)('reads "for %s" as %i minutes', (text, expected) => {
    expect(parseCommand(`issue TAP for alice for ${text}`)).toStrictEqual({
      ok: true,
      command: issue('alice', { lifetimeMinutes: expected }),
    });
  });
});

describe('parseCommand: errors', () => {
  const cases: Array<[string, ParseErrorCode, string]> = [
    ['frobnicate alice', 'unknown_command', "'frobnicate'"],
    ['issue alice', 'unknown_command', 'TAP'],
    ['issue TAP', 'missing_target', 'for'],
    ['issue TAP alice', 'missing_target', 'for'],
    ['issue TAP for', 'missing_target', 'for'],
    ['issue TAP for once', 'missing_target', 'for'],
    ['issue TAP for 2h', 'missing_target', "'2h'"],
    ['issue TAP for "alice', 'missing_target', 'quote'],
    ['issue TAP for ""', 'missing_target', 'quotes'],
    ['issue TAP for alice for 2 fortnights', 'bad_duration', "'2 fortnights'"],
    ['issue TAP for alice for 0m', 'bad_duration', 'at least 1 minute'],
    ['issue TAP for alice for 31 days', 'bad_duration', '30-day'],
    ['issue TAP for alice for 43201m', 'bad_duration', '30-day'],
    ['issue TAP for alice for 0.5m', 'bad_duration', 'whole number'],
    ['issue TAP for alice for -2h', 'bad_duration', "'-2h'"],
    ['issue TAP for alice for 2', 'bad_duration', "'2'"],
    ['issue TAP for alice for', 'bad_duration', "'for'"],
    ['issue TAP for Minister for Health', 'bad_duration', 'quotes'],
    ['issue TAP for alice start', 'bad_start', 'start in 30m'],
    ['issue TAP for alice start whenever', 'bad_start', "'whenever'"],
    ['issue TAP for alice start 9', 'bad_start', "'9'"],
    ['issue TAP for alice start tomorrow', 'bad_start', "'tomorrow'"],
    ['issue TAP for alice start at 25:00', 'bad_start', '0-23'],
    ['issue TAP for alice start at 13pm', 'bad_start', "'at 13pm'"],
    ['issue TAP for alice start 2026-02-30 09:00', 'bad_start', 'real date'],
    ['issue TAP for alice start in 0m', 'bad_start', 'delay'],
    ['issue TAP for alice once multi-use', 'conflicting_options', 'one-time and multi-use'],
    ['issue TAP for alice one time reusable', 'conflicting_options', 'one-time and multi-use'],
    ['issue TAP for alice for 2h for 3h', 'conflicting_options', 'more than one lifetime'],
    ['issue TAP for alice start in 1h start in 2h', 'conflicting_options', 'more than one start'],
    ['issue TAP for alice for 2h please', 'unexpected_text', "'please'"],
    ['issue TAP for alice@contoso.com bob', 'unexpected_text', "'bob'"],
    ['issue TAP for 2 hours', 'missing_target', "'2 hours'"],
    ['issue TAP for "Alice Wong" now', 'unexpected_text', "'now'"],
    ['issue TAP for alice start at 9 sharp', 'unexpected_text', "'sharp'"],
    ['issue TAP for alice once "x"', 'unexpected_text', "'x'"],
    [`issue TAP for ${'a'.repeat(501)}`, 'too_long', '500'],
    [`issue TAP for ${'a'.repeat(300)}`, 'too_long', '256'],
    ['x'.repeat(5000), 'too_long', '500'],
    // A reason belongs to 'request TAP for …'; on an issue it is refused, never read into the name.
    ['issue TAP for Alice Wong reason: new phone', 'unexpected_text', "'request TAP for"],
    [
      'issue TAP for alice@contoso.com for 4h once reason: lost phone',
      'unexpected_text',
      'confirmation card',
    ],
    ['create pass for bob because lost phone', 'unexpected_text', "'issue TAP for"],
    ['new TAP for bob Reason:lost', 'unexpected_text', 'reason'],
    ['issue TAP for bob reason:', 'unexpected_text', "'request TAP for"],
    ['issue TAP for bob reason', 'unexpected_text', "'request TAP for"],
  ];
  // Every message must show something concrete to type instead, and any command it shows parses.
  itRejectsEach(cases, {
    suggests: /(Try|try|e\.g\.|Pick one|Give one|Put)/,
    examples: /'((?:issue|request) TAP for [^']+)'/,
  });

  it('asks who the pass is for when the person is left out', () => {
    expect(parseCommand('please make me a pass')).toMatchObject({
      ok: false,
      error: { code: 'missing_target' },
    });
  });

  it('points unknown commands at help with two examples', () => {
    const result = parseCommand('please make coffee');
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    if (result.ok) return;
    expect(result.error.message).toContain("'help'");
    expect(result.error.message.match(/'issue TAP for [^']+'/g)).toHaveLength(2);
  });

  it('shortens long echoed text in messages', () => {
    const result = parseCommand(`issue TAP for alice for ${'x'.repeat(200)}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message.length).toBeLessThan(300);
  });

  it('never throws on values that are not strings', () => {
    expect(parseCommand(undefined as unknown as string)).toStrictEqual({
      ok: true,
      command: { kind: 'help' },
    });
    expect(parseCommand(42 as unknown as string).ok).toBe(true);
  });
});
