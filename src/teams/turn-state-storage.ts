import type { Storage, StoreItems } from 'botbuilder';
import { ConflictError, TABLES, type RowStore } from '../store/port.js';
import { UnitOfWork } from '../store/unit.js';

const PARTITION = 'state';

/**
 * botbuilder's Storage on TapDesk's row store, so teams-ai turn state lives where everything else
 * does (SQLite or Azure Tables) and survives restarts and instance hops. Items carry `eTag`;
 * a write with a concrete eTag is conditional, '*' or none is last-writer-wins, as botbuilder expects.
 * teams-ai writes only scopes whose value changed; the items of one write commit together, and an
 * item written back exactly as it was read (same eTag, same value) is not written at all.
 */
export class RowStoreStorage implements Storage {
  /** What each key held when this process last read it (etag and JSON), to skip writing it back unchanged. */
  private readonly lastRead = new Map<string, string>();

  constructor(private readonly store: RowStore) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const row = await this.store.get<Record<string, unknown>>(TABLES.turnState, PARTITION, key);
        if (!row) return;
        items[key] = { ...row.value, eTag: row.etag };
        this.remember(key, `${row.etag}\n${JSON.stringify(row.value)}`);
      }),
    );
    return items;
  }

  private remember(key: string, stamp: string): void {
    if (this.lastRead.size > 10_000) this.lastRead.clear();
    this.lastRead.set(key, stamp);
  }

  async write(changes: StoreItems): Promise<void> {
    const unit = new UnitOfWork();
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...value } = (item ?? {}) as Record<string, unknown> & { eTag?: string };
      // Unchanged since this process read it (same etag, same value): nothing to make durable.
      if (eTag && eTag !== '*' && this.lastRead.get(key) === `${eTag}\n${JSON.stringify(value)}`) continue;
      if (eTag && eTag !== '*')
        unit.add({ op: 'replace', table: TABLES.turnState, partition: PARTITION, key, value, etag: eTag });
      else unit.add({ op: 'upsert', table: TABLES.turnState, partition: PARTITION, key, value });
    }
    if (unit.writes.length === 0) return;
    try {
      // Every scope of the turn in one commit.
      await unit.commit(this.store);
    } catch (error) {
      if (error instanceof ConflictError) {
        const key = error.index === undefined ? 'an item' : unit.writes[error.index]?.key;
        throw new Error(`Storage: eTag conflict writing ${key}`, { cause: error });
      }
      throw error;
    } finally {
      for (const w of unit.writes) this.lastRead.delete(w.key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    // A deleted item is no longer what was read: a later write of the old value must reach the store.
    for (const key of keys) this.lastRead.delete(key);
    await Promise.all(keys.map((key) => this.store.delete(TABLES.turnState, PARTITION, key)));
  }
}
