import { randomUUID } from 'node:crypto';
import { TABLES, type RowStore, type StoredRow } from '../store/port.js';
import type { TapRequest } from './request.js';

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

  async get(id: string): Promise<StoredRow<TapRequest> | undefined> {
    return this.store.get<TapRequest>(TABLES.requests, id, KEY);
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
