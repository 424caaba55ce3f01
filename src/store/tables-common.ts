import { TABLES, type KeyRange, type RowWrite } from './port.js';

/**
 * Rules both RowStore implementations apply to the port's tables, so the SQLite file and Azure Tables
 * accept and refuse exactly the same calls (the conformance suite holds them to it).
 */

/** Azure Tables' largest page; the SQLite store pages the same way so callers see one behaviour. */
export const MAX_PAGE = 1000;

const KNOWN_TABLES: ReadonlySet<string> = new Set(Object.values(TABLES));

/** Throws unless `table` is one of the port's fixed TABLES (a typo would otherwise read as "no rows"). */
export function assertKnownTable(table: string): void {
  if (!KNOWN_TABLES.has(table)) {
    throw new Error(`Unknown table ${JSON.stringify(table)}; tables are fixed in TABLES (store/port.ts)`);
  }
}

/** The table a range reads, after checking it is one of the port's. */
export function tableOfRange(range: KeyRange): string {
  assertKnownTable(range.table);
  return range.table;
}

/** The page size to ask for: the caller's limit capped at MAX_PAGE, default MAX_PAGE. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return MAX_PAGE;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`list limit must be a positive integer`);
  return Math.min(limit, MAX_PAGE);
}

/**
 * Largest value either store accepts, as UTF-16 bytes of its JSON: Azure entities stop at 1 MiB, and the
 * SQLite store refuses the same values so a deployment cannot outgrow the scale-out store unnoticed.
 */
export const MAX_VALUE_BYTES = 900 * 1024;

/** JSON text of a value; refuses what JSON cannot represent (undefined, functions) and oversized values. */
export function toJson(value: unknown, where: string): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`${where}: a stored value must be JSON-serializable`);
  const utf16Bytes = json.length * 2;
  if (utf16Bytes > MAX_VALUE_BYTES) {
    throw new RangeError(
      `${where}: value is ${Math.ceil(utf16Bytes / 1024)} KiB as UTF-16 JSON, over the ` +
        `${MAX_VALUE_BYTES / 1024} KiB limit (Azure Tables entities stop at 1 MiB)`,
    );
  }
  return json;
}

/** "requests row "p"/"k"", for error messages. */
export const describeRow = (table: string, partition: string, key: string): string =>
  `${table} row ${JSON.stringify(partition)}/${JSON.stringify(key)}`;

/** Checks a unit of work: known tables only, and each row written at most once. */
export function assertUnit(writes: readonly RowWrite[]): void {
  const seen = new Set<string>();
  for (const w of writes) {
    assertKnownTable(w.table);
    const id = JSON.stringify([w.table, w.partition, w.key]);
    if (seen.has(id))
      throw new Error(`${describeRow(w.table, w.partition, w.key)} is written twice in one unit`);
    seen.add(id);
  }
}
