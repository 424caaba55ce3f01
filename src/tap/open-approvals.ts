import { TABLES, type RowStore } from '../store/port.js';
import type { RequestRepository } from './request-repository.js';

/**
 * How many approval requests one person may have waiting at once. Each posts a card to the
 * approvers' channel, so without a bound one account could flood approvers until a bad request
 * slips through among many. Ten covers a manager asking for a whole team.
 */
export const MAX_OPEN_APPROVALS_PER_REQUESTER = 10;

const partitionOf = (requesterOid: string) => `open-approvals|${requesterOid}`;

/**
 * An index of each requester's approval requests, one row per request. Counting reads the index
 * and each request it names, dropping rows whose request is no longer waiting (decided, expired,
 * cancelled) on the way, so it needs no bookkeeping on every way a request can end.
 */
export class OpenApprovals {
  constructor(
    private readonly store: RowStore,
    private readonly requests: RequestRepository,
  ) {}

  /** Requests of this requester still awaiting a decision and not past their expiry. */
  async count(requesterOid: string, now: Date): Promise<number> {
    const partition = partitionOf(requesterOid);
    const page = await this.store.list<{ expiresAt: string }>(
      { table: TABLES.limits, partition },
      { limit: MAX_OPEN_APPROVALS_PER_REQUESTER * 4 },
    );
    let open = 0;
    for (const row of page.rows) {
      const request =
        Date.parse(row.value.expiresAt) > now.getTime() ? await this.requests.get(row.key) : undefined;
      if (request?.value.state === 'awaiting') open += 1;
      // A prune that fails is tried again at the next count; the row only costs a read until then.
      else await this.store.delete(TABLES.limits, partition, row.key).catch(() => undefined);
    }
    return open;
  }

  async add(requesterOid: string, requestId: string, expiresAt: string): Promise<void> {
    await this.store.create(TABLES.limits, partitionOf(requesterOid), requestId, { expiresAt });
  }
}
