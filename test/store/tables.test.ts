import { randomBytes } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHttp, openStore } from '../../src/store/open.js';
import { TABLES } from '../../src/store/port.js';
import { AzureTablesRowStore } from '../../src/store/tables.js';
import { escapeKey, unescapeKey } from '../../src/store/tables-encoding.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { describeRowStoreConformance } from './conformance.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => azurite?.stop());

// Each backing is its own set of tables, so tests never see each other's rows.
const newPrefix = () => `t${randomBytes(5).toString('hex')}`;

describeRowStoreConformance('AzureTablesRowStore (Azurite)', async () => {
  const tablePrefix = newPrefix();
  return {
    open: () =>
      AzureTablesRowStore.connect({
        connectionString: azurite.connectionString,
        tablePrefix,
        allowInsecureConnection: true,
      }),
  };
});

describe('AzureTablesRowStore specifics', () => {
  it('creates every port table with the prefix, and connecting again is fine', async () => {
    const tablePrefix = newPrefix();
    const options = {
      connectionString: azurite.connectionString,
      tablePrefix,
      allowInsecureConnection: true,
    };
    await AzureTablesRowStore.connect(options);
    await AzureTablesRowStore.connect(options);
    for (const table of Object.values(TABLES)) {
      const client = TableClient.fromConnectionString(azurite.connectionString, `${tablePrefix}${table}`, {
        allowInsecureConnection: true,
      });
      await expect(client.listEntities().byPage().next()).resolves.toBeDefined();
    }
  });

  it('stores long JSON in json0..jsonN string properties and escaped keys', async () => {
    const tablePrefix = newPrefix();
    const store = await AzureTablesRowStore.connect({
      connectionString: azurite.connectionString,
      tablePrefix,
      allowInsecureConnection: true,
    });
    const value = { text: 'x'.repeat(100_000) };
    await store.create(TABLES.requests, 'a/b', 'c#d', value);
    const raw = TableClient.fromConnectionString(azurite.connectionString, `${tablePrefix}requests`, {
      allowInsecureConnection: true,
    });
    const entity = await raw.getEntity<Record<string, unknown>>('a%2Fb', 'c%23d');
    const chunks = Object.keys(entity).filter((k) => /^json\d+$/.test(k));
    expect(chunks).toEqual(['json0', 'json1', 'json2', 'json3']);
    expect(chunks.map((k) => entity[k]).join('')).toBe(JSON.stringify(value));
    // Non-ASCII is stored as JSON \u escapes, so every property and request body is plain ASCII.
    await store.upsert(TABLES.requests, 'p', 'k', { name: 'Zoë 😀' });
    const stored = await raw.getEntity<Record<string, unknown>>('p', 'k');
    expect(stored.json0).toBe('{"name":"Zo\\u00eb \\ud83d\\ude00"}');
    expect((await store.get(TABLES.requests, 'p', 'k'))?.value).toEqual({ name: 'Zoë 😀' });
  });

  it('escapes exactly / \\ # ? % and control characters, reversibly', () => {
    expect(escapeKey('due|2026-11-22T10:05:00.000Z|3f1c')).toBe('due|2026-11-22T10:05:00.000Z|3f1c');
    expect(escapeKey('a/b\\c#d?e%f\u0000\u001f\u007f\u009f')).toBe('a%2Fb%5Cc%23d%3Fe%25f%00%1F%7F%9F');
    for (let code = 0; code < 0x180; code++) {
      const key = `k${String.fromCharCode(code)}%41`;
      expect(unescapeKey(escapeKey(key))).toBe(key);
      // eslint-disable-next-line no-control-regex -- asserting that none of them survive
      expect(escapeKey(key)).not.toMatch(/[/\\#?\u0000-\u001f\u007f-\u009f]/);
    }
  });

  it('openStore allows plain http only for loopback', async () => {
    expect(isLoopbackHttp(azurite.connectionString)).toBe(true);
    expect(isLoopbackHttp('http://localhost:10002/devstoreaccount1')).toBe(true);
    expect(isLoopbackHttp('UseDevelopmentStorage=true')).toBe(true);
    expect(isLoopbackHttp('https://acct.table.core.windows.net')).toBe(false);
    expect(isLoopbackHttp('http://acct.table.core.windows.net')).toBe(false);
    expect(
      isLoopbackHttp(
        'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k;EndpointSuffix=core.windows.net',
      ),
    ).toBe(false);
    const store = await openStore({
      kind: 'tables',
      connectionString: azurite.connectionString,
      tablePrefix: newPrefix(),
    });
    await store.upsert(TABLES.conversations, 'c', 'ref', { ok: true });
    expect((await store.get(TABLES.conversations, 'c', 'ref'))?.value).toEqual({ ok: true });
    await store.close();
  });
});
