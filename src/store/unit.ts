import type { RowStore, RowWrite } from './port.js';

/**
 * The writes of one unit of work, gathered by the repositories before one `commit`. Each `add`
 * returns the write's slot: after the commit, `etags[slot]` is that row's new etag, and a
 * ConflictError's `index` or `written` name slots.
 */
export class UnitOfWork {
  readonly writes: RowWrite[] = [];

  add(write: RowWrite): number {
    this.writes.push(write);
    return this.writes.length - 1;
  }

  /** Commits the gathered writes on `store` (see RowStore.commit for what lands when it fails). */
  commit(store: RowStore): Promise<string[]> {
    return store.commit(this.writes);
  }
}
