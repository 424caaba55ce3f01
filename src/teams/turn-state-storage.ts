import type { Storage, StoreItems } from 'botbuilder';
import { ConflictError, TABLES, type RowStore } from '../store/port.js';

const PARTITION = 'state';

/**
 * botbuilder's Storage on TapDesk's row store, so teams-ai turn state lives where everything else
 * does (SQLite or Azure Tables) and survives restarts and instance hops. Items carry `eTag`;
 * a write with a concrete eTag is conditional, '*' or none is last-writer-wins, as botbuilder expects.
 */
export class RowStoreStorage implements Storage {
  constructor(private readonly store: RowStore) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const row = await this.store.get<Record<string, unknown>>(TABLES.turnState, PARTITION, key);
        if (row) items[key] = { ...row.value, eTag: row.etag };
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(
      Object.entries(changes).map(async ([key, item]) => {
        const { eTag, ...value } = (item ?? {}) as Record<string, unknown> & { eTag?: string };
        if (eTag && eTag !== '*') {
          try {
            await this.store.replace(TABLES.turnState, PARTITION, key, value, eTag);
          } catch (error) {
            if (error instanceof ConflictError)
              throw new Error(`Storage: eTag conflict writing ${key}`, { cause: error });
            throw error;
          }
        } else {
          await this.store.upsert(TABLES.turnState, PARTITION, key, value);
        }
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.store.delete(TABLES.turnState, PARTITION, key)));
  }
}
