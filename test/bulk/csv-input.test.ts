import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_CSV_BYTES, MAX_CSV_ROWS, parseBulkCsv, type CsvInput } from '../../src/bulk/csv-input.js';
import { MAX_LIFETIME_MINUTES } from '../../src/chat/grammar.js';
import { seededRandom, type Random } from '../chat/random.js';

const EXAMPLE_FILE = 'user,lifetime,once,start\nalice@contoso.com,8h,yes,2026-12-01T09:00:00+01:00';
const GUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/** The message of a refused file; fails the test when the file was read. */
function refusal(input: Uint8Array | string): string {
  const result = parseBulkCsv(input);
  if (result.ok) throw new Error(`expected the file to be refused: ${JSON.stringify(result)}`);
  return result.message;
}

/** The rows and row errors of a read file; fails the test when it was refused. */
function read(input: Uint8Array | string): Extract<CsvInput, { ok: true }> {
  const result = parseBulkCsv(input);
  if (!result.ok) throw new Error(`expected the file to be read: ${result.message}`);
  return result;
}

/** One cell of a one-column-of-interest file: "user,<column>\nalice@contoso.com,<value>". */
function readCell(column: string, value: string): Extract<CsvInput, { ok: true }> {
  return read(`user,${column}\nalice@contoso.com,${value}\n`);
}

describe('parseBulkCsv: files that are read', () => {
  it('reads every column, with a BOM, CRLF, a loose header, quoted cells and blank lines', () => {
    const file =
      '\ufeff User , LIFETIME,Once ,start\r\n' +
      'alice@contoso.com,8h,yes,2026-12-01T09:00:00+01:00\r\n' +
      '\r\n' +
      '"bob@contoso.com","1 day","no","tomorrow 9:00"\r\n' +
      ' , , , \r\n' +
      `${GUID},,,\r\n`;
    expect(parseBulkCsv(file)).toStrictEqual({
      ok: true,
      rows: [
        {
          line: 2,
          user: 'alice@contoso.com',
          lifetimeMinutes: 480,
          usableOnce: true,
          start: { kind: 'at-instant', iso: '2026-12-01T08:00:00.000Z' },
        },
        {
          line: 4,
          user: 'bob@contoso.com',
          lifetimeMinutes: 1440,
          usableOnce: false,
          start: { kind: 'at', dayOffset: 1, hour: 9, minute: 0 },
        },
        { line: 6, user: GUID },
      ],
      rowErrors: [],
    });
  });

  it('reads the same file given as bytes, with or without a BOM, and with LF line ends', () => {
    const text = 'user,lifetime\nalice@contoso.com,2h\nbob@contoso.com,\n';
    const expected = {
      ok: true,
      rows: [
        { line: 2, user: 'alice@contoso.com', lifetimeMinutes: 120 },
        { line: 3, user: 'bob@contoso.com' },
      ],
      rowErrors: [],
    };
    const bytes = new TextEncoder().encode(text);
    expect(parseBulkCsv(text)).toStrictEqual(expected);
    expect(parseBulkCsv(bytes)).toStrictEqual(expected);
    expect(parseBulkCsv(Buffer.from(`\ufeff${text}`, 'utf8'))).toStrictEqual(expected);
    expect(parseBulkCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]))).toStrictEqual(expected);
  });

  it('takes the columns in any order, and only user is required', () => {
    expect(read('start,USER\nin 30m,alice@contoso.com').rows).toStrictEqual([
      { line: 2, user: 'alice@contoso.com', start: { kind: 'in', minutes: 30 } },
    ]);
    expect(read('user\nalice@contoso.com\r\nbob@contoso.com').rows).toStrictEqual([
      { line: 2, user: 'alice@contoso.com' },
      { line: 3, user: 'bob@contoso.com' },
    ]);
  });

  it("numbers rows by the file's lines, across blank lines and cells that span lines", () => {
    const file =
      '\n\nuser,lifetime\r\n\r\n"alice@contoso.com","2h"\r\n"bob@contoso.com","bad\r\nvalue"\r\n\nc@x,1h\rd@x,1h\n';
    const result = read(file);
    expect(result.rows.map((row) => [row.line, row.user])).toStrictEqual([
      [5, 'alice@contoso.com'],
      [9, 'c@x'],
      [10, 'd@x'],
    ]);
    expect(result.rowErrors.map((error) => [error.line, error.user])).toStrictEqual([[6, 'bob@contoso.com']]);
  });

  it("keeps duplicates: finding them is the validation's job", () => {
    expect(read('user\nalice@contoso.com\nalice@contoso.com').rows).toHaveLength(2);
  });

  it('reads files that Excel saves with semicolons or tabs', () => {
    expect(read('user;lifetime\nalice@contoso.com;2h\n').rows).toStrictEqual([
      { line: 2, user: 'alice@contoso.com', lifetimeMinutes: 120 },
    ]);
    expect(read('user\tonce\nalice@contoso.com\tno\n').rows).toStrictEqual([
      { line: 2, user: 'alice@contoso.com', usableOnce: false },
    ]);
  });

  it(`accepts ${MAX_CSV_ROWS.toLocaleString('en-US')} rows`, () => {
    const lines = Array.from({ length: MAX_CSV_ROWS }, (_, index) => `user${index}@contoso.com,8h,yes,`);
    const result = read(`user,lifetime,once,start\n${lines.join('\n')}\n`);
    expect(result.rows).toHaveLength(MAX_CSV_ROWS);
    expect(result.rowErrors).toHaveLength(0);
    expect(result.rows.at(-1)).toStrictEqual({
      line: MAX_CSV_ROWS + 1,
      user: `user${MAX_CSV_ROWS - 1}@contoso.com`,
      lifetimeMinutes: 480,
      usableOnce: true,
    });
  });
});

