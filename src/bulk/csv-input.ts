// Reads the CSV file an admin sends in the 1:1 chat to issue passes for many people at once:
//   user,lifetime,once,start
//   alice@contoso.com,8h,yes,2026-12-01T09:00:00+01:00
// The header is required; only `user` (a sign-in address or an object id) must be there. Empty
// cells mean "not given", so the tenant's defaults apply. A problem with the whole file (not text,
// too big, a bad header) refuses it; a problem with one line becomes a row error naming the
// file's own line number, and every other line is still read. Pure, and never throws.
import { parse } from 'csv-parse/sync';
import { parseDuration } from '../chat/duration.js';
import { BULK_CSV_COLUMNS, echo, MAX_TARGET_CHARS } from '../chat/messages.js';
import { parseStartInstant, parseStartWords, type StartSpec } from '../chat/start.js';
import {
  isOnboardingHeader,
  ONBOARD_COLUMNS_TEXT,
  ONBOARD_CSV_COLUMNS,
  ONBOARD_EXAMPLE_VALUES,
  readGroupTag,
  readSerial,
  type OnboardColumn,
} from './onboard-csv.js';

export const MAX_CSV_ROWS = 5000;
export const MAX_CSV_BYTES = 1_000_000;

/** One person to issue a pass for; `line` is the file's line (the header is line 1). */
export interface BulkRow {
  line: number;
  user: string;
  lifetimeMinutes?: number;
  usableOnce?: boolean;
  start?: StartSpec;
  /** Onboarding files only: the Autopilot device's serial number (upper case) and the tag to set. */
  serial?: string;
  groupTag?: string;
}

/** Why one line was not read; `user` is its user cell as typed (trimmed), '' when empty. */
export interface RowError {
  line: number;
  user: string;
  message: string;
}

export type CsvInput =
  /** `onboarding`: the header has a serial column, so each row also names a device. */
  { ok: true; rows: BulkRow[]; rowErrors: RowError[]; onboarding?: true } | { ok: false; message: string };

type Column = (typeof BULK_CSV_COLUMNS)[number] | OnboardColumn;

const EXAMPLE_VALUES: Readonly<Record<Column, string>> = {
  ...ONBOARD_EXAMPLE_VALUES,
  user: 'alice@contoso.com',
  lifetime: '8h',
  once: 'yes',
  start: '2026-12-01T09:00:00+01:00',
};
const EXAMPLE_FILE = [
  BULK_CSV_COLUMNS.join(','),
  BULK_CSV_COLUMNS.map((c) => EXAMPLE_VALUES[c]).join(','),
].join('\n');
const COLUMNS_TEXT = `user (required), lifetime, once and start`;
const ONBOARD_EXAMPLE_FILE = [
  'user,serial,groupTag,start,lifetime',
  ONBOARD_CSV_COLUMNS.slice(0, 5)
    .map((c) => ONBOARD_EXAMPLE_VALUES[c])
    .join(','),
].join('\n');
/** A row error keeps at most this much of a long user cell. */
const MAX_USER_ECHO = MAX_TARGET_CHARS + 1;

const UPN = /^[^\s@]+@[^\s@]+$/;
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const PLAIN_MINUTES = /^\d{1,6}$/;
const ONCE_VALUES: ReadonlyMap<string, boolean> = new Map([
  ...['true', 'yes', '1', 'once', 'one-time', 'onetime', 'single-use'].map((word) => [word, true] as const),
  ...['false', 'no', '0', 'multi-use', 'multiuse', 'reusable'].map((word) => [word, false] as const),
]);

const refuse = (message: string): CsvInput => ({ ok: false, message });
const count = (value: number) => value.toLocaleString('en-US');

