import { randomUUID } from 'node:crypto';
import { ConflictError, TABLES, type RowStore, type StoredRow } from '../store/port.js';
import type { UnitOfWork } from '../store/unit.js';
import { ITEMS_PER_CHUNK, type BulkChunk, type BulkItem, type BulkJob } from './job.js';

// One partition per bulk: its job row and its chunk rows. Bulks that are issuing are also listed in
// one small index partition, so a recovering instance finds them without scanning every bulk.
const JOB_KEY = 'job';
const ACTIVE_PARTITION = '_issuing';
const chunkKey = (index: number) => `chunk|${String(index).padStart(4, '0')}`;

/** Bulk jobs and their chunks in the row store; every state change is a conditional write. */
export class BulkRepository {
  constructor(private readonly store: RowStore) {}

  /** Stores the chunks first and the job last: a job row is never visible without all its items. */
  async add(job: Omit<BulkJob, 'id' | 'chunkCount'>, ready: BulkItem[]): Promise<StoredRow<BulkJob>> {
    const id = randomUUID();
    let chunkCount = 0;
    for (let start = 0; start < ready.length; start += ITEMS_PER_CHUNK) {
      const chunk: BulkChunk = { index: chunkCount, items: ready.slice(start, start + ITEMS_PER_CHUNK) };
      await this.store.create(TABLES.bulk, id, chunkKey(chunkCount), chunk);
      chunkCount += 1;
    }
    const value: BulkJob = { ...job, id, chunkCount };
    const etag = await this.store.create(TABLES.bulk, id, JOB_KEY, value);
    return { value, etag };
  }

  async get(id: string): Promise<StoredRow<BulkJob> | undefined> {
    return this.store.get<BulkJob>(TABLES.bulk, id, JOB_KEY);
  }

  async update(current: StoredRow<BulkJob>, next: BulkJob): Promise<StoredRow<BulkJob>> {
    const etag = await this.store.replace(TABLES.bulk, next.id, JOB_KEY, next, current.etag);
    return { value: next, etag };
  }

  /** Adds a conditional write of the job to a unit of work; its etag is `etags[slot]` after the commit. */
  updateIn(unit: UnitOfWork, current: StoredRow<BulkJob>, next: BulkJob): number {
    return unit.add({
      op: 'replace',
      table: TABLES.bulk,
      partition: next.id,
      key: JOB_KEY,
      value: next,
      etag: current.etag,
    });
  }

  /** Adds a conditional write of a chunk to a unit of work. */
  updateChunkIn(unit: UnitOfWork, id: string, current: StoredRow<BulkChunk>, next: BulkChunk): number {
    return unit.add({
      op: 'replace',
      table: TABLES.bulk,
      partition: id,
      key: chunkKey(next.index),
      value: next,
      etag: current.etag,
    });
  }

  /** Adds the bulk to the issuing index (see markIssuing) to a unit of work. */
  markIssuingIn(unit: UnitOfWork, id: string): void {
    unit.add({ op: 'upsert', table: TABLES.bulk, partition: ACTIVE_PARTITION, key: id, value: { id } });
  }

  /** Commits a unit of work on the store the bulks live in (the audit trail and limits live there too). */
  commit(unit: UnitOfWork): Promise<string[]> {
    return unit.commit(this.store);
  }

  /** Applies `change` to the latest job row, re-reading on conflicts (for heartbeats and card ids). */
  async patch(id: string, change: (job: BulkJob) => BulkJob | null): Promise<StoredRow<BulkJob> | null> {
    for (let attempt = 1; ; attempt += 1) {
      const row = await this.get(id);
      if (!row) return null;
      const next = change(row.value);
      if (next === null) return row;
      try {
        return await this.update(row, next);
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= 10) throw error;
      }
    }
  }

  async getChunk(id: string, index: number): Promise<StoredRow<BulkChunk> | undefined> {
    return this.store.get<BulkChunk>(TABLES.bulk, id, chunkKey(index));
  }

  async updateChunk(
    id: string,
    current: StoredRow<BulkChunk>,
    next: BulkChunk,
  ): Promise<StoredRow<BulkChunk>> {
    const etag = await this.store.replace(TABLES.bulk, id, chunkKey(next.index), next, current.etag);
    return { value: next, etag };
  }

  async chunks(job: BulkJob): Promise<StoredRow<BulkChunk>[]> {
    const rows: StoredRow<BulkChunk>[] = [];
    for (let index = 0; index < job.chunkCount; index += 1) {
      const row = await this.getChunk(job.id, index);
      if (row) rows.push(row);
    }
    return rows;
  }

  async markIssuing(id: string): Promise<void> {
    await this.store.upsert(TABLES.bulk, ACTIVE_PARTITION, id, { id });
  }

  async unmarkIssuing(id: string): Promise<void> {
    await this.store.delete(TABLES.bulk, ACTIVE_PARTITION, id);
  }

  /** Ids of bulks some instance is (or was, before it died) issuing. */
  async issuingIds(): Promise<string[]> {
    const ids: string[] = [];
    let continuation: string | undefined;
    do {
      const page = await this.store.list<{ id: string }>(
        { table: TABLES.bulk, partition: ACTIVE_PARTITION },
        { continuation },
      );
      ids.push(...page.rows.map((r) => r.key));
      continuation = page.continuation;
    } while (continuation);
    return ids;
  }
}
