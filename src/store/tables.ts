import {
  odata,
  TableClient,
  type TransactionAction,
  type TableEntityResult,
  type TableEntityResultPage,
  type TableServiceClientOptions,
} from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import {
  ConflictError,
  PartialCommitError,
  TABLES,
  type KeyRange,
  type Page,
  type RowStore,
  type RowWrite,
  type StoredRow,
} from './port.js';
import {
  assertKnownTable,
  assertUnit,
  describeRow,
  pageLimit,
  tableOfRange,
  toJson,
} from './tables-common.js';
import { escapeKey, joinJson, splitJson, unescapeKey } from './tables-encoding.js';

export interface AzureTablesOptions {
  /** Account key, SAS or Azurite connection string. */
  connectionString?: string;
  /** https://<account>.table.core.windows.net or https://<account>.table.cosmos.azure.com, with `credential`. */
  endpoint?: string;
  credential?: TokenCredential;
  /** Prepended to every port table name: "tapdesk" + "requests" = "tapdeskrequests". */
  tablePrefix?: string;
  /** Only for Azurite's plain-http endpoint. */
  allowInsecureConnection?: boolean;
}

type Entity = Record<string, unknown>;

const AZURE_TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

/**
 * RowStore on Azure Table Storage or Cosmos DB's Table API. Uses only what both offer: point reads,
 * inserts, Replace updates with If-Match, deletes, and PartitionKey/RowKey range filters.
 */
export class AzureTablesRowStore implements RowStore {
  private constructor(private readonly clients: ReadonlyMap<string, TableClient>) {}

  /** Connects and creates any missing table (one per entry of TABLES, prefixed). */
  static async connect(options: AzureTablesOptions): Promise<AzureTablesRowStore> {
    const prefix = options.tablePrefix ?? 'tapdesk';
    const clients = new Map<string, TableClient>();
    for (const table of Object.values(TABLES)) {
      const name = `${prefix}${table}`;
      if (!AZURE_TABLE_NAME.test(name)) {
        throw new Error(`Table name ${JSON.stringify(name)} is not valid in Azure (letters/digits, 3-63)`);
      }
      clients.set(table, clientFor(name, options));
    }
    await Promise.all([...clients.values()].map((client) => createIfMissing(client)));
    return new AzureTablesRowStore(clients);
  }

