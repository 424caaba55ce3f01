import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/log.js';
import { decideBulk } from '../../src/bulk/approval.js';
import type { BulkDeps } from '../../src/bulk/deps.js';
import { BulkRepository } from '../../src/bulk/repository.js';
import type { TapGraph } from '../../src/graph/port.js';
import { IssueLimiter } from '../../src/tap/limits.js';
import { ROLE } from '../../src/tap/roles.js';
import { items, newJob, sqliteStores } from './fixtures.js';

const fresh = sqliteStores();
const CHANNEL = '19:approvers@thread.tacv2';
const authAdmin = {
  getRoles: async () => [
    { roleTemplateId: ROLE.authenticationAdministrator, displayName: 'Authentication Administrator' },
  ],
} as unknown as TapGraph;

function deps(): BulkDeps {
  const store = fresh();
  const now = new Date('2026-05-04T10:05:00.000Z');
  return {
    bulk: new BulkRepository(store),
    audit: new AuditLog(store, () => now),
    onBackgroundError: () => undefined,
    clock: { now: () => now, sync: async () => {} },
    limiter: new IssueLimiter(store, { perIssuerPerHour: 0, perTargetPerDay: 0, tenantPerHour: 0 }),
    maxLifetimeMinutes: 480,
    requestTtlMinutes: 10,
    approvalAbove: 25,
    approversConversationId: CHANNEL,
    approvalTtlMinutes: 60,
    concurrency: 2,
    instanceId: 'test',
    leaseSeconds: 60,
  };
}

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