describe('parseBulkCsv: cells', () => {
  it.each([
    ['8h', 480],
    ['90m', 90],
    ['1 day', 1440],
    ['2 hours', 120],
    ['120', 120],
    [' 1h30m ', 90],
    ['1.5h', 90],
    ['30 DAYS', MAX_LIFETIME_MINUTES],
  ])('reads the lifetime %j as %i minutes', (typed, minutes) => {
    expect(readCell('lifetime', typed).rows).toStrictEqual([
      { line: 2, user: 'alice@contoso.com', lifetimeMinutes: minutes },
    ]);
  });

  it.each([
    ['forever', "'forever'"],
    ['0', 'at least 1 minute'],
    ['31 days', '30-day'],
    ['0.5m', 'whole number'],
    ['-2h', "'-2h'"],
    ['2 fortnights', "'2 fortnights'"],
  ])('refuses the lifetime %j, saying what to write', (typed, mentions) => {
    const result = readCell('lifetime', typed);
    expect(result.rows).toHaveLength(0);
    expect(result.rowErrors).toStrictEqual([
      { line: 2, user: 'alice@contoso.com', message: expect.stringContaining(mentions) },
    ]);
    expect(result.rowErrors[0]?.message).toMatch(/8h, 90m, 1 day or 120/);
  });

  it.each([
    ['true', true],
    ['YES', true],
    ['1', true],
    ['Once', true],
    ['false', false],
    ['no', false],
    ['0', false],
    ['multi-use', false],
  ])('reads once %j as %s', (typed, once) => {
    expect(readCell('once', typed).rows).toStrictEqual([
      { line: 2, user: 'alice@contoso.com', usableOnce: once },
    ]);
  });

  it.each(['maybe', 'y', '2', 'twice'])('refuses once %j, saying what to write', (typed) => {
    expect(readCell('once', typed).rowErrors).toStrictEqual([
      { line: 2, user: 'alice@contoso.com', message: expect.stringMatching(/not yes or no\. Write yes/) },
    ]);
  });

  it.each([
    ['2026-12-01T09:00:00+01:00', { kind: 'at-instant', iso: '2026-12-01T08:00:00.000Z' }],
    ['2026-12-01T09:00:00Z', { kind: 'at-instant', iso: '2026-12-01T09:00:00.000Z' }],
    ['2026-12-01T09:00-05:00', { kind: 'at-instant', iso: '2026-12-01T14:00:00.000Z' }],
    ['tomorrow 9:00', { kind: 'at', dayOffset: 1, hour: 9, minute: 0 }],
    ['Tomorrow  9am', { kind: 'at', dayOffset: 1, hour: 9, minute: 0 }],
    ['in 30m', { kind: 'in', minutes: 30 }],
    ['at 14:00', { kind: 'at', dayOffset: 0, hour: 14, minute: 0 }],
    ['2026-11-23 09:00', { kind: 'on', date: '2026-11-23', hour: 9, minute: 0 }],
  ])('reads the start %j', (typed, start) => {
    expect(readCell('start', typed).rows).toStrictEqual([{ line: 2, user: 'alice@contoso.com', start }]);
  });

  it('reads the start "now" as no start time', () => {
    expect(readCell('start', 'now').rows).toStrictEqual([{ line: 2, user: 'alice@contoso.com' }]);
  });

  it.each([
    'soon',
    '2026-12-01T09:00:00',
    '2026-02-30T09:00Z',
    'tomorrow 9:00 please',
    '9',
    '2026-12-01T09:00+25:00',
  ])('refuses the start %j, with an example of each form', (typed) => {
    const [error] = readCell('start', typed).rowErrors;
    expect(error?.message).toContain(`couldn't read the start`);
    expect(error?.message).toContain('2026-12-01T09:00:00+01:00');
    expect(error?.message).toContain("'tomorrow 9:00'");
  });

  it.each(['alice@contoso.com', 'Alice.Wong@Contoso.onmicrosoft.com', GUID, GUID.toUpperCase(), ' a@b '])(
    'takes %j as a user',
    (user) => {
      expect(read(`user\n${user}`).rows).toStrictEqual([{ line: 2, user: user.trim() }]);
    },
  );

  it.each([
    ['', 'empty'],
    ['Alice Wong', 'neither a sign-in address'],
    ['alice', 'neither a sign-in address'],
    ['a@b@c', 'neither a sign-in address'],
    ['alice @contoso.com', 'neither a sign-in address'],
    ['@contoso.com', 'neither a sign-in address'],
    ['3f2504e0-4f89-41d3-9a0c', 'neither a sign-in address'],
  ])('refuses the user %j', (user, mentions) => {
    const result = read(`user,once\n${user},yes`);
    expect(result.rows).toHaveLength(0);
    expect(result.rowErrors).toStrictEqual([{ line: 2, user, message: expect.stringContaining(mentions) }]);
    expect(result.rowErrors[0]?.message).toContain('alice@contoso.com');
  });

  it('refuses a user longer than 256 characters and shortens it in the row error', () => {
    const user = `${'a'.repeat(300)}@contoso.com`;
    const [error] = read(`user\n${user}`).rowErrors;
    expect(error?.message).toContain('longer than 256');
    expect(error?.user.length).toBeLessThanOrEqual(257);
    expect(user.startsWith(error?.user.slice(0, -1) ?? 'x')).toBe(true);
  });

  it('reports every problem of a line in one row error', () => {
    const [error, ...more] = read('user,lifetime,once,start\nAlice Wong,forever,maybe,soon').rowErrors;
    expect(more).toHaveLength(0);
    for (const mentions of ["'Alice Wong'", "'forever'", "'maybe'", "'soon'"]) {
      expect(error?.message).toContain(mentions);
    }
  });

  it('refuses a line with more or fewer cells than the header, and reads the others', () => {
    const result = read(
      'user,lifetime\nalice@contoso.com\nbob@contoso.com,2h,yes\n,\ncarol@contoso.com,1h\n',
    );
    expect(result.rows).toStrictEqual([{ line: 5, user: 'carol@contoso.com', lifetimeMinutes: 60 }]);
    expect(result.rowErrors).toStrictEqual([
      {
        line: 2,
        user: 'alice@contoso.com',
        message: expect.stringContaining('1 cell but the header has 2 columns'),
      },
      {
        line: 3,
        user: 'bob@contoso.com',
        message: expect.stringContaining('3 cells but the header has 2 columns'),
      },
    ]);
    expect(result.rowErrors[0]?.message).toContain('alice@contoso.com,8h');
  });

  it('names the user cell as empty when a short line has none', () => {
    expect(read('lifetime,user\n2h').rowErrors).toStrictEqual([
      { line: 2, user: '', message: expect.stringContaining('1 cell') },
    ]);
  });
});

