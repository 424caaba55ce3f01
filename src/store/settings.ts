import { resolve } from 'node:path';

/** Where rows live: a SQLite file (one instance, the default) or Azure Table Storage (several instances). */
export type StoreSettings =
  | { kind: 'sqlite'; path: string }
  | { kind: 'tables'; connectionString?: string; endpoint?: string; tablePrefix?: string };

/**
 * Reads STORE, SQLITE_PATH and the AZURE_TABLES_* variables. Returns the settings or the problems,
 * each naming the variable and the fix; shared by the bot's config and the audit export command.
 */
export function readStoreSettings(env: Record<string, string | undefined>): {
  settings?: StoreSettings;
  problems: string[];
} {
  const kind = env.STORE || 'sqlite';
  if (kind === 'sqlite') {
    return { settings: { kind, path: resolve(env.SQLITE_PATH || '.data/tapdesk.db') }, problems: [] };
  }
  if (kind !== 'tables') {
    return {
      problems: [
        `STORE is '${kind}': must be 'sqlite' (a local file, one instance) or 'tables' (Azure Table Storage or Cosmos DB Table API)`,
      ],
    };
  }
  const connectionString = env.AZURE_TABLES_CONNECTION_STRING || undefined;
  const endpoint = env.AZURE_TABLES_ENDPOINT || undefined;
  const tablePrefix = env.AZURE_TABLES_PREFIX || undefined;
  const problems: string[] = [];
  if (!connectionString && !endpoint) {
    problems.push(
      'AZURE_TABLES_ENDPOINT is missing: with STORE=tables set it to https://<account>.table.core.windows.net (managed identity) or set AZURE_TABLES_CONNECTION_STRING',
    );
  }
  if (tablePrefix && !/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(tablePrefix)) {
    problems.push(
      `AZURE_TABLES_PREFIX is '${tablePrefix}': use letters and digits only, starting with a letter`,
    );
  }
  return {
    settings: problems.length ? undefined : { kind, connectionString, endpoint, tablePrefix },
    problems,
  };
}
