import { describe, expect, it } from 'vitest';
import {
  HELP_EXAMPLES,
  MAX_REASON_CHARS,
  parseCommand,
  type Command,
  type ParseErrorCode,
} from '../../src/chat/grammar.js';
import { itRejectsEach } from './error-table.js';

type Request = Extract<Command, { kind: 'request' }>;
const request = (who: string, rest: Omit<Request, 'kind' | 'who'> = {}): Command => ({
  kind: 'request',
  who,
  ...rest,
});

describe('parseCommand: request commands that parse', () => {
  const cases: Array<[string, Command]> = [
    ['request TAP for Alice Wong reason: new phone', request('Alice Wong', { reason: 'new phone' })],
    [
      'request TAP for alice@contoso.com for 4h once start tomorrow 9:00 reason: lost phone, ticket INC0012345',
      request('alice@contoso.com', {
        lifetimeMinutes: 240,
        usableOnce: true,
        start: { kind: 'at', dayOffset: 1, hour: 9, minute: 0 },
        reason: 'lost phone, ticket INC0012345',
      }),
    ],
    [
      'request a temporary access pass for "Minister for Health" multi-use starting in 30m because new laptop',
      request('Minister for Health', {
        usableOnce: false,
        start: { kind: 'in', minutes: 30 },
        reason: 'new laptop',
      }),
    ],
    ['request TAP for alice@contoso.com', request('alice@contoso.com')],
    ['request pass for Alice Wong for 90 min', request('Alice Wong', { lifetimeMinutes: 90 })],
    ['Request a TAP for bob start now', request('bob')],
    // Every way of introducing the reason.
    ['request TAP for bob reason: lost phone', request('bob', { reason: 'lost phone' })],
    ['request TAP for bob reason : lost phone', request('bob', { reason: 'lost phone' })],
    ['request TAP for bob reason lost phone', request('bob', { reason: 'lost phone' })],
    ['request TAP for bob Reason:lost phone', request('bob', { reason: 'lost phone' })],
    ['request TAP for bob REASON: Lost Phone', request('bob', { reason: 'Lost Phone' })],
    ['request TAP for bob reason, lost phone', request('bob', { reason: 'lost phone' })],
    ['request TAP for bob because lost phone', request('bob', { reason: 'lost phone' })],
    ['request TAP for bob because: lost phone', request('bob', { reason: 'lost phone' })],
    ['request TAP for Bob Smith Because:lost phone', request('Bob Smith', { reason: 'lost phone' })],
    // The reason runs to the end as typed: keywords, case and quotes, balanced or not, are its own.
    [
      'request TAP for bob reason: "for" once, start in 2h. Reason: because',
      request('bob', { reason: '"for" once, start in 2h. Reason: because' }),
    ],
    ['request TAP for bob reason: 5" screen cracked', request('bob', { reason: '5" screen cracked' })],
    ['request TAP for bob reason: “Alice’s” phone', request('bob', { reason: '“Alice’s” phone' })],
    [
      'request TAP for bob for 2h reason: for 3h please',
      request('bob', { lifetimeMinutes: 120, reason: 'for 3h please' }),
    ],
    ['request TAP for bob reason:   lost\n\tphone  ', request('bob', { reason: 'lost phone' })],
    [
      'request TAP for bob reason: R&amp;D <b>laptop</b>&nbsp;wiped',
      request('bob', { reason: 'R&D laptop wiped' }),
    ],
    ['request TAP for bob reason: lost phone.', request('bob', { reason: 'lost phone' })],
    ['<at>TapDesk</at> request TAP for bob reason: x', request('bob', { reason: 'x' })],
    ['@TapDesk request TAP for bob because x', request('bob', { reason: 'x' })],
    [
      `request TAP for bob reason: ${'x'.repeat(MAX_REASON_CHARS)}`,
      request('bob', { reason: 'x'.repeat(MAX_REASON_CHARS) }),
    ],
    // Quotes keep a name that contains the keyword; longer words are not the keyword.
    ['request TAP for "Reason Smith" reason: x', request('Reason Smith', { reason: 'x' })],
    ['request TAP for bob reasonable', request('bob reasonable')],
    // A duration needs no 'for' (these were refused before).
    ['request TAP for alice 2h reason: x', request('alice', { lifetimeMinutes: 120, reason: 'x' })],
    ['request TAP for Alice Wong 2 hours', request('Alice Wong', { lifetimeMinutes: 120 })],
  ];
  it.each(cases)('%s', (text, command) => {
    expect(parseCommand(text)).toStrictEqual({ ok: true, command });
  });

  it('lists request examples, with a reason, in the help examples', () => {
    const requests = HELP_EXAMPLES.map((example) => parseCommand(example)).filter(
      (parsed) => parsed.ok && parsed.command.kind === 'request',
    );
    expect(requests.length).toBeGreaterThanOrEqual(1);
    for (const parsed of requests) expect(parsed).toMatchObject({ command: { reason: expect.any(String) } });
  });
});

