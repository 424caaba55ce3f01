import { randomUUID } from 'node:crypto';
import type { RowStore, StoredRow } from '../store/port.js';
import type { TapRequest } from './request.js';

const TABLE = 'requests';

/** Requests in the row store. Every state change is a conditional write against the etag last read. */
export class RequestRepository {
  constructor(private readonly store: RowStore) {}

  async add(request: Omit<TapRequest, 'id'>): Promise<StoredRow<TapRequest>> {
    const value: TapRequest = { ...request, id: randomUUID() };
    const etag = await this.store.create(TABLE, value.id, value);
    return { value, etag };
  }

  async get(id: string): Promise<StoredRow<TapRequest> | undefined> {
    return this.store.get<TapRequest>(TABLE, id);
  }

  /** Writes `next` only if the row is unchanged since `current` was read; throws ConflictError otherwise. */
  async update(current: StoredRow<TapRequest>, next: TapRequest): Promise<StoredRow<TapRequest>> {
    const etag = await this.store.replace(TABLE, next.id, next, current.etag);
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