const fileErrors = {
  notText: () =>
    refuse(
      `This does not look like a CSV text file. Save the sheet as 'CSV UTF-8 (comma delimited)' and send ` +
        `that file (a workbook such as .xlsx won't do). Its first line is the header, e.g.:\n${EXAMPLE_FILE}`,
    ),
  tooBig: (bytes: number) =>
    refuse(
      `The file is ${count(bytes)} bytes; I read files of up to ${count(MAX_CSV_BYTES)} bytes. ` +
        `Split it into smaller files, each starting with the header line, and send them one at a time.`,
    ),
  tooManyRows: (rows: number) =>
    refuse(
      `The file has ${count(rows)} rows of people; one file may have at most ${count(MAX_CSV_ROWS)}. ` +
        `Split it into files of up to ${count(MAX_CSV_ROWS)} rows, each starting with the header line, ` +
        `and send them one at a time.`,
    ),
  empty: () =>
    refuse(
      `The file is empty. Send a CSV file whose first line is the header and each further line one person, ` +
        `e.g.:\n${EXAMPLE_FILE}`,
    ),
  noRows: () =>
    refuse(`The file has a header but no people under it. Add one person per line, e.g.:\n${EXAMPLE_FILE}`),
  missingUser: (found: readonly string[]) =>
    refuse(
      `The first line must be the header naming the columns, with a 'user' column for each person's ` +
        `sign-in address or object id; I found ${echo(found.join(','))}. The columns are ${COLUMNS_TEXT}, ` +
        `e.g.:\n${EXAMPLE_FILE}`,
    ),
  unknownColumns: (unknown: readonly string[], onboarding: boolean) =>
    refuse(
      `I don't know the column${unknown.length === 1 ? '' : 's'} ${unknown.map(echo).join(', ')}. ` +
        (onboarding
          ? `An onboarding file (one with a serial column) has the columns ${ONBOARD_COLUMNS_TEXT}; ` +
            `rename or delete the others, e.g.:\n${ONBOARD_EXAMPLE_FILE}`
          : `The columns I read are ${COLUMNS_TEXT}; rename or delete the others, e.g.:\n${EXAMPLE_FILE}`),
    ),
  repeatedColumn: (name: string) =>
    refuse(
      `The header names the column ${echo(name)} more than once. Give each column once, e.g.:\n${EXAMPLE_FILE}`,
    ),
  unnamedColumn: (position: number) =>
    refuse(
      `Column ${position} of the header has no name. Name it user, lifetime, once or start, or delete it, ` +
        `e.g.:\n${EXAMPLE_FILE}`,
    ),
  unclosedQuote: (line: number) =>
    refuse(
      `Line ${line} opens a quote (") that is never closed, so I can't tell where that line ends. ` +
        `Close the quote or remove it, and send the file again.`,
    ),
  unreadable: () =>
    refuse(
      `I couldn't read the file as CSV. Save the sheet as 'CSV UTF-8 (comma delimited)' and send it again; ` +
        `its first line is the header, e.g.:\n${EXAMPLE_FILE}`,
    ),
};

type Decoded = { ok: true; bytes: Buffer } | { ok: false; refusal: CsvInput };

/** The file as UTF-8 bytes without a BOM, or why it is not a text file we read. */
function decode(input: unknown): Decoded {
  let text: string;
  if (typeof input === 'string') {
    const size = Buffer.byteLength(input, 'utf8');
    if (size > MAX_CSV_BYTES) return { ok: false, refusal: fileErrors.tooBig(size) };
    if (LONE_SURROGATE.test(input)) return { ok: false, refusal: fileErrors.notText() };
    text = input.startsWith('\ufeff') ? input.slice(1) : input;
  } else if (input instanceof Uint8Array) {
    if (input.byteLength > MAX_CSV_BYTES) return { ok: false, refusal: fileErrors.tooBig(input.byteLength) };
    try {
      // A fatal decoder refuses invalid UTF-8; it drops a leading BOM by itself.
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      return { ok: false, refusal: fileErrors.notText() };
    }
  } else {
    return { ok: false, refusal: fileErrors.notText() };
  }
  if (text.includes('\u0000')) return { ok: false, refusal: fileErrors.notText() };
  return { ok: true, bytes: Buffer.from(text, 'utf8') };
}

/** Finds the line (1-based) of byte offsets given in increasing order: CRLF, LF or CR end a line. */
function lineCounter(bytes: Buffer): (offset: number) => number {
  let position = 0;
  let line = 1;
  return (offset) => {
    for (; position < offset && position < bytes.length; position += 1) {
      const byte = bytes[position];
      if (byte === 0x0a || (byte === 0x0d && bytes[position + 1] !== 0x0a)) line += 1;
    }
    return line;
  };
}

/** Excel saves "CSV" with ';' in some locales and as tab-separated text: read the header's choice. */
function delimiterOf(bytes: Buffer): string {
  const firstLines = bytes.subarray(0, 4096).toString('utf8');
  const header = firstLines.split(/\r\n|\n|\r/).find((line) => line.trim().length > 0) ?? '';
  if (header.includes(',')) return ',';
  if (header.includes(';')) return ';';
  return header.includes('\t') ? '\t' : ',';
}

