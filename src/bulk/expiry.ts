import { problem, type Problem } from '../errors/catalog.js';
import type { StoredRow } from '../store/port.js';
import { auditAfterTheFact } from '../tap/audit-events.js';
import { ignoreConflict } from '../tap/clicks.js';
import { TAPDESK, type Person } from '../tap/request.js';
import type { BulkDeps } from './deps.js';
import type { BulkJob } from './job.js';
import { bulkEvent } from './validate.js';

/** A bulk TapDesk closes at its deadline: waiting for an approver, or for the requester's Issue click after approval. */
const CLOSES_AT_DEADLINE: ReadonlySet<BulkJob['state']> = new Set(['awaiting', 'approved']);

/**
 * Records that a bulk ran out of time (conditional write, audited once) and returns the refusal a
 * late click hears; `job` is the stored state, whoever recorded the expiry.
 */
export async function expireBulk(
  deps: BulkDeps,
  row: StoredRow<BulkJob>,
  actor: Person,
): Promise<{ ok: false; problem: Problem; job: BulkJob }> {
  const expired = await deps.bulk.update(row, { ...row.value, state: 'expired' }).catch(ignoreConflict);
  if (expired) await auditAfterTheFact(deps, bulkEvent('bulk.expired', expired.value, actor));
  const latest = expired ? expired.value : ((await deps.bulk.get(row.value.id))?.value ?? row.value);
  return { ok: false, problem: problem('REQUEST_EXPIRED', { who: 'these people' }), job: latest };
}

/**
 * At a waiting bulk's deadline (`deadline`: the expiry the caller scheduled for), TapDesk closes it
 * without anyone clicking, so the approvers' card stops offering Approve. Returns the expired bulk
 * when that deadline is the one that ended it, whether TapDesk or a late click recorded it first;
 * null when the bulk was decided, moved on, or got a later deadline (an approval restarts the clock).
 */
export async function expireBulkIfDue(deps: BulkDeps, id: string, deadline: string): Promise<BulkJob | null> {
  const row = await deps.bulk.get(id);
  if (!row || Date.parse(row.value.expiresAt) !== Date.parse(deadline)) return null;
  if (row.value.state === 'expired') return row.value;
  if (!CLOSES_AT_DEADLINE.has(row.value.state)) return null;
  if (deps.clock.now().getTime() <= Date.parse(row.value.expiresAt)) return null;
  const { job } = await expireBulk(deps, row, TAPDESK);
  return job.state === 'expired' ? job : null;
}