describe('parseBulkCsv: files that are refused', () => {
  it('explains the header, with a two-line example file, when there is no user column', () => {
    for (const file of ['name,lifetime\nalice@contoso.com,2h', 'alice@contoso.com,8h\nbob@contoso.com,8h']) {
      const message = refusal(file);
      expect(message).toContain("'user' column");
      expect(message).toContain(EXAMPLE_FILE);
    }
  });

  it('names unknown columns and the ones it reads', () => {
    const message = refusal('user,colour,Size\nalice@contoso.com,red,2');
    expect(message).toContain("'colour', 'size'");
    expect(message).toContain('user (required), lifetime, once and start');
    expect(refusal('user,reason\na@b,x')).toContain("column 'reason'.");
  });

  it('refuses a header that repeats a column or leaves one unnamed', () => {
    expect(refusal('user,once,USER\na@b,yes,c@d')).toContain("'user' more than once");
    expect(refusal('user,,once\na@b,,yes')).toContain('Column 2 of the header has no name');
  });

  it.each<[string, Uint8Array | string]>([
    ['invalid UTF-8', new Uint8Array([0x75, 0x73, 0x65, 0x72, 0x0a, 0xc3, 0x28])],
    ['NUL bytes', new Uint8Array([0x75, 0x73, 0x65, 0x72, 0x0a, 0x61, 0x00, 0x62])],
    ['a NUL in text', 'user\na\u0000b@contoso.com'],
    ['UTF-16 text', Buffer.from('\ufeffuser\r\nalice@contoso.com\r\n', 'utf16le')],
    ['a zip (xlsx) header', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00])],
    ['a lone surrogate', 'user\n\ud800@contoso.com'],
  ])('refuses %s as not a CSV text file', (_name, input) => {
    expect(refusal(input)).toMatch(/^This does not look like a CSV text file\./);
  });

  it('refuses input that is neither text nor bytes', () => {
    expect(refusal(undefined as unknown as string)).toContain('does not look like a CSV text file');
    expect(refusal(42 as unknown as string)).toContain('does not look like a CSV text file');
  });

  it(`refuses more than ${MAX_CSV_ROWS.toLocaleString('en-US')} rows, suggesting to split the file`, () => {
    const lines = Array.from({ length: MAX_CSV_ROWS + 1 }, (_, index) => `u${index}@x`);
    const message = refusal(`user\n${lines.join('\n')}`);
    expect(message).toContain('5,001 rows');
    expect(message).toContain('at most 5,000');
    expect(message).toMatch(/Split it/);
  });

  it(`refuses more than ${MAX_CSV_BYTES.toLocaleString('en-US')} bytes, as text or bytes`, () => {
    const text = `user\n${'a@b\n'.repeat(Math.ceil(MAX_CSV_BYTES / 4))}x`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_CSV_BYTES);
    for (const input of [text, Buffer.from(text)]) {
      const message = refusal(input);
      expect(message).toContain('up to 1,000,000 bytes');
      expect(message).toMatch(/Split it/);
    }
    // Multi-byte characters count as the bytes they take.
    expect(refusal(`user\n${'é'.repeat(MAX_CSV_BYTES / 2)}`)).toContain('1,000,005 bytes');
  });

  it.each([
    ['an empty file', '', 'The file is empty'],
    ['blank lines only', '\r\n\n  \n,,\n', 'The file is empty'],
    ['a BOM only', '\ufeff', 'The file is empty'],
    ['a header only', 'user,lifetime\r\n', 'no people under it'],
    ['a header and blank lines', 'user\n\n , \n', 'no people under it'],
  ])('refuses %s, with an example file', (_name, file, mentions) => {
    const message = refusal(file);
    expect(message).toContain(mentions);
    expect(message).toContain(EXAMPLE_FILE);
  });

  it('names the line of a quote that is never closed', () => {
    expect(refusal('user\nalice@contoso.com\n\n"bob@contoso.com\ncarol@contoso.com\n')).toMatch(
      /^Line 4 opens a quote/,
    );
  });
});

