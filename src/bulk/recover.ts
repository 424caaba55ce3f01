import { auditAfterTheFact } from '../tap/audit-events.js';
import type { BulkDeps } from './deps.js';
import type { BulkJob } from './job.js';
import { resultOf } from './results.js';
import { ignoreConflict } from '../tap/clicks.js';
import { bulkEvent } from './validate.js';

/**
 * Finds bulks whose instance died while issuing (heartbeat older than the lease) and closes them as
 * 'interrupted'. Nothing is ever sent again: rows still 'posting' are reported as unknown, rows still
 * 'ready' as not started, and the passes already created are lost with the dead process's memory.
 * The conditional write on the job makes exactly one instance report each bulk.
 */
export async function recoverInterrupted(deps: BulkDeps): Promise<BulkJob[]> {
  const recovered: BulkJob[] = [];
  for (const id of await deps.bulk.issuingIds()) {
    const row = await deps.bulk.get(id);
    if (!row || row.value.state !== 'issuing') {
      await deps.bulk.unmarkIssuing(id);
      continue;
    }
    const job = row.value;
    const now = deps.clock.now();
    const heartbeat = Date.parse(job.run?.heartbeatAt ?? job.createdAt);
    if (now.getTime() - heartbeat < deps.leaseSeconds * 1000) continue;
    const chunks = (await deps.bulk.chunks(job)).map((c) => c.value);
    const result = resultOf(chunks, now.toISOString(), 'lost');
    if (result.issued === 0) result.delivery = 'none';
    const closed = await deps.bulk
      .update(row, { ...job, state: 'interrupted', result })
      .catch(ignoreConflict);
    if (!closed) continue;
    await deps.bulk.unmarkIssuing(id);
    await auditAfterTheFact(
      deps,
      bulkEvent(
        'bulk.interrupted',
        closed.value,
        job.run?.by ?? job.requester,
        `${result.issued} issued${result.issued > 0 ? ' (passes lost)' : ''}, ${result.unknown} unknown, ${result.failed} failed, ${result.notStarted} not started`,
      ),
    );
    recovered.push(closed.value);
  }
  return recovered;
}
