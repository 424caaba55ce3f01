import { describe, expect, it } from 'vitest';
import { decideBulk } from '../../src/bulk/approval.js';
import type { BulkDeps } from '../../src/bulk/deps.js';
import type { TapGraph } from '../../src/graph/port.js';
import { ROLE } from '../../src/tap/roles.js';
import { bulkWorld, items, newJob, sqliteStores } from './fixtures.js';

const fresh = sqliteStores();
const CHANNEL = '19:approvers@thread.tacv2';
const authAdmin = {
  getRoles: async () => [
    { roleTemplateId: ROLE.authenticationAdministrator, displayName: 'Authentication Administrator' },
  ],
} as unknown as TapGraph;

const deps = () =>
  bulkWorld(fresh(), new Date('2026-05-04T10:05:00.000Z'), { approversConversationId: CHANNEL }).deps;

async function awaiting(d: BulkDeps) {
  const stored = await d.bulk.add(
    newJob({ state: 'awaiting', needsApproval: true, approval: { approversConversationId: CHANNEL } }),
    items(30),
  );
  return stored.value.id;
}

describe('decideBulk', () => {
  it("an approver who is one of the bulk's people cannot approve it; another admin can", async () => {
    const d = deps();
    const id = await awaiting(d);
    const self = await decideBulk(d, id, { oid: 'id-7', name: 'User 7' }, `${CHANNEL};messageid=1`, {
      kind: 'approve',
      graph: async () => authAdmin,
    });
    expect(self.ok ? 'approved' : self.problem.code).toBe('APPROVAL_FOR_SELF');
    expect((await d.bulk.get(id))!.value.state).toBe('awaiting');
    const other = await decideBulk(d, id, { oid: 'oid-erin', name: 'Erin' }, CHANNEL, {
      kind: 'approve',
      graph: async () => authAdmin,
    });
    expect(other.ok && other.job.state).toBe('approved');
    expect((await d.bulk.get(id))!.value.approval?.decidedBy?.name).toBe('Erin');
  });

  it('an approver without a role that issues passes is refused and the bulk stays open', async () => {
    const d = deps();
    const id = await awaiting(d);
    const none = { getRoles: async () => [] } as unknown as TapGraph;
    const outcome = await decideBulk(d, id, { oid: 'oid-mallory', name: 'Mallory' }, CHANNEL, {
      kind: 'approve',
      graph: async () => none,
    });
    expect(outcome.ok ? 'approved' : outcome.problem.code).toBe('APPROVER_ROLE_MISSING');
    expect((await d.bulk.get(id))!.value.state).toBe('awaiting');
  });
});

describe('rejecting a bulk', () => {
  it('is refused to someone without a role that issues passes; the bulk stays open', async () => {
    const d = deps();
    const id = await awaiting(d);
    const none = { getRoles: async () => [] } as unknown as TapGraph;
    const outcome = await decideBulk(d, id, { oid: 'oid-mallory', name: 'Mallory' }, CHANNEL, {
      kind: 'reject',
      reason: '[Re-verify](https://evil.example)',
      graph: async () => none,
    });
    expect(outcome.ok ? 'rejected' : outcome.problem.code).toBe('APPROVER_ROLE_MISSING');
    expect((await d.bulk.get(id))!.value.state).toBe('awaiting');
    const byAdmin = await decideBulk(d, id, { oid: 'oid-erin', name: 'Erin' }, CHANNEL, {
      kind: 'reject',
      reason: 'not verified',
      graph: async () => authAdmin,
    });
    expect(byAdmin.ok && byAdmin.job.state).toBe('rejected');
  });
});