type CsvRecord = { cells: string[]; line: number };
type Records = { ok: true; records: CsvRecord[]; delimiter: string } | { ok: false; refusal: CsvInput };

/** Splits the file into records, each with the line it starts on; blank lines are left out. */
function readRecords(bytes: Buffer): Records {
  const lineAt = lineCounter(bytes);
  const records: CsvRecord[] = [];
  const delimiter = delimiterOf(bytes);
  let recordStart = 0;
  try {
    parse(bytes, {
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      on_record: (cells: string[], context) => {
        // Without skip_empty_lines every line is read, so a record starts where the last one ended.
        const line = lineAt(recordStart);
        recordStart = context.bytes;
        if (cells.some((cell) => cell.trim().length > 0)) records.push({ cells, line });
        return null;
      },
    });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'CSV_QUOTE_NOT_CLOSED')
      return { ok: false, refusal: fileErrors.unclosedQuote(lineAt(recordStart)) };
    return { ok: false, refusal: fileErrors.unreadable() };
  }
  return { ok: true, records, delimiter };
}

type Header = { ok: true; columns: Array<Column> } | { ok: false; refusal: CsvInput };

function readHeader(cells: readonly string[]): Header {
  const names = cells.map((cell) => cell.trim().toLowerCase());
  if (!names.includes('user'))
    return { ok: false, refusal: fileErrors.missingUser(cells.map((c) => c.trim())) };
  const unnamed = names.indexOf('');
  if (unnamed !== -1) return { ok: false, refusal: fileErrors.unnamedColumn(unnamed + 1) };
  const onboarding = isOnboardingHeader(names);
  const known: readonly string[] = onboarding ? ONBOARD_CSV_COLUMNS : BULK_CSV_COLUMNS;
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) return { ok: false, refusal: fileErrors.unknownColumns(unknown, onboarding) };
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) return { ok: false, refusal: fileErrors.repeatedColumn(repeated) };
  return { ok: true, columns: names as Column[] };
}

type Cell<T> = { ok: true; value: T | undefined } | { ok: false; problem: string };

function readUser(user: string): string | null {
  if (user.length === 0) {
    return `The user cell is empty. Put the person's sign-in address or object id in it, e.g. alice@contoso.com.`;
  }
  if (user.length > MAX_TARGET_CHARS) {
    return (
      `The user cell is longer than ${MAX_TARGET_CHARS} characters. ` +
      `Put the person's sign-in address in it, e.g. alice@contoso.com.`
    );
  }
  if ((UPN.test(user) && !CONTROL.test(user)) || OBJECT_ID.test(user)) return null;
  return (
    `${echo(user)} is neither a sign-in address (name@domain) nor an object id. Put the address, ` +
    `e.g. alice@contoso.com, or the object id, e.g. 3f2504e0-4f89-41d3-9a0c-0305e82c3301.`
  );
}

function readLifetime(typed: string): Cell<number> {
  if (typed.length === 0) return { ok: true, value: undefined };
  const lower = typed.toLowerCase();
  const lifetime = parseDuration(PLAIN_MINUTES.test(lower) ? `${lower}m` : lower);
  if (lifetime.ok) return { ok: true, value: lifetime.minutes };
  const why = {
    unreadable: `I couldn't read the lifetime ${echo(typed)}.`,
    zero: `The lifetime ${echo(typed)} is too short: a pass lasts at least 1 minute.`,
    too_long: `The lifetime ${echo(typed)} is longer than the 30-day maximum.`,
    fraction_of_minute: `The lifetime ${echo(typed)} is not a whole number of minutes.`,
  }[lifetime.problem];
  return {
    ok: false,
    problem: `${why} Write it like 8h, 90m, 1 day or 120 (minutes), or leave it empty for the tenant's default.`,
  };
}

function readOnce(typed: string): Cell<boolean> {
  if (typed.length === 0) return { ok: true, value: undefined };
  const once = ONCE_VALUES.get(typed.toLowerCase());
  if (once !== undefined) return { ok: true, value: once };
  return {
    ok: false,
    problem:
      `The once cell ${echo(typed)} is not yes or no. Write yes for one sign-in only, no for a pass that ` +
      `works until it expires, or leave it empty for the tenant's default.`,
  };
}

