import { DefaultAzureCredential } from '@azure/identity';
import type { RowStore } from './port.js';
import type { StoreSettings } from './settings.js';
import { SqliteRowStore } from './sqlite.js';
import { AzureTablesRowStore } from './tables.js';

/** Opens the store the settings name: a SQLite file, or Azure Tables by connection string or managed identity. */
export async function openStore(settings: StoreSettings): Promise<RowStore> {
  if (settings.kind === 'sqlite') return SqliteRowStore.open(settings.path);
  const { connectionString, endpoint, tablePrefix } = settings;
  return AzureTablesRowStore.connect({
    connectionString,
    endpoint,
    tablePrefix,
    // A connection string carries its own key; only a bare endpoint needs an identity (managed in Azure).
    credential: connectionString ? undefined : new DefaultAzureCredential(),
    allowInsecureConnection: isLoopbackHttp(connectionString ?? endpoint ?? ''),
  });
}

/**
 * True for plain-http URLs on this machine (Azurite). Anything else keeps the SDK's https-only rule, so a
 * mistyped http:// production endpoint fails instead of sending the account key in the clear.
 */
export function isLoopbackHttp(connectionStringOrEndpoint: string): boolean {
  const urls = connectionStringOrEndpoint.match(/https?:\/\/[^;\s]+/gi) ?? [];
  const isDevStorage = /UseDevelopmentStorage=true/i.test(connectionStringOrEndpoint);
  if (urls.length === 0) return isDevStorage;
  return urls.every((text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    } catch {
      return false;
    }
  });
}
