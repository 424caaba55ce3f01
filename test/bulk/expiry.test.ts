import { describe, expect, it } from 'vitest';
import { expireBulkIfDue } from '../../src/bulk/expiry.js';
import type { BulkJob } from '../../src/bulk/job.js';
import { claimBulk } from '../../src/bulk/run.js';
import { bulkWorld, items, newJob, REQUESTER, sqliteStores } from './fixtures.js';

const fresh = sqliteStores();
const DEADLINE = '2026-05-04T11:00:00.000Z';
const after = (iso: string, ms: number) => new Date(Date.parse(iso) + ms);

/** A bulk in `state` whose deadline is DEADLINE, and a clock just past it. */
async function waiting(state: BulkJob['state']) {
  const world = bulkWorld(fresh(), after(DEADLINE, 1));
  const added = await world.deps.bulk.add(
    newJob({ state, expiresAt: DEADLINE, needsApproval: true, approval: { approversConversationId: 'c' } }),
    items(30),
  );
  const types = async () => (await world.deps.audit.recent(10)).map((e) => `${e.type} by ${e.actor.name}`);
  return { ...world, id: added.value.id, types };
}

describe('expireBulkIfDue (the notice hook at a waiting bulk’s deadline)', () => {
  it.each(['awaiting', 'approved'] as const)(
    'closes a bulk still %s once its deadline passed, audited as TapDesk',
    async (state) => {
      const { deps, id, types } = await waiting(state);
      expect((await expireBulkIfDue(deps, id, DEADLINE))?.state).toBe('expired');
      expect((await deps.bulk.get(id))?.value.state).toBe('expired');
      expect(await types()).toEqual(['bulk.expired by TapDesk']);
    },
  );

  it('leaves it alone before the deadline', async () => {
    const { deps, clock, id, types } = await waiting('awaiting');
    clock.current = new Date(DEADLINE);
    expect(await expireBulkIfDue(deps, id, DEADLINE)).toBeNull();
    expect((await deps.bulk.get(id))?.value.state).toBe('awaiting');
    expect(await types()).toEqual([]);
  });

  it('ignores a deadline the bulk no longer has (approval restarted the clock)', async () => {
    const { deps, id } = await waiting('approved');
    expect(await expireBulkIfDue(deps, id, '2026-05-04T10:30:00.000Z')).toBeNull();
    expect((await deps.bulk.get(id))?.value.state).toBe('approved');
  });

  it.each(['rejected', 'cancelled', 'issuing', 'done'] as const)(
    'does nothing to a bulk that is %s',
    async (state) => {
      const { deps, id, types } = await waiting(state);
      expect(await expireBulkIfDue(deps, id, DEADLINE)).toBeNull();
      expect((await deps.bulk.get(id))?.value.state).toBe(state);
      expect(await types()).toEqual([]);
    },
  );

  it('a late click recorded the expiry first: reported (the requester is still owed the message), audited once', async () => {
    const { deps, id, types } = await waiting('approved');
    const late = await claimBulk(deps, id, REQUESTER);
    expect(late.ok ? 'claimed' : late.problem.code).toBe('REQUEST_EXPIRED');
    expect((await expireBulkIfDue(deps, id, DEADLINE))?.state).toBe('expired');
    expect(await types()).toEqual(['bulk.expired by Riley Requester']);
  });

  it('an unknown bulk is nothing to close', async () => {
    const { deps } = await waiting('awaiting');
    expect(await expireBulkIfDue(deps, 'no-such-bulk', DEADLINE)).toBeNull();
  });
});
