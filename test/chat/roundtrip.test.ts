import { describe, expect, it } from 'vitest';
import {
  AUDIT_DEFAULT_LAST,
  AUDIT_MAX_LAST,
  MAX_BULK_TARGETS,
  MAX_LIFETIME_MINUTES,
  MAX_REASON_CHARS,
  parseCommand,
  type Command,
  type StartSpec,
} from '../../src/chat/grammar.js';
import { seededRandom, type Random } from './random.js';

type Issue = Extract<Command, { kind: 'issue' }>;
type Request = Extract<Command, { kind: 'request' }>;
type Bulk = Extract<Command, { kind: 'bulk' }>;
type Audit = Extract<Command, { kind: 'audit' }>;
type Manage = Extract<Command, { kind: 'list' | 'revoke' | 'policy' }>;

const FIRST_NAMES = ['Alice', 'Bob', 'María', 'José', 'Zoë', 'Li', 'Chidi', 'Anne-Marie', "D'Arcy"];
const LAST_NAMES = ['Wong', 'Okafor', 'van der Berg', 'Chen', 'Müller', "O'Brien", 'Nguyen'];
const DOMAINS = ['contoso.com', 'contoso', 'fabrikam.onmicrosoft.com', 'sub.example.co.uk'];

function randomCase(random: Random, word: string): string {
  return random.pick([word, word.toUpperCase(), word[0]?.toUpperCase() + word.slice(1)]);
}

function whoText(random: Random): { text: string; who: string } {
  const alias = `${random
    .pick(FIRST_NAMES)
    .toLowerCase()
    .replace(/[^a-z]/g, '')}${random.int(0, 99)}`;
  switch (random.int(0, 3)) {
    case 0:
      return { text: alias, who: alias };
    case 1: {
      const upn = `${alias}@${random.pick(DOMAINS)}`;
      return { text: upn, who: upn };
    }
    case 2: {
      const name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
      return { text: name, who: name };
    }
    default: {
      // Quoted names may contain keywords; the quotes keep them together.
      const name = `${random.pick(FIRST_NAMES)} ${random.pick(['for', 'once', 'start', 'Wong'])} ${random.pick(LAST_NAMES)}`;
      const [open, close] = random.pick([
        ['"', '"'],
        ['\u201c', '\u201d'],
      ] as const);
      return { text: `${open}${name}${close}`, who: name };
    }
  }
}

function durationText(random: Random, minutes: number): string {
  const options = [`${minutes}m`, `${minutes} minutes`, `${minutes} min`];
  if (minutes % 60 === 0) options.push(`${minutes / 60}h`, `${minutes / 60} hours`, `${minutes / 60} hrs`);
  if (minutes % 1440 === 0) options.push(`${minutes / 1440}d`, `${minutes / 1440} days`);
  if (minutes > 60 && minutes % 60 !== 0) {
    const hours = Math.floor(minutes / 60);
    options.push(`${hours}h${minutes % 60}m`, `${hours} hours ${minutes % 60} minutes`);
  }
  if (minutes % 30 === 0 && minutes % 60 !== 0) options.push(`${(minutes / 60).toFixed(1)}h`);
  return random.pick(options);
}

function randomMinutes(random: Random): number {
  return random.pick([
    random.int(1, 600),
    random.int(1, 72) * 60,
    random.int(1, 30) * 1440,
    random.int(1, MAX_LIFETIME_MINUTES),
  ]);
}

function clockText(random: Random, hour: number, minute: number): string {
  const twoDigits = (value: number) => String(value).padStart(2, '0');
  const options = [`${hour}:${twoDigits(minute)}`, `${twoDigits(hour)}:${twoDigits(minute)}`];
  const twelve = hour % 12 === 0 ? 12 : hour % 12;
  const meridiem = hour < 12 ? 'am' : 'pm';
  options.push(minute === 0 ? `${twelve}${meridiem}` : `${twelve}:${twoDigits(minute)} ${meridiem}`);
  return random.pick(options);
}

