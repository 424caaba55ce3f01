import { randomUUID } from 'node:crypto';
import { ConflictError, TABLES, type RowStore, type StoredRow } from '../store/port.js';
import type { UnitOfWork } from '../store/unit.js';
import type { ApprovalInfo, TapRequest } from './request.js';

// One partition per request: clicks on different requests never contend, on any store.
const KEY = 'request';

/** Requests in the row store. Every state change is a conditional write against the etag last read. */
export class RequestRepository {
  constructor(private readonly store: RowStore) {}

  async add(request: Omit<TapRequest, 'id'>): Promise<StoredRow<TapRequest>> {
    const value: TapRequest = { ...request, id: randomUUID() };
    const etag = await this.store.create(TABLES.requests, value.id, KEY, value);
    return { value, etag };
  }

  /** Adds the create of a new request (its id chosen by the caller) to `unit`; returns the write's slot. */
  addIn(unit: UnitOfWork, value: TapRequest): number {
    return unit.add({ op: 'create', table: TABLES.requests, partition: value.id, key: KEY, value });
  }

  /** Adds a conditional write of `next` over `current` to `unit` (the commit conflicts if it changed). */
  updateIn(unit: UnitOfWork, current: StoredRow<TapRequest>, next: TapRequest): number {
    return unit.add({
      op: 'replace',
      table: TABLES.requests,
      partition: next.id,
      key: KEY,
      value: next,
      etag: current.etag,
    });
  }

  async get(id: string): Promise<StoredRow<TapRequest> | undefined> {
    return this.store.get<TapRequest>(TABLES.requests, id, KEY);
  }

  /**
   * Sets fields of an approval request's `approval` (the ids of cards posted for it), re-reading and
   * retrying when a click changed the request meanwhile: a card id must not be lost to a race.
   */
  async patchApproval(id: string, fields: Partial<ApprovalInfo>): Promise<TapRequest> {
    for (let attempt = 1; ; attempt += 1) {
      const row = await this.get(id);
      if (!row?.value.approval) throw new Error(`approval request ${id} not found`);
      try {
        return (await this.update(row, { ...row.value, approval: { ...row.value.approval, ...fields } }))
          .value;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= 5) throw error;
      }
    }
  }

  /** Writes `next` only if the row is unchanged since `current` was read; throws ConflictError otherwise. */
  async update(current: StoredRow<TapRequest>, next: TapRequest): Promise<StoredRow<TapRequest>> {
    const etag = await this.store.replace(TABLES.requests, next.id, KEY, next, current.etag);
    return { value: next, etag };
  }
}

/** Records which chat message shows the request's card, so clicks can update it for everyone. */
export async function attachCard(
  requests: RequestRepository,
  requestId: string,
  activityId: string,
): Promise<void> {
  const row = await requests.get(requestId);
  if (row && !row.value.cardActivityId)
    await requests.update(row, { ...row.value, cardActivityId: activityId });
}