// What parseBulkCsv may return for any input at all.
const RowShape = z
  .object({
    line: z.number().int().min(2),
    user: z.string().min(3).max(256),
    lifetimeMinutes: z.number().int().min(1).max(MAX_LIFETIME_MINUTES).optional(),
    usableOnce: z.boolean().optional(),
    start: z
      .object({ kind: z.enum(['in', 'at', 'on', 'at-instant']) })
      .passthrough()
      .optional(),
  })
  .strict();
const CsvInputShape = z.union([
  z
    .object({
      ok: z.literal(true),
      rows: z.array(RowShape),
      rowErrors: z.array(
        z
          .object({ line: z.number().int().min(2), user: z.string().max(257), message: z.string().min(20) })
          .strict(),
      ),
    })
    .strict(),
  z.object({ ok: z.literal(false), message: z.string().min(20).max(1000) }).strict(),
]);

const CELLS = [
  'user',
  'USER ',
  'lifetime',
  'once',
  'start',
  'colour',
  'alice@contoso.com',
  GUID,
  'Alice Wong',
  '8h',
  '1 day',
  '120',
  '0',
  'yes',
  'no',
  'maybe',
  '2026-12-01T09:00:00+01:00',
  'tomorrow 9:00',
  'in 30m',
  '',
  ' ',
  '"',
  '""',
  '"a,b"',
  '"x\ny"',
  '\ufeff',
  '\u0000',
  '😀',
  '\ud800',
];
const JOINS = [',', ',', ',', ';', '\t', '\n', '\r\n', '\r', '"', ' '];