describe('parseCommand: the reason keyword belongs to pass commands only', () => {
  it.each<[string, Command]>([
    ['list TAP for Reason Smith', { kind: 'list', who: 'Reason Smith' }],
    ['revoke TAP for Because Smith', { kind: 'revoke', who: 'Because Smith' }],
    ['audit for Reason Smith last 5', { kind: 'audit', who: 'Reason Smith', last: 5 }],
    ['issue TAP for "Reason Smith"', { kind: 'issue', who: 'Reason Smith' }],
    ['issue TAP for bob reasonable', { kind: 'issue', who: 'bob reasonable' }],
  ])('%s', (text, command) => {
    expect(parseCommand(text)).toStrictEqual({ ok: true, command });
  });
});

describe('parseCommand: request errors', () => {
  const cases: Array<[string, ParseErrorCode, string]> = [
    ['request TAP for alice reason:', 'bad_reason', "'request TAP for alice@contoso.com reason: lost phone'"],
    ['request TAP for alice reason', 'bad_reason', 'reason is empty'],
    ['request TAP for alice because', 'bad_reason', 'reason is empty'],
    ['request TAP for alice reason : ', 'bad_reason', 'reason is empty'],
    ['request TAP for alice reason: <b></b>', 'bad_reason', 'reason is empty'],
    [`request TAP for alice reason: ${'x'.repeat(MAX_REASON_CHARS + 1)}`, 'too_long', '201'],
    [`request TAP for alice reason: ${'lost phone '.repeat(30)}`, 'too_long', `${MAX_REASON_CHARS}`],
    [`request TAP for alice reason: ${'x'.repeat(600)}`, 'too_long', '500'],
    [`request TAP for alice reason: ${'x '.repeat(3000)}`, 'too_long', "'request TAP for"],
    ['request alice', 'unknown_command', "'request TAP for alice@contoso.com reason: lost phone'"],
    ['request', 'unknown_command', 'Tell me what to request'],
    ['request reason: lost phone', 'unknown_command', "'request TAP for"],
    ['request TAP', 'missing_target', "'request TAP for alice@contoso.com reason: lost phone'"],
    ['request TAP alice', 'missing_target', 'for'],
    ['request TAP for', 'missing_target', "'request TAP for"],
    ['request TAP for reason: lost phone', 'missing_target', "'request TAP for"],
    ['request TAP for once', 'missing_target', "'request TAP for"],
    ['request TAP for 2h reason: x', 'missing_target', "'2h'"],
    ['request TAP for 2 hours', 'missing_target', "'2 hours'"],
    ['request TAP for "alice reason: lost phone', 'missing_target', 'quote'],
    ['@TapDesk request TAP for "alice', 'missing_target', "'request TAP for"],
    ['request TAP for "" reason: x', 'missing_target', 'quotes'],
    [`request TAP for ${'a'.repeat(300)} reason: x`, 'too_long', '256'],
    ['request TAP for alice for 2 fortnights reason: x', 'bad_duration', "'2 fortnights'"],
    ['request TAP for alice for reason: x', 'bad_duration', "'for'"],
    ['request TAP for alice start reason: x', 'bad_start', 'start in 30m'],
    ['request TAP for alice start whenever reason: x', 'bad_start', "'whenever'"],
    ['request TAP for alice once multi-use reason: x', 'conflicting_options', "'request TAP for alice once"],
    ['request TAP for alice for 2h for 3h', 'conflicting_options', "'request TAP for alice for 4h"],
    ['request TAP for alice start in 1h start in 2h', 'conflicting_options', "'request TAP for alice start"],
    ['request TAP for alice@contoso.com lost phone', 'unexpected_text', "'reason: _why_'"],
    ['request TAP for alice for 2h please reason: x', 'unexpected_text', "'please'"],
    ['request TAP for alice once "x" reason: y', 'unexpected_text', "'x'"],
  ];
  // Every example in a request error is itself a request that parses; none shows 'issue TAP'.
  itRejectsEach(cases, {
    suggests: /(Try|try|e\.g\.|Pick one|Give one|Put)/,
    examples: /'((?:issue|request) TAP for [^']+)'/,
    never: /issue TAP|new TAP|create (a )?(TAP|pass)/i,
  });

  it('shows a request example whenever it shows a whole command', () => {
    for (const [text] of cases) {
      const result = parseCommand(text);
      if (result.ok) throw new Error(`expected an error for ${text}`);
      const examples = [...result.error.message.matchAll(/'([a-z]+ TAP for [^']+)'/g)];
      for (const [, example = ''] of examples) {
        expect(parseCommand(example), example).toMatchObject({ ok: true, command: { kind: 'request' } });
      }
    }
  });

  it('refuses a reason on an issue with a request example and an issue example that both parse', () => {
    const result = parseCommand('issue TAP for Alice Wong reason: new phone');
    if (result.ok) throw new Error('expected an error');
    const kinds = [...result.error.message.matchAll(/'([a-z]+ TAP for [^']+)'/g)].map(([, example = '']) => {
      const parsed = parseCommand(example);
      return parsed.ok ? parsed.command.kind : 'error';
    });
    expect(kinds).toStrictEqual(['request', 'issue']);
  });

  it('never throws, whatever follows the reason keyword', () => {
    const tails = [
      '"',
      '“',
      '<at>',
      '&#0;',
      '\u0000',
      '\ud800',
      '😀'.repeat(150),
      ':',
      ' : : ',
      'reason: reason:',
    ];
    for (const verb of ['request', 'issue', 'list', 'audit']) {
      for (const tail of tails) {
        for (const keyword of ['reason:', 'reason', 'because', 'Reason:x']) {
          const text = `${verb} TAP for bob ${keyword}${tail}`;
          expect(() => parseCommand(text), text).not.toThrow();
        }
      }
    }
  });
});