function startText(random: Random): { text: string; spec: StartSpec } {
  const keyword = random.pick(['start', 'starting', 'Start']);
  const hour = random.int(0, 23);
  const minute = random.pick([0, 15, 30, random.int(0, 59)]);
  switch (random.int(0, 2)) {
    case 0: {
      const minutes = randomMinutes(random);
      return { text: `${keyword} in ${durationText(random, minutes)}`, spec: { kind: 'in', minutes } };
    }
    case 1: {
      const dayOffset = random.pick([0, 1] as const);
      const clock = clockText(random, hour, minute);
      const day = dayOffset === 1 ? 'tomorrow' : random.pick(['today', '']);
      const at = day === '' ? 'at' : random.pick(['at', '']);
      const text = [keyword, day, at, clock].filter((part) => part !== '').join(' ');
      return { text, spec: { kind: 'at', dayOffset, hour, minute } };
    }
    default: {
      const date = `${random.int(2026, 2035)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
      const hh = String(hour).padStart(2, '0');
      const mm = String(minute).padStart(2, '0');
      const text = random.chance(0.5)
        ? `${keyword} ${date}T${hh}:${mm}`
        : `${keyword} ${date} at ${hh}:${mm}`;
      return { text, spec: { kind: 'on', date, hour, minute } };
    }
  }
}

// Words a reason may hold: the grammar's own keywords, quotes that never close, punctuation inside
// words and text in any script. Whitespace and markup are left to the spacing and the mention.
const REASON_WORDS = [
  'lost',
  'phone',
  'new',
  'Laptop',
  'ticket',
  'INC0012345',
  'for',
  'FOR',
  'once',
  'multi-use',
  'start',
  'in',
  '2h',
  'tomorrow',
  '9:00',
  'reason',
  'Reason:',
  'because',
  'issue',
  'TAP',
  'help',
  'audit',
  '"quoted',
  'text"',
  '“curly”',
  "it's",
  'x,',
  'a:b',
  '(urgent)',
  '-',
  '@TapDesk',
  'Müller',
  'José',
  '😀',
  '日本語',
  'ﬃ',
];
const ENDS_IN_PUNCTUATION = /[.!?,;:]$/;

/** A reason of 1..MAX_REASON_CHARS characters; the text is what the parser must return. */
function reasonWords(random: Random): string[] {
  const limit = random.pick([random.int(1, 40), random.int(1, MAX_REASON_CHARS)]);
  const words = [random.pick(REASON_WORDS)];
  for (;;) {
    const word = random.pick(REASON_WORDS);
    if (`${words.join(' ')} ${word}`.length > limit) break;
    words.push(word);
  }
  // The normaliser drops punctuation at the very end of a message, so end on a word.
  if (ENDS_IN_PUNCTUATION.test(words.at(-1) ?? '')) words.push('ok');
  return words;
}

/** "reason: <why>" in one of the ways it may be typed; 'reason:lost' glues the first word on. */
function reasonText(random: Random, words: readonly string[], spacing: string): string {
  const keyword = randomCase(
    random,
    random.pick(['reason:', 'reason :', 'reason', 'reason,', 'because', 'because:', 'reason:GLUED']),
  );
  const text = words.join(spacing);
  return keyword.toLowerCase().endsWith('glued')
    ? `${keyword.slice(0, 7)}${text}`
    : `${keyword}${spacing}${text}`;
}

function randomCommand(random: Random): { text: string; command: Issue };
function randomCommand(random: Random, kind: 'request'): { text: string; command: Request };
function randomCommand(
  random: Random,
  kind: 'issue' | 'request' = 'issue',
): { text: string; command: Issue | Request } {
  const target = whoText(random);
  const command: Issue | Request = { kind, who: target.who };
  const options: string[] = [];
  if (random.chance(0.6)) {
    command.lifetimeMinutes = randomMinutes(random);
    options.push(`${randomCase(random, 'for')} ${durationText(random, command.lifetimeMinutes)}`);
  }
  if (random.chance(0.6)) {
    command.usableOnce = random.chance(0.5);
    const words = command.usableOnce
      ? ['once', 'one-time', 'one time', 'single-use']
      : ['multi-use', 'reusable'];
    options.push(randomCase(random, random.pick(words)));
  }
  if (random.chance(0.6)) {
    const start = startText(random);
    command.start = start.spec;
    options.push(start.text);
  }
  const verb = randomCase(random, kind === 'request' ? 'request' : random.pick(['issue', 'create', 'new']));
  const object = random.pick([
    'TAP',
    'tap',
    'pass',
    'a TAP',
    'temporary access pass',
    'a temporary access pass',
  ]);
  const mention = random.pick(['', '<at>TapDesk</at> ', '<at>TapDesk</at>&nbsp;']);
  const spacing = random.pick([' ', '  ', ' \u00a0']);
  const words = [`${mention}${verb}`, object, 'for', target.text, ...random.shuffle(options)];
  if (kind === 'request' && random.chance(0.8)) {
    // The reason comes last and runs to the end; the parser returns it with single spaces.
    const reason = reasonWords(random);
    (command as Request).reason = reason.join(' ');
    words.push(reasonText(random, reason, spacing));
  }
  return { text: words.join(spacing) + random.pick(['', '.', '!']), command };
}

/** "issue TAP for a, b, … [options]" with any separators and spacing, within the 500 characters. */
function randomBulkCommand(random: Random): { text: string; command: Bulk } {
  const count = random.chance(0.8) ? random.int(2, 6) : random.int(2, MAX_BULK_TARGETS);
  const people = Array.from({ length: count }, () => whoText(random));
  const command: Bulk = { kind: 'bulk', targets: people.map((person) => person.who) };
  const options: string[] = [];
  if (random.chance(0.5)) {
    command.lifetimeMinutes = randomMinutes(random);
    options.push(`for ${durationText(random, command.lifetimeMinutes)}`);
  }
  if (random.chance(0.5)) {
    command.usableOnce = random.chance(0.5);
    options.push(random.pick(command.usableOnce ? ['once', 'one time'] : ['multi-use', 'reusable']));
  }
  if (random.chance(0.5)) {
    const start = startText(random);
    command.start = start.spec;
    options.push(start.text);
  }
  const separator = () => random.pick([', ', ',', ' , ', '; ', ';', ' ;  ', ',\n', ',\u00a0']);
  let list = people[0]?.text ?? '';
  for (const person of people.slice(1)) list += `${separator()}${person.text}`;
  if (random.chance(0.2)) list += separator().trimEnd();
  const verb = random.pick(['issue', 'create', 'new', 'Issue']);
  const mention = random.pick(['', '<at>TapDesk</at> ', '@TapDesk ']);
  const text = [`${mention}${verb} TAP for ${list}`, ...random.shuffle(options)].join(' ');
  // Long lists of long names would pass the 500-character limit: keep the first few people.
  if (text.length <= 500) return { text, command };
  return randomBulkCommand(random);
}

function randomAuditCommand(random: Random): { text: string; command: Audit } {
  const command: Audit = { kind: 'audit', last: AUDIT_DEFAULT_LAST };
  const options: string[] = [];
  if (random.chance(0.6)) {
    const target = whoText(random);
    command.who = target.who;
    options.push(`${randomCase(random, 'for')} ${target.text}`);
  }
  if (random.chance(0.6)) {
    command.last = random.int(1, AUDIT_MAX_LAST);
    options.push(`${randomCase(random, 'last')} ${command.last}`);
  }
  const prefix = random.pick(['audit', 'audit log', 'show audit', 'show audit log']);
  const mention = random.pick(['', '<at>TapDesk</at> ', '@TapDesk ']);
  const spacing = random.pick([' ', '  ', ' \u00a0']);
  const words = [`${mention}${randomCase(random, prefix)}`, ...random.shuffle(options)];
  return { text: words.join(spacing) + random.pick(['', '.', '!']), command };
}

function randomManageCommand(random: Random): { text: string; command: Manage } {
  const mention = random.pick(['', '<at>TapDesk</at> ', '@TapDesk ']);
  const spacing = random.pick([' ', '  ', ' \u00a0']);
  const end = random.pick(['', '.', '!']);
  if (random.chance(0.2)) {
    const words = random.pick([
      'policy',
      'tap policy',
      'show policy',
      'show TAP policy',
      'show the TAP policy',
    ]);
    return { text: `${mention}${randomCase(random, words)}${end}`, command: { kind: 'policy' } };
  }
  const kind = random.pick(['list', 'revoke'] as const);
  const verbs = kind === 'list' ? ['list', 'show'] : ['revoke', 'delete', 'remove'];
  const object = random.pick(['TAP', 'tap', 'TAPs', 'pass', 'passes', 'the TAP', 'temporary access pass']);
  const target = whoText(random);
  // 'for' may be left out ("list tap alice"); a quoted or plain name reads the same either way.
  const words = [`${mention}${randomCase(random, random.pick(verbs))}`, object];
  if (random.chance(0.8)) words.push(randomCase(random, 'for'));
  words.push(target.text);
  const command: Manage = kind === 'list' ? { kind, who: target.who } : { kind, who: target.who };
  return { text: words.join(spacing) + end, command };
}

/** A duration as it may be typed without 'for': one word, or a number and its unit. */
function bareDurationText(random: Random, minutes: number): string {
  const options = [`${minutes}m`, `${minutes} minutes`];
  if (minutes % 60 === 0) options.push(`${minutes / 60}h`, `${minutes / 60} hours`);
  if (minutes % 1440 === 0) options.push(`${minutes / 1440}d`, `${minutes / 1440} days`);
  if (minutes > 60 && minutes % 60 !== 0) options.push(`${Math.floor(minutes / 60)}h${minutes % 60}m`);
  return random.pick(options);
}

/**
 * A pass command typed the way people talk: politeness, another verb, the person before or after the
 * pass, or no verb; options in any order, each with or without its keyword.
 */
function randomPhrasing(random: Random): { text: string; command: Issue } {
  const target = whoText(random);
  const command: Issue = { kind: 'issue', who: target.who };
  const options: string[] = [];
  const start = random.chance(0.5) ? startText(random) : undefined;
  if (start !== undefined) {
    command.start = start.spec;
    // Every start but a date reads as well without its keyword.
    const bare = start.spec.kind !== 'on' && random.chance(0.6);
    options.push(bare ? start.text.replace(/^\S+ /, '') : start.text);
  }
  if (random.chance(0.6)) {
    command.lifetimeMinutes = randomMinutes(random);
    // "start in 2h 4h" is one delay of six hours: after a delay, a lifetime needs its 'for'.
    const bare = start?.spec.kind !== 'in' && random.chance(0.5);
    options.push(
      bare
        ? bareDurationText(random, command.lifetimeMinutes)
        : `for ${durationText(random, command.lifetimeMinutes)}`,
    );
  }
  if (random.chance(0.5)) {
    command.usableOnce = random.chance(0.5);
    options.push(
      random.pick(command.usableOnce ? ['once', 'one-time', 'single use'] : ['multi-use', 'reusable']),
    );
  }
  const object = random.pick([
    'TAP',
    'a TAP',
    'a temp pass',
    'a temporary access pass',
    'an access pass',
    'a pass',
  ]);
  const wrapper = random.pick([
    '',
    'please ',
    'can you ',
    'could you please ',
    'hey TapDesk, ',
    'pls ',
    'TapDesk ',
  ]);
  const courtesy = random.pick(['', '', ' please', ' thanks', ' pls']);
  const rest = random.shuffle(options).join(' ');
  const forms = [
    () =>
      `${wrapper}${random.pick(['give', 'make', 'get', 'generate', 'send', 'set up'])} ${object} for ${target.text}`,
    () =>
      `${wrapper}${random.pick(['give', 'make', 'get', 'create', 'send', 'grant', 'issue'])} ${target.text} ${object}`,
    () => `${target.text} ${random.pick(['needs', 'wants', 'requires'])} ${object}`,
    () => `${random.pick(['', 'I need ', 'can I get ', 'we need ', 'please '])}${object} for ${target.text}`,
    () => `${wrapper}reset access for ${target.text}`,
  ];
  const head = random.pick(forms)();
  return { text: `${head}${rest ? ` ${rest}` : ''}${courtesy}${random.pick(['', '.', '!', '?'])}`, command };
}

describe('parseCommand round trip', () => {
  it('returns exactly the parts a command typed the way people talk was built from', () => {
    const random = seededRandom(20_261_204);
    for (let run = 0; run < 3000; run += 1) {
      const { text, command } = randomPhrasing(random);
      expect(parseCommand(text), `#${run}: ${text}`).toStrictEqual({ ok: true, command });
    }
  });

  it('returns exactly the parts a generated command was built from', () => {
    const random = seededRandom(20_261_123);
    for (let run = 0; run < 3000; run += 1) {
      const { text, command } = randomCommand(random);
      expect(parseCommand(text), `#${run}: ${text}`).toStrictEqual({ ok: true, command });
    }
  });

  it('returns exactly the parts a generated request was built from, reason included', () => {
    const random = seededRandom(20_261_126);
    let withReason = 0;
    for (let run = 0; run < 3000; run += 1) {
      const { text, command } = randomCommand(random, 'request');
      if (command.reason !== undefined) withReason += 1;
      expect(parseCommand(text), `#${run}: ${text}`).toStrictEqual({ ok: true, command });
    }
    expect(withReason).toBeGreaterThan(2000);
  });

  it('returns exactly the people and options a generated list of people was built from', () => {
    const random = seededRandom(20_261_127);
    let long = 0;
    for (let run = 0; run < 2000; run += 1) {
      const { text, command } = randomBulkCommand(random);
      if (command.targets.length > 10) long += 1;
      expect(parseCommand(text), `#${run}: ${text}`).toStrictEqual({ ok: true, command });
    }
    expect(long).toBeGreaterThan(50);
  });

  it('returns exactly the parts a generated audit command was built from', () => {
    const random = seededRandom(20_261_124);
    for (let run = 0; run < 2000; run += 1) {
      const { text, command } = randomAuditCommand(random);
      expect(parseCommand(text), `#${run}: ${text}`).toStrictEqual({ ok: true, command });
    }
  });

  it('returns exactly the parts a generated list, revoke or policy command was built from', () => {
    const random = seededRandom(20_261_125);
    for (let run = 0; run < 2000; run += 1) {
      const { text, command } = randomManageCommand(random);
      expect(parseCommand(text), `#${run}: ${text}`).toStrictEqual({ ok: true, command });
    }
  });
});
