import { problem, type Problem } from '../errors/catalog.js';
import type { TapGraph } from '../graph/port.js';
import { ConflictError } from '../store/port.js';
import { auditAfterTheFact } from '../tap/audit-events.js';
import { conversationRoot, type Person } from '../tap/request.js';
import { issuerStrength } from '../tap/roles.js';
import type { BulkDeps } from './deps.js';
import type { BulkJob } from './job.js';
import { expireBulk } from './expiry.js';
import { requesterRow, stateText } from './run.js';
import { ignoreConflict } from '../tap/clicks.js';
import { bulkEvent, countsText } from './validate.js';

export type BulkDecision = { ok: true; job: BulkJob } | { ok: false; problem: Problem; job?: BulkJob };

/** The requester asks the approvers: only their own pending bulk that is above the approval size. */
export async function askApproval(deps: BulkDeps, id: string, clicker: Person): Promise<BulkDecision> {
  const found = await requesterRow(deps, id, clicker);
  if (!found.ok) return found;
  const { row } = found;
  const job = row.value;
  if (job.state !== 'pending' || !job.needsApproval || !deps.approversConversationId)
    return { ok: false, problem: problem('BULK_STATE_CHANGED', { decision: stateText(job) }), job };
  const now = deps.clock.now();
  if (now.getTime() > Date.parse(job.expiresAt)) return expireBulk(deps, row, clicker);
  try {
    const asked = await deps.bulk.update(row, {
      ...job,
      state: 'awaiting',
      expiresAt: new Date(now.getTime() + deps.approvalTtlMinutes * 60_000).toISOString(),
      approval: { approversConversationId: deps.approversConversationId },
    });
    await deps.audit.append(bulkEvent('bulk.approval_requested', asked.value, clicker, countsText(job)));
    return { ok: true, job: asked.value };
  } catch (error) {
    ignoreConflict(error);
    return { ok: false, problem: problem('BULK_STATE_CHANGED', { decision: 'already asked' }) };
  }
}

/**
 * A second admin decides, on the card in the approvers' conversation. Approving and rejecting need an
 * active role that may issue passes, read with the decider's own token; the passes are then issued by the
 * requester, who alone receives them. The first decision wins (conditional write).
 */
export async function decideBulk(
  deps: BulkDeps,
  id: string,
  approver: Person,
  where: string,
  decision:
    | { kind: 'approve'; graph: () => Promise<TapGraph> }
    | { kind: 'reject'; reason: string; graph: () => Promise<TapGraph> },
): Promise<BulkDecision> {
  const row = await deps.bulk.get(id);
  if (!row) return { ok: false, problem: problem('REQUEST_NOT_FOUND') };
  const job = row.value;
  if (job.approval && conversationRoot(where) !== conversationRoot(job.approval.approversConversationId))
    return { ok: false, problem: problem('APPROVAL_WRONG_PLACE'), job };
  if (job.state !== 'awaiting')
    return {
      ok: false,
      problem: problem('APPROVAL_DECIDED', {
        decision: stateText(job),
        deciderName: job.approval?.decidedBy?.name,
        who: 'one of these people',
      }),
      job,
    };
  if (job.requester.oid === approver.oid) return { ok: false, problem: problem('APPROVAL_OWN_REQUEST'), job };
  const targets = (await deps.bulk.chunks(job)).flatMap((c) => c.value.items.map((i) => i.target.id));
  if (targets.includes(approver.oid)) return { ok: false, problem: problem('APPROVAL_FOR_SELF'), job };
  if (deps.clock.now().getTime() > Date.parse(job.expiresAt)) return expireBulk(deps, row, approver);
  // Only someone who could approve may reject: a rejection ends the bulk for everyone, and its
  // reason reaches the requester as TapDesk's word.
  const roles = await (await decision.graph()).getRoles('me', AbortSignal.timeout(5_000));
  if (issuerStrength(roles) === 'none') return { ok: false, problem: problem('APPROVER_ROLE_MISSING'), job };
  const now = deps.clock.now();
  try {
    const decided = await deps.bulk.update(row, {
      ...job,
      state: decision.kind === 'approve' ? 'approved' : 'rejected',
      // The requester still has to click Issue; give them the usual confirmation window from now.
      ...(decision.kind === 'approve'
        ? { expiresAt: new Date(now.getTime() + deps.approvalTtlMinutes * 60_000).toISOString() }
        : {}),
      approval: {
        ...job.approval!,
        decidedBy: approver,
        decidedAt: now.toISOString(),
        ...(decision.kind === 'reject' ? { rejectReason: decision.reason } : {}),
      },
    });
    await auditAfterTheFact(
      deps,
      bulkEvent(
        decision.kind === 'approve' ? 'bulk.approved' : 'bulk.rejected',
        decided.value,
        approver,
        decision.kind === 'reject' ? decision.reason : countsText(job),
      ),
    );
    return { ok: true, job: decided.value };
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const latest = await deps.bulk.get(id);
    return {
      ok: false,
      problem: problem('APPROVAL_DECIDED', {
        decision: latest ? stateText(latest.value) : 'decided',
        deciderName: latest?.value.approval?.decidedBy?.name,
        who: 'one of these people',
      }),
      job: latest?.value,
    };
  }
}

/** The requester withdraws a bulk that has not started. */
export async function cancelBulk(deps: BulkDeps, id: string, clicker: Person): Promise<BulkDecision> {
  const found = await requesterRow(deps, id, clicker);
  if (!found.ok) return found;
  const { row } = found;
  const job = row.value;
  if (!['pending', 'awaiting', 'approved'].includes(job.state))
    return { ok: false, problem: problem('BULK_STATE_CHANGED', { decision: stateText(job) }), job };
  const cancelled = await deps.bulk.update(row, { ...job, state: 'cancelled' }).catch(ignoreConflict);
  if (!cancelled)
    return { ok: false, problem: problem('BULK_STATE_CHANGED', { decision: 'changed meanwhile' }) };
  await auditAfterTheFact(deps, bulkEvent('bulk.cancelled', cancelled.value, clicker));
  return { ok: true, job: cancelled.value };
}