describe('parseCommand: where a requested pass goes', () => {
  const cases: Array<[string, Command]> = [
    ['request TAP for alice deliver to manager', request('alice', { deliverTo: 'manager' })],
    ['request TAP for Alice Wong deliver to the manager', request('Alice Wong', { deliverTo: 'manager' })],
    [
      'request TAP for alice by SMS reason: lost phone',
      request('alice', { deliverTo: 'sms', reason: 'lost phone' }),
    ],
    [
      'request TAP for alice 2h by text once',
      request('alice', { lifetimeMinutes: 120, usableOnce: true, deliverTo: 'sms' }),
    ],
    // Only before the reason: after it, the words are the reason, kept as typed.
    ['request TAP for alice reason: deliver to manager', request('alice', { reason: 'deliver to manager' })],
    // A lone "by" stays part of a name.
    ['request TAP for Anna By reason: x', request('Anna By', { reason: 'x' })],
  ];
  it.each(cases)('%s', (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, command });
  });

  it('refuses a delivery option on a pass the admin issues, and two different ones', () => {
    expect(parseCommand('issue TAP for alice deliver to manager')).toMatchObject({
      ok: false,
      error: { code: 'unexpected_text' },
    });
    expect(parseCommand('request TAP for alice by sms deliver to manager')).toMatchObject({
      ok: false,
      error: { code: 'conflicting_options' },
    });
  });
});