  async get<T>(table: string, partition: string, key: string): Promise<StoredRow<T> | undefined> {
    try {
      const entity = await this.client(table).getEntity<Entity>(escapeKey(partition), escapeKey(key));
      return toStoredRow<T>(entity, describeRow(table, partition, key));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async create<T>(table: string, partition: string, key: string, value: T): Promise<string> {
    const where = describeRow(table, partition, key);
    try {
      const result = await this.client(table).createEntity(toEntity(partition, key, value, where));
      return requireEtag(result.etag, where);
    } catch (error) {
      if (statusOf(error) === 409) throw new ConflictError(`${where} already exists`);
      throw error;
    }
  }

  async replace<T>(table: string, partition: string, key: string, value: T, etag: string): Promise<string> {
    const where = describeRow(table, partition, key);
    try {
      // Replace, never Merge: a shorter value must drop the json chunks the longer one left behind.
      const result = await this.client(table).updateEntity(
        toEntity(partition, key, value, where),
        'Replace',
        {
          etag,
        },
      );
      return requireEtag(result.etag, where);
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 404)
        throw new ConflictError(`${where} changed or vanished since it was read`);
      throw error;
    }
  }

  async upsert<T>(table: string, partition: string, key: string, value: T): Promise<string> {
    const where = describeRow(table, partition, key);
    const result = await this.client(table).upsertEntity(toEntity(partition, key, value, where), 'Replace');
    return requireEtag(result.etag, where);
  }

  async delete(table: string, partition: string, key: string, etag?: string): Promise<void> {
    try {
      // Without an etag the SDK sends If-Match: *, an unconditional delete.
      await this.client(table).deleteEntity(escapeKey(partition), escapeKey(key), etag ? { etag } : {});
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return;
      if (status === 412)
        throw new ConflictError(`${describeRow(table, partition, key)} changed since it was read`);
      throw error;
    }
  }

  /**
   * Entity-group transactions, one per table and partition the unit writes (Azure allows no more in
   * one), at most 100 rows each; an etag-checked delete is a request of its own. The group of the first write is sent alone and first; the others
   * then go out together, so the unit costs two round trips in sequence. A conflict in the first
   * group writes nothing; one in a later group leaves the rest written (ConflictError.written).
   */
  async commit(writes: readonly RowWrite[]): Promise<string[]> {
    assertUnit(writes);
    // Refused values are refused before anything is sent, as SQLite's transaction would roll back.
    for (const w of writes) if (w.op !== 'delete') toJson(w.value, describeRow(w.table, w.partition, w.key));
    const etags: string[] = writes.map(() => '');
    const [first, ...rest] = groupsOf(writes);
    if (!first) return etags;
    await this.commitGroup(first, writes, etags, []);
    const written = [...first];
    const results = await Promise.allSettled(
      rest.map(async (group) => {
        await this.commitGroup(group, writes, etags, written);
        written.push(...group);
      }),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    // Anything but a lost condition is unexpected and says more than the conflict: it wins.
    const unexpected = failures.find((f) => !(f instanceof ConflictError));
    if (unexpected !== undefined)
      throw new PartialCommitError(
        unexpected,
        [...written].sort((a, b) => a - b),
      );
    const conflict = failures[0] as ConflictError | undefined;
    if (conflict)
      throw new ConflictError(
        conflict.message,
        conflict.index,
        [...written].sort((a, b) => a - b),
      );
    return etags;
  }

  /** One entity-group transaction (or a plain call for a single row); fills in the etags it made. */
  private async commitGroup(
    group: number[],
    writes: readonly RowWrite[],
    etags: string[],
    written: readonly number[],
  ): Promise<void> {
    if (group.length === 1) {
      const index = group[0]!;
      try {
        etags[index] = await this.writeOne(writes[index]!);
      } catch (error) {
        if (error instanceof ConflictError) throw new ConflictError(error.message, index, written);
        throw error;
      }
      return;
    }
    const table = writes[group[0]!]!.table;
    const actions = group.map((index) => actionFor(writes[index]!));
    let response;
    try {
      response = await this.client(table).submitTransaction(actions);
    } catch (error) {
      const status = statusOf(error);
      if (status !== 409 && status !== 412 && status !== 404) throw error;
      // The service names the failed operation by its position in the batch ("2:The update ...").
      const at = /^(\d+):/.exec((error as Error).message ?? '');
      const index = group[at ? Number(at[1]) : 0] ?? group[0]!;
      const w = writes[index]!;
      throw new ConflictError(
        `${describeRow(w.table, w.partition, w.key)} lost in a unit of work`,
        index,
        written,
      );
    }
    response.subResponses.forEach((sub, i) => {
      const index = group[i];
      if (index !== undefined && writes[index]!.op !== 'delete') etags[index] = (sub.etag ?? '').trim();
    });
  }

  private async writeOne(w: RowWrite): Promise<string> {
    switch (w.op) {
      case 'create':
        return this.create(w.table, w.partition, w.key, w.value);
      case 'replace':
        return this.replace(w.table, w.partition, w.key, w.value, w.etag);
      case 'upsert':
        return this.upsert(w.table, w.partition, w.key, w.value);
      case 'delete':
        await this.delete(w.table, w.partition, w.key, w.etag);
        return '';
    }
  }

  async list<T>(range: KeyRange, options: { limit?: number; continuation?: string } = {}): Promise<Page<T>> {
    const table = tableOfRange(range);
    const pages = this.client(table)
      .listEntities<Entity>({ queryOptions: { filter: rangeFilter(range) } })
      .byPage({ maxPageSize: pageLimit(options.limit), continuationToken: options.continuation });
    const first = await pages.next();
    if (first.done) return { rows: [] };
    const page: TableEntityResultPage<Entity> = first.value;
    const where = `${table} partition ${JSON.stringify(range.partition)}`;
    const rows = page.map((entity) => ({
      key: unescapeKey(String(entity.rowKey)),
      ...toStoredRow<T>(entity, where),
    }));
    // Table Storage returns a partition in RowKey order; Cosmos DB's Table API does not promise to, so the
    // page is sorted here (order across pages on Cosmos is the service's; see the store's README notes).
    rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return page.continuationToken ? { rows, continuation: page.continuationToken } : { rows };
  }

  async close(): Promise<void> {
    // The SDK's HTTP pipeline holds no sockets open between requests that need closing.
  }

  private client(table: string): TableClient {
    assertKnownTable(table);
    return this.clients.get(table)!;
  }
}

/** Positions of the writes, grouped by table and partition, groups in order of their first write. */
function groupsOf(writes: readonly RowWrite[]): number[][] {
  const groups = new Map<string, number[][]>();
  writes.forEach((w, index) => {
    // The SDK sends a delete inside a transaction unconditionally, so an etag-checked delete is a
    // request of its own (a group of one), and keeps its condition.
    const alone = w.op === 'delete' && w.etag !== undefined;
    const id = JSON.stringify(alone ? [index] : [w.table, w.partition]);
    const chunks = groups.get(id) ?? [];
    const last = chunks.at(-1);
    // Azure takes at most 100 operations per transaction; a larger group becomes several in a row.
    if (last && last.length < MAX_BATCH) last.push(index);
    else chunks.push([index]);
    groups.set(id, chunks);
  });
  const all = [...groups.values()].flat();
  return all.sort((a, b) => a[0]! - b[0]!);
}

const MAX_BATCH = 100;

function actionFor(w: RowWrite): TransactionAction {
  const where = describeRow(w.table, w.partition, w.key);
  switch (w.op) {
    case 'create':
      return ['create', toEntity(w.partition, w.key, w.value, where)];
    case 'replace':
      return ['update', toEntity(w.partition, w.key, w.value, where), 'Replace', { etag: w.etag }];
    case 'upsert':
      return ['upsert', toEntity(w.partition, w.key, w.value, where), 'Replace'];
    case 'delete':
      // Only unconditional deletes come here: groupsOf sends an etag-checked one on its own.
      return ['delete', { partitionKey: escapeKey(w.partition), rowKey: escapeKey(w.key) }];
  }
}

function clientFor(name: string, options: AzureTablesOptions): TableClient {
  const clientOptions: TableServiceClientOptions = {
    allowInsecureConnection: options.allowInsecureConnection,
  };
  if (options.connectionString)
    return TableClient.fromConnectionString(options.connectionString, name, clientOptions);
  if (options.endpoint && options.credential) {
    return new TableClient(options.endpoint, name, options.credential, clientOptions);
  }
  throw new Error('Azure Tables needs a connection string, or an endpoint and a credential');
}

async function createIfMissing(client: TableClient): Promise<void> {
  try {
    await client.createTable();
  } catch (error) {
    // The SDK already ignores TableAlreadyExists; a 409 from a table being deleted is still "exists".
    if (statusOf(error) !== 409) throw error;
  }
}

/** An OData filter for one partition's [from, to); values go through odata`` so quotes are escaped. */
function rangeFilter(range: KeyRange): string {
  const clauses = [odata`PartitionKey eq ${escapeKey(range.partition)}`];
  if (range.from !== undefined) clauses.push(odata`RowKey ge ${escapeKey(range.from)}`);
  if (range.to !== undefined) clauses.push(odata`RowKey lt ${escapeKey(range.to)}`);
  return clauses.join(' and ');
}

function toEntity(
  partition: string,
  key: string,
  value: unknown,
  where: string,
): Entity & {
  partitionKey: string;
  rowKey: string;
} {
  return {
    partitionKey: escapeKey(partition),
    rowKey: escapeKey(key),
    ...splitJson(toJson(value, where), where),
  };
}

function toStoredRow<T>(entity: TableEntityResult<Entity>, where: string): StoredRow<T> {
  return { value: JSON.parse(joinJson(entity, where)) as T, etag: requireEtag(entity.etag, where) };
}

function requireEtag(etag: string | undefined, where: string): string {
  if (!etag) throw new Error(`${where}: the service returned no etag`);
  return etag;
}

/** The HTTP status of an SDK error (RestError.statusCode), if it has one. */
function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