/** Chaos: cells and separators in any order. */
function randomText(random: Random): string {
  const parts: string[] = [];
  if (random.chance(0.5)) parts.push(random.pick(['user,lifetime,once,start\n', 'user\n', 'User;Once\r\n']));
  const count = random.int(0, 120);
  for (let index = 0; index < count; index += 1) parts.push(random.pick(CELLS), random.pick(JOINS));
  return parts.join('');
}

/** A header and lines of mostly the right number of cells, each cell anything from CELLS. */
function randomTable(random: Random): string {
  const columns = random.shuffle(['user', 'lifetime', 'once', 'start']).slice(0, random.int(1, 4));
  if (!columns.includes('user') && random.chance(0.9)) columns.push('user');
  const end = random.pick(['\n', '\r\n']);
  const lines = [columns.map((column) => randomCase(random, column)).join(',')];
  for (let row = random.int(0, 40); row > 0; row -= 1) {
    const width = columns.length + (random.chance(0.1) ? random.pick([-1, 1]) : 0);
    const cells = Array.from({ length: width }, (_, index) =>
      columns[index] === 'user' && random.chance(0.7) ? `u${row}@contoso.com` : random.pick(CELLS),
    );
    lines.push(random.chance(0.05) ? '' : cells.join(','));
  }
  return (random.chance(0.2) ? '\ufeff' : '') + lines.join(end) + random.pick(['', end]);
}

function randomCase(random: Random, word: string): string {
  return random.pick([word, word.toUpperCase(), ` ${word} `]);
}

function randomFile(random: Random): Uint8Array | string {
  switch (random.int(0, 3)) {
    case 0:
      return Uint8Array.from({ length: random.int(0, 400) }, () => random.int(0, 255));
    case 1:
      return randomText(random);
    case 2:
      return randomTable(random);
    default:
      return new TextEncoder().encode(random.chance(0.5) ? randomText(random) : randomTable(random));
  }
}

describe('parseBulkCsv fuzz', () => {
  it('returns a well-formed result and never throws for 3,000 random files', () => {
    const random = seededRandom(0xc5f11e);
    const outcomes = { read: 0, rows: 0, rowErrors: 0, refused: 0 };
    for (let run = 0; run < 3000; run += 1) {
      const input = randomFile(random);
      const shown = typeof input === 'string' ? JSON.stringify(input.slice(0, 200)) : `${input.length} bytes`;
      let result: CsvInput | undefined;
      expect(() => {
        result = parseBulkCsv(input);
      }, `file #${run}: ${shown}`).not.toThrow();
      const shape = CsvInputShape.safeParse(result);
      expect(shape.success, `file #${run}: ${shown} -> ${JSON.stringify(result)}`).toBe(true);
      if (!result?.ok) {
        outcomes.refused += 1;
        continue;
      }
      outcomes.read += 1;
      outcomes.rows += result.rows.length;
      outcomes.rowErrors += result.rowErrors.length;
      // Each line is a row or a row error at most once, and lies inside the file.
      const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
      const lineCount = text.split(/\r\n|\n|\r/).length;
      const lines = [...result.rows, ...result.rowErrors].map((entry) => entry.line);
      expect(new Set(lines).size, `file #${run}: ${shown}`).toBe(lines.length);
      for (const line of lines) expect(line, `file #${run}: ${shown}`).toBeLessThanOrEqual(lineCount);
    }
    // Make sure the fuzz reaches rows and row errors, not only refusals.
    expect(outcomes.read).toBeGreaterThan(200);
    expect(outcomes.rows).toBeGreaterThan(300);
    expect(outcomes.rowErrors).toBeGreaterThan(500);
    expect(outcomes.refused).toBeGreaterThan(1000);
  });
});
