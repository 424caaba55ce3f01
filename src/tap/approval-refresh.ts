import { problem } from '../errors/catalog.js';
import type { StoredRow } from '../store/port.js';
import type { DecisionOutcome } from './approval-outcome.js';
import { auditAfterTheFact, requestEvent } from './audit-events.js';
import { ignoreConflict, type Clicker } from './clicks.js';
import type { CoreDeps } from './core-deps.js';
import { factsOf, snapshot } from './facts.js';
import { planIssue, policyTerms } from './plan.js';
import { planRefusalCode } from './prepare.js';
import type { LiveRead } from './recheck.js';
import type { TapRequest } from './request.js';

/**
 * The person or the policy changed since the approvers' card was drawn: nothing is created. The
 * request stays open with what is true now (re-planned against the policy the approver can read; a
 * newly privileged person now needs a privileged approver), its card says what changed, and the
 * approver decides again on the new facts.
 */
export async function refreshApproval(
  deps: CoreDeps,
  row: StoredRow<TapRequest>,
  changes: string[],
  live: LiveRead,
  clicker: Clicker,
): Promise<DecisionOutcome> {
  const request = row.value;
  const ctx = { targetName: request.target!.displayName, who: request.target!.userPrincipalName };
  const planned = planIssue(request.asked, live.policy, deps.clock.now(), deps.maxLifetimeMinutes);
  if (!planned.ok) {
    const found = problem(planRefusalCode(planned.reason), ctx);
    const ended = await deps.requests.update(row, {
      ...request,
      state: 'failed',
      outcome: { problemCode: found.code, at: deps.clock.now().toISOString() },
    });
    await auditAfterTheFact(deps, requestEvent('tap.failed', ended.value, clicker, { code: found.code }));
    return { kind: 'ended', problem: found, request: ended.value };
  }
  const now = factsOf(live.user, live.pass, live.privileged, live.policy);
  const approval = request.approval!;
  const refreshed = await deps.requests
    .update(row, {
      ...request,
      state: 'awaiting',
      usedAt: undefined,
      plan: planned.plan,
      policy: policyTerms(live.policy) ?? request.policy,
      shown: snapshot(now),
      approval: {
        ...approval,
        decidedBy: undefined,
        decidedAt: undefined,
        needs: now.privileged ? 'privileged' : approval.needs,
        notes: [`What changed: ${changes.join(' ')}`, ...planned.notes].slice(0, 6),
      },
    })
    .catch(ignoreConflict);
  await auditAfterTheFact(
    deps,
    requestEvent('request.superseded', refreshed?.value ?? request, clicker, {
      reason: changes.join(' ').slice(0, 200),
    }),
  );
  return {
    kind: 'reopened',
    problem: problem('APPROVAL_FACTS_CHANGED', { ...ctx, detail: changes.join(' ') }),
    request: refreshed?.value ?? request,
  };
}
