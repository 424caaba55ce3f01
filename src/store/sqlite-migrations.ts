import type Database from 'better-sqlite3';

/** One schema step. Versions only ever grow; a released step is never edited, only followed by a new one. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * The schema, in order. Version 1 holds every table of the port in one SQLite table:
 * - one table rather than one per port table, because the port's tables are fixed names with identical
 *   shape, and a single table keeps the statements static (no SQL built from table names);
 * - WITHOUT ROWID, so rows are clustered on (tbl, pk, rk): a partition's key range is one contiguous
 *   b-tree walk and no second index duplicates the keys. Large values spill to overflow pages, which
 *   costs little at TapDesk's sizes (requests and audit events are well under a page);
 * - TEXT compares with BINARY collation, i.e. UTF-8 byte order, which equals the port's ordinal order
 *   for every key below U+E000 (all of TapDesk's: ISO timestamps, uuids, ASCII separators).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'rows: one clustered table for every port table',
    sql: `
      CREATE TABLE rows (
        tbl TEXT NOT NULL,
        pk TEXT NOT NULL,
        rk TEXT NOT NULL,
        etag TEXT NOT NULL,
        json TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tbl, pk, rk)
      ) WITHOUT ROWID;
    `,
  },
];

/** The newest version this build knows. */
export const latestVersion = (migrations: readonly Migration[] = MIGRATIONS): number =>
  migrations.reduce((max, m) => Math.max(max, m.version), 0);

/** The highest applied version recorded in the database, 0 for a database without migrations. */
export function currentVersion(db: Database.Database): number {
  const hasTable = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
    .get();
  if (!hasTable) return 0;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  return row.version ?? 0;
}

/**
 * Brings the database up to the newest migration in one IMMEDIATE transaction, so two processes opening
 * the same file at once cannot both apply a step: the second waits for the write lock, then sees the
 * first one's work. Refuses a database that a newer build has already migrated past what we know.
 */
export function applyMigrations(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => string = () => new Date().toISOString(),
): { from: number; to: number } {
  assertOrdered(migrations);
  const known = latestVersion(migrations);
  const migrate = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      description TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const from = currentVersion(db);
    if (from > known) {
      throw new Error(
        `The database ${db.name} is at schema version ${from}, newer than this build knows (${known}); ` +
          'run a TapDesk version at least as new as the one that last wrote it.',
      );
    }
    const record = db.prepare(
      'INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)',
    );
    for (const migration of migrations) {
      if (migration.version <= from) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.description, now());
    }
    return { from, to: Math.max(from, known) };
  });
  return migrate.immediate();
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version !== i + 1) {
      throw new Error(`Migration #${i} has version ${m.version}; versions must be 1, 2, 3, ... in order`);
    }
  });
}
