import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES, type RowStore } from '../src/store/port.js';
import { SqliteRowStore } from '../src/store/sqlite.js';
import { AzureTablesRowStore } from '../src/store/tables.js';
import { startAzurite } from '../test/helpers/azurite.js';
import { round, runTurns, summarize, type Summary, type Turn } from './stats.js';

export interface StoreBenchOptions {
  claims: number;
  flows: number;
  warmup: number;
  concurrency: number;
}

export interface StoreCell {
  claim: { sequential: Summary; concurrent: Summary };
  flow: { sequential: Summary; concurrent: Summary };
}

export interface StoreReport {
  options: StoreBenchOptions;
  stores: Record<StoreName, StoreCell>;
  /** SQLite (synchronous=FULL) throughput divided by Azurite's: ×N means SQLite does N times more per second. */
  ratioSqliteToAzurite: { claimSequential: number; claimConcurrent: number; flowSequential: number };
}

export type StoreName = 'sqlite-full' | 'sqlite-normal' | 'azurite';

const REQUESTS = TABLES.requests;

/**
 * Measures a claim (get + conditional replace, as a click claiming a request) and one issue flow's
 * storage work on SQLite (FULL and NORMAL) and on Azurite, in this process, one store at a time.
 */
export async function benchStore(options: StoreBenchOptions): Promise<StoreReport> {
  const dir = mkdtempSync(join(tmpdir(), 'tapdesk-bench-store-'));
  const azurite = await startAzurite();
  const opened: RowStore[] = [];
  try {
    const open: Record<StoreName, () => Promise<RowStore>> = {
      'sqlite-full': async () => SqliteRowStore.open(join(dir, 'full.db'), { synchronous: 'FULL' }),
      'sqlite-normal': async () => SqliteRowStore.open(join(dir, 'normal.db'), { synchronous: 'NORMAL' }),
      azurite: () =>
        AzureTablesRowStore.connect({
          connectionString: azurite.connectionString,
          tablePrefix: 'bench',
          allowInsecureConnection: true,
        }),
    };
    const stores = {} as Record<StoreName, StoreCell>;
    for (const name of Object.keys(open) as StoreName[]) {
      const store = await open[name]();
      opened.push(store);
      stores[name] = await measure(store, options);
    }
    const ratio = (pick: (c: StoreCell) => Summary) =>
      round(pick(stores['sqlite-full']).turnsPerSec / pick(stores.azurite).turnsPerSec, 1);
    return {
      options,
      stores,
      ratioSqliteToAzurite: {
        claimSequential: ratio((c) => c.claim.sequential),
        claimConcurrent: ratio((c) => c.claim.concurrent),
        flowSequential: ratio((c) => c.flow.sequential),
      },
    };
  } finally {
    for (const store of opened) await store.close();
    await azurite.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(store: RowStore, o: StoreBenchOptions): Promise<StoreCell> {
  const run = async (turn: Turn, n: number, concurrency: number) =>
    summarize(await runTurns(turn, n, o.warmup, concurrency));
  return {
    claim: {
      sequential: await run(await claimTurn(store, o.claims + o.warmup), o.claims, 1),
      concurrent: await run(await claimTurn(store, o.claims + o.warmup), o.claims, o.concurrency),
    },
    flow: {
      sequential: await run(flowTurn(store), o.flows, 1),
      concurrent: await run(flowTurn(store), o.flows, o.concurrency),
    },
  };
}

/** Pending requests prepared untimed; turn i claims row i (distinct rows, so concurrent claims never collide). */
async function claimTurn(store: RowStore, rows: number): Promise<Turn> {
  const partition = randomUUID();
  for (let i = 0; i < rows; i++) await store.create(REQUESTS, partition, `req-${i}`, pendingRequest(i));
  return async (i) => {
    const key = `req-${i}`;
    const row = await store.get<ReturnType<typeof pendingRequest>>(REQUESTS, partition, key);
    if (!row) return () => false;
    await store.replace(REQUESTS, partition, key, { ...row.value, state: 'issuing' }, row.etag);
    return () => true;
  };
}

/** One issue flow's storage work, in the order the bot does it. */
function flowTurn(store: RowStore): Turn {
  return async (i) => {
    const id = randomUUID();
    const targetId = randomUUID();
    let etag = await store.create(REQUESTS, id, 'request', pendingRequest(i));
    for (const change of [{ cardActivityId: `card-${i}` }, { state: 'issuing' }]) {
      const row = await store.get<Record<string, unknown>>(REQUESTS, id, 'request');
      if (!row) return () => false;
      etag = await store.replace(REQUESTS, id, 'request', { ...row.value, ...change }, row.etag);
    }
    await store.replace(REQUESTS, id, 'request', { ...pendingRequest(i), state: 'issued' }, etag);
    for (const kind of ['tap.requested', 'tap.claimed', 'tap.issued']) {
      const event = {
        id: randomUUID(),
        kind,
        at: new Date().toISOString(),
        actor: 'dana',
        target: { id: targetId },
      };
      const key = `${String(9_999_999_999_999 - Date.now()).padStart(13, '0')}|${event.id}`;
      await store.create(TABLES.audit, 'all', key, event);
      await store.create(TABLES.audit, `target|${targetId}`, key, event);
    }
    await store.upsert(TABLES.conversations, 'dana', 'reference', conversationReference(i));
    return () => true;
  };
}

const pendingRequest = (i: number) => ({
  id: `request-${i}`,
  state: 'pending',
  requester: { id: 'dana-aad-id', name: 'Dana' },
  target: { id: 'alice-aad-id', upn: 'alice@contoso.com' },
  lifetimeMinutes: 120,
  createdAt: new Date().toISOString(),
});

const conversationReference = (i: number) => ({
  activityId: `activity-${i}`,
  bot: { id: 'bot', name: 'TapDesk' },
  conversation: { id: 'a:1x2y3z', conversationType: 'personal', tenantId: 'tenant' },
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  user: { id: '29:dana', aadObjectId: 'dana-aad-id' },
});