function readStart(typed: string): Cell<StartSpec> {
  if (typed.length === 0) return { ok: true, value: undefined };
  const instant = parseStartInstant(typed);
  if (instant) return { ok: true, value: instant };
  const words = typed.toLowerCase().split(/\s+/);
  const start = parseStartWords(words);
  if (start.ok && start.used === words.length) return { ok: true, value: start.spec ?? undefined };
  return {
    ok: false,
    problem:
      `I couldn't read the start ${echo(typed)}. Write an exact time with its UTC offset, ` +
      `e.g. 2026-12-01T09:00:00+01:00, or words such as 'tomorrow 9:00' or 'in 30m', or leave it empty to start at once.`,
  };
}

/** Reads one data line into a row, or says everything that is wrong with it. */
function readRow(
  record: CsvRecord,
  columns: readonly Column[],
  delimiter: string,
): { row: BulkRow } | { error: RowError } {
  const cellOf = (column: Column) => record.cells[columns.indexOf(column)]?.trim() ?? '';
  const user = cellOf('user');
  const shownUser = user.length > MAX_USER_ECHO ? `${user.slice(0, MAX_USER_ECHO - 1)}…` : user;
  if (record.cells.length !== columns.length) {
    const example = columns.map((column) => EXAMPLE_VALUES[column]).join(delimiter);
    const message =
      `This line has ${record.cells.length} cell${record.cells.length === 1 ? '' : 's'} but the header has ` +
      `${columns.length} column${columns.length === 1 ? '' : 's'}. Give every line one cell per column ` +
      `(leave a cell empty to skip it), e.g. ${example}`;
    return { error: { line: record.line, user: shownUser, message } };
  }
  const problems: string[] = [];
  const userProblem = readUser(user);
  if (userProblem !== null) problems.push(userProblem);
  const lifetime = readLifetime(cellOf('lifetime'));
  const once = readOnce(cellOf('once'));
  const start = readStart(cellOf('start'));
  const onboarding = columns.includes('serial');
  const serial = onboarding ? readSerial(cellOf('serial')) : undefined;
  const groupTag = onboarding ? readGroupTag(cellOf('grouptag')) : undefined;
  for (const cell of [serial, groupTag, lifetime, once, start])
    if (cell && !cell.ok) problems.push(cell.problem);
  if (problems.length > 0)
    return { error: { line: record.line, user: shownUser, message: problems.join(' ') } };
  const row: BulkRow = { line: record.line, user };
  if (lifetime.ok && lifetime.value !== undefined) row.lifetimeMinutes = lifetime.value;
  if (once.ok && once.value !== undefined) row.usableOnce = once.value;
  if (start.ok && start.value !== undefined) row.start = start.value;
  if (serial?.ok && serial.value !== undefined) row.serial = serial.value;
  if (groupTag?.ok && groupTag.value !== undefined) row.groupTag = groupTag.value;
  return { row };
}

function parseOrRefuse(input: unknown): CsvInput {
  const decoded = decode(input);
  if (!decoded.ok) return decoded.refusal;
  const read = readRecords(decoded.bytes);
  if (!read.ok) return read.refusal;
  const [headerRecord, ...data] = read.records;
  if (headerRecord === undefined) return fileErrors.empty();
  const header = readHeader(headerRecord.cells);
  if (!header.ok) return header.refusal;
  if (data.length === 0) return fileErrors.noRows();
  if (data.length > MAX_CSV_ROWS) return fileErrors.tooManyRows(data.length);
  const rows: BulkRow[] = [];
  const rowErrors: RowError[] = [];
  for (const record of data) {
    const outcome = readRow(record, header.columns, read.delimiter);
    if ('row' in outcome) rows.push(outcome.row);
    else rowErrors.push(outcome.error);
  }
  return { ok: true, rows, rowErrors, ...(isOnboardingHeader(header.columns) ? { onboarding: true } : {}) };
}

/**
 * Reads a bulk-issue CSV file (UTF-8, with or without a BOM; CRLF or LF) into the people to issue
 * passes for and the lines that could not be read. Never throws: any failure is a message.
 */
export function parseBulkCsv(bytes: Uint8Array | string): CsvInput {
  try {
    return parseOrRefuse(bytes);
  } catch {
    return fileErrors.unreadable();
  }
}
