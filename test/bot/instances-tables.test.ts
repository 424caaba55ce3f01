import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { click, postTo } from '../helpers/activities.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { startProcessWorld, type ProcessWorld } from '../helpers/process-world.js';
import type { BotProcess } from '../helpers/bot-process.js';
import { sandboxAdmin } from '../helpers/sandbox-admin.js';
import { TableClient, TableServiceClient } from '@azure/data-tables';

const CANARY = 'Tb9#cNry';

/** Every entity of every table in the account, as one string. */
async function dumpAllTables(connectionString: string): Promise<string> {
  const options = { allowInsecureConnection: true };
  const service = TableServiceClient.fromConnectionString(connectionString, options);
  const parts: string[] = [];
  for await (const table of service.listTables()) {
    const client = TableClient.fromConnectionString(connectionString, table.name!, options);
    for await (const entity of client.listEntities()) parts.push(JSON.stringify(entity));
  }
  return parts.join('\n');
}

// Two TapDesk processes share one Azure Table Storage (Azurite), as two App Service instances would.
let w: ProcessWorld;
let azurite: Azurite;
let a: BotProcess;
let b: BotProcess;
beforeAll(async () => {
  [w, azurite] = await Promise.all([startProcessWorld(), startAzurite()]);
  const env = { STORE: 'tables', AZURE_TABLES_CONNECTION_STRING: azurite.connectionString };
  [a, b] = await Promise.all([w.startBot(env), w.startBot(env)]);
}, 120_000);
afterAll(async () => {
  await w?.close();
  await azurite?.stop();
});

const confirm = (url: string, requestId: string) =>
  postTo(url, click(w, w.user('dana@contoso.com'), 'tap.confirm', { requestId, verification: 'in-person' }));

describe('several instances on Azure Tables', () => {
  it('a click landing on the other instance works, and no table holds the pass', async () => {
    const requestId = await w.showCard(a, 'dana@contoso.com', 'issue TAP for alice@contoso.com');
    await sandboxAdmin(w, 'POST', '/next-pass', { value: CANARY });
    const body = JSON.stringify((await confirm(b.url, requestId)).body);
    expect(body).toContain('Copy it now');
    expect(body).toContain(CANARY);
    expect(await w.passesFor('alice@contoso.com')).toHaveLength(1);

    // Both instances run a notice scheduler on the same tables: Dana's "issued" notice arrives once.
    const danaChat = `a:1:${w.user('dana@contoso.com').id}`;
    await waitFor(() => w.connector.proactive(danaChat).length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(w.connector.proactive(danaChat)).toHaveLength(1);

    const everything = await dumpAllTables(azurite.connectionString);
    expect(everything).toContain('alice@contoso.com'); // the scan sees real rows
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });

  it('clicks racing on both instances issue one pass', async () => {
    const requestId = await w.showCard(a, 'dana@contoso.com', 'issue TAP for leo@contoso.com');
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => confirm(i % 2 ? a.url : b.url, requestId)),
    );
    expect(responses.filter((r) => JSON.stringify(r.body).includes('Copy it now'))).toHaveLength(1);
    expect(await w.passesFor('leo@contoso.com')).toHaveLength(1);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
