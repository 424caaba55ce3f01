import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/chat/grammar.js';
import { seededRandom, type Random } from './random.js';
import { ParseResultShape } from './shapes.js';

const VOCABULARY = [
  'issue',
  'request',
  'reason',
  'reason:',
  'Reason:',
  'because',
  'reasonable',
  ':',
  'create',
  'new',
  'a',
  'an',
  'TAP',
  'tap',
  'pass',
  'temporary',
  'access',
  'for',
  'for',
  'for',
  'once',
  'one-time',
  'one',
  'time',
  'single-use',
  'single',
  'use',
  'multi-use',
  'multi',
  'reusable',
  'start',
  'starting',
  'in',
  'at',
  'on',
  'today',
  'tomorrow',
  'now',
  'noon',
  'am',
  'pm',
  'help',
  '?',
  'audit',
  'show',
  'log',
  'last',
  'list',
  'revoke',
  'delete',
  'remove',
  'policy',
  'taps',
  'passes',
  'the',
  'all',
  'last',
  '20',
  '100',
  '101',
  '0',
  '-1',
  'hi',
  'hey',
  'thanks',
  'thank',
  'you',
  'what',
  'can',
  'do',
  'please',
  'pls',
  'give',
  'make',
  'get',
  'need',
  'needs',
  'I',
  'me',
  'reset',
  'temp',
  'isue',
  'revok',
  'monday',
  'next',
  'friday',
  '8:00',
  'bob',
  '2h',
  '90m',
  '1h30m',
  '1.5h',
  '0m',
  '0.5m',
  '99999d',
  '43201m',
  '1 day',
  '30',
  'hours',
  'minutes',
  'min',
  '9am',
  '12pm',
  '14:00',
  '25:99',
  '2026-11-23',
  '2026-02-30',
  '2026-11-23T09:00',
  '"',
  '\u201c',
  '\u201d',
  'Alice',
  'Wong',
  'alice@contoso.com',
  'alice@contoso',
  '@TapDesk',
  '<at>TapDesk</at>',
  '<at>',
  '</at>',
  '<p>',
  '</p>',
  '<b',
  '&nbsp;',
  '&amp;',
  '&lt;at&gt;',
  '&#x1F600;',
  '&#0;',
  '&#99999999;',
  '&#55296;',
  '.',
  '!',
  ',',
  '-',
  '${requestId}',
  '[x](https://evil.example)',
  '\u200b',
  '\u202e',
  '\ufeff',
];
const ODD_CHARACTERS = [
  '\u0000',
  '\u0007',
  '\n',
  '\r',
  '\t',
  '\u00a0',
  '\u2028',
  '\ud800',
  '\udfff',
  '😀',
  '\u0301',
  'ß',
  'İ',
  'ﬃ',
  '\u3000',
  '\\',
  '$',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  '<',
  '>',
  '&',
  '#',
  ';',
];

function randomUnicode(random: Random): string {
  return String.fromCodePoint(random.chance(0.8) ? random.int(0, 0xffff) : random.int(0x10000, 0x10ffff));
}

function randomInput(random: Random): string {
  const style = random.int(0, 9);
  if (style === 0) {
    // Long repetitive inputs: the classic trigger for catastrophic regex backtracking.
    const unit = random.pick(['<at', '1h', '&#', '"', 'for ', 'a ', '1', ' ', '<at>x', '<a ', 'TAP for x ']);
    return unit.repeat(random.int(50, 3000));
  }
  const parts: string[] = [];
  const count = random.int(0, style < 5 ? 14 : 40);
  for (let index = 0; index < count; index += 1) {
    const roll = random.next();
    if (roll < 0.7) parts.push(random.pick(VOCABULARY));
    else if (roll < 0.85) parts.push(random.pick(ODD_CHARACTERS));
    else parts.push(randomUnicode(random));
  }
  const separator = random.pick([' ', '  ', '', '\u00a0', '\t']);
  return parts.join(separator);
}

// Lists of people with separators, spacing and stray quotes anywhere: never a throw, always well formed.
const LIST_PARTS = [
  'alice@contoso.com',
  'bob@contoso',
  'Alice Wong',
  '"Wong, Alice"',
  '\u201cOkafor; Chidi\u201d',
  '""',
  '"',
  'for',
  'for 2h',
  '2h',
  'once',
  'multi-use',
  'start in 30m',
  'start tomorrow 9:00',
  'reason: x, y',
  '&#59;',
  '&amp;',
  '@TapDesk',
];
const SEPARATORS = [
  ',',
  ';',
  ', ',
  ' ,',
  ' ; ',
  ',,',
  ';;',
  ' , , ',
  '',
  ' ',
  '\u00a0,',
  '\t;',
  ',\n',
  ',"',
  '"\u201d,',
];

function randomList(random: Random): string {
  const verb = random.pick([
    'issue TAP for ',
    'new pass for ',
    'request TAP for ',
    '@TapDesk, create a TAP for ',
  ]);
  const parts: string[] = [];
  const count = random.int(0, random.chance(0.1) ? 80 : 8);
  for (let index = 0; index < count; index += 1) {
    parts.push(random.chance(0.85) ? random.pick(LIST_PARTS) : randomUnicode(random));
    parts.push(random.pick(SEPARATORS));
  }
  return verb + parts.join('');
}

describe('parseCommand fuzz', () => {
  it('always returns a well-formed result for 4,000 random lists of people', () => {
    const random = seededRandom(0x5e9a7a);
    const kinds = new Map<string, number>();
    for (let run = 0; run < 4000; run += 1) {
      const input = randomList(random);
      let result: unknown;
      expect(
        () => {
          result = parseCommand(input);
        },
        `list #${run}: ${JSON.stringify(input)}`,
      ).not.toThrow();
      const shape = ParseResultShape.safeParse(result);
      expect(shape.success, `list #${run}: ${JSON.stringify(input)} -> ${JSON.stringify(result)}`).toBe(true);
      const parsed = result as ReturnType<typeof parseCommand>;
      const kind = parsed.ok ? parsed.command.kind : parsed.error.code;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    expect(kinds.get('bulk')).toBeGreaterThan(50);
    expect(kinds.get('issue')).toBeGreaterThan(50);
    expect(kinds.get('missing_target')).toBeGreaterThan(50);
  });

  it('always returns a well-formed result for 8,000 random inputs', () => {
    const random = seededRandom(0x7a9d35);
    const outcomes = {
      issue: 0,
      request: 0,
      bulk: 0,
      audit: 0,
      list: 0,
      revoke: 0,
      policy: 0,
      help: 0,
      devices: 0,
      onboard: 0,
      'onboarding-status': 0,
      error: 0,
    };
    let suggestions = 0;
    for (let run = 0; run < 8000; run += 1) {
      // Half the inputs start like a real command so the fuzz reaches the option parser.
      const prefix = random.chance(0.5)
        ? random.pick([
            'issue TAP for ',
            'request TAP for ',
            'request a pass for Alice Wong ',
            'request TAP for bob reason: ',
            'issue TAP for bob because ',
            'new pass for alice ',
            '<at>Bot</at> create a tap for ',
            'audit ',
            'show audit log for ',
            'list TAP for ',
            'revoke the pass ',
            'show ',
            'tap policy ',
            'can you please give ',
            'give bob a TAP ',
            'TAP for ',
            'TAP bob@contoso ',
            'hey TapDesk, ',
            'bob needs a temp pass ',
            'I need a TAP for ',
            'isue tap for ',
          ])
        : '';
      const input = prefix + randomInput(random);
      let result: unknown;
      expect(
        () => {
          result = parseCommand(input);
        },
        `input #${run}: ${JSON.stringify(input.slice(0, 200))}`,
      ).not.toThrow();
      const shape = ParseResultShape.safeParse(result);
      expect(
        shape.success,
        `input #${run}: ${JSON.stringify(input.slice(0, 200))} -> ${JSON.stringify(result)}`,
      ).toBe(true);
      const parsed = result as ReturnType<typeof parseCommand>;
      outcomes[parsed.ok ? parsed.command.kind : 'error'] += 1;
      if (!parsed.ok && parsed.suggestion !== undefined) {
        suggestions += 1;
        // A suggestion is only offered if it is itself a command, as a click will parse it again.
        expect(parseCommand(parsed.suggestion), `suggested for #${run}: ${parsed.suggestion}`).toMatchObject({
          ok: true,
        });
      }
    }
    expect(suggestions).toBeGreaterThan(20);
    // Make sure the fuzz reaches every kind of result, not only the error path.
    expect(outcomes.issue).toBeGreaterThan(100);
    expect(outcomes.request).toBeGreaterThan(100);
    expect(outcomes.audit).toBeGreaterThan(50);
    expect(outcomes.list).toBeGreaterThan(50);
    expect(outcomes.revoke).toBeGreaterThan(50);
    expect(outcomes.policy).toBeGreaterThan(5);
    expect(outcomes.help).toBeGreaterThan(20);
    expect(outcomes.error).toBeGreaterThan(1000);
  });
});
