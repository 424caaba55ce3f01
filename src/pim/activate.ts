import { VERBS } from '../cards/actions.js';
import { problem, type Problem } from '../errors/catalog.js';
import { GraphFailure } from '../graph/failure.js';
import type { PimGraph } from '../graph/pim-port.js';
import type { TapGraph } from '../graph/port.js';
import { ConflictError, type StoredRow } from '../store/port.js';
import { UnitOfWork } from '../store/unit.js';
import { alreadyHandled } from '../tap/already-handled.js';
import { auditAfterTheFact, requestEvent } from '../tap/audit-events.js';
import { chooseTarget, guardClick, type Clicker } from '../tap/clicks.js';
import type { CoreDeps } from '../tap/core-deps.js';
import type { PrepareOutcome } from '../tap/prepare.js';
import type { TapRequest } from '../tap/request.js';
import { formatDuration } from '../chat/grammar.js';
import { activationRefusal } from './failure.js';

export interface ActivateClick {
  requestId: string;
  clicker: Clicker;
  minutes: number;
  justification: string | null;
  ticket: string | null;
}

export type ActivateOutcome =
  /** The role is active: what the original command goes on to (a confirmation or choice card). */
  | { kind: 'activated'; next: PrepareOutcome }
  /** Entra did not activate it (yet): the card stays, with the answer, to try again. */
  | { kind: 'not-active'; request: TapRequest; problem: Problem }
  /** The click itself was refused (not theirs, already used, expired). */
  | { kind: 'problem'; problem: Problem };

const ACTIVATE_TIMEOUT_MS = 8_000;

/**
 * "Activate <role>" on a refusal card: the click is checked against the stored request (its
 * requester, an issue request waiting for this activation), then the clicker's OWN token asks PIM to
 * activate the role the request names (never one the card names) for the clicker alone. Granted:
 * the request goes on as if the role had been active when it was typed. Every attempt is audited.
 */
export async function activateRole(
  deps: CoreDeps,
  acquire: { graph: () => Promise<TapGraph>; pim: () => Promise<PimGraph> },
  click: ActivateClick,
): Promise<ActivateOutcome> {
  const guarded = await guardClick(deps, VERBS.activate, click.requestId, click.clicker);
  if (!guarded.ok) return { kind: 'problem', problem: guarded.problem };
  const { row } = guarded;
  const role = row.value.activation;
  if (!role) return { kind: 'problem', problem: alreadyHandled(row.value) };
  const pim = await acquire.pim();
  const what = `${role.displayName} for ${formatDuration(click.minutes)}`;
  const details = {
    reason: click.justification ? `${what}: ${click.justification}` : what,
    ...(click.ticket ? { ticket: click.ticket } : {}),
  };
  let status: string;
  try {
    const result = await pim.selfActivate(
      {
        principalId: click.clicker.oid,
        roleDefinitionId: role.roleDefinitionId,
        directoryScopeId: role.directoryScopeId,
        justification: click.justification ?? undefined,
        durationMinutes: click.minutes,
        ticketNumber: click.ticket ?? undefined,
      },
      AbortSignal.timeout(ACTIVATE_TIMEOUT_MS),
    );
    status = result.status;
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    const refusal = activationRefusal(error, role.displayName);
    // Active already (in the portal, or by an earlier click whose answer was lost): carry on.
    if (refusal.kind === 'already-active') status = 'Granted';
    else {
      await auditAfterTheFact(
        deps,
        requestEvent('pim.activation_refused', row.value, click.clicker, {
          ...details,
          code: refusal.problem.code,
        }),
      );
      return { kind: 'not-active', request: row.value, problem: refusal.problem };
    }
  }
  if (status !== 'Granted' && status !== 'Provisioned') {
    const pending = status === 'PendingApproval' || status === 'PendingAdminDecision';
    const found = problem(pending ? 'PIM_ACTIVATION_PENDING' : 'PIM_ACTIVATION_FAILED', {
      detail: role.displayName,
    });
    await auditAfterTheFact(
      deps,
      requestEvent(pending ? 'pim.activation_pending' : 'pim.activation_refused', row.value, click.clicker, {
        ...details,
        ...(pending ? {} : { code: found.code }),
      }),
    );
    return { kind: 'not-active', request: row.value, problem: found };
  }
  const cleared = await recordActivated(deps, row, click.clicker, details);
  if (!cleared)
    return { kind: 'problem', problem: alreadyHandled((await deps.requests.get(row.value.id))?.value) };
  return { kind: 'activated', next: await goOn(deps, await acquire.graph(), cleared, click.clicker) };
}

/** The request no longer waits for the role, in one commit with the audit event that says why. */
async function recordActivated(
  deps: CoreDeps,
  row: StoredRow<TapRequest>,
  clicker: Clicker,
  details: { reason: string; ticket?: string },
): Promise<TapRequest | undefined> {
  const next: TapRequest = { ...row.value };
  delete next.activation;
  const unit = new UnitOfWork();
  deps.requests.updateIn(unit, row, next);
  deps.audit.appendIn(unit, requestEvent('pim.activated', next, clicker, details));
  try {
    await unit.commit(deps.store);
    return next;
  } catch (error) {
    if (!(error instanceof ConflictError) || error.index !== 0) throw error;
    return undefined;
  }
}

/** One person found: plan and show the confirmation card; several: the choice card, as typed. */
async function goOn(
  deps: CoreDeps,
  graph: TapGraph,
  request: TapRequest,
  clicker: Clicker,
): Promise<PrepareOutcome> {
  const candidates = request.candidates ?? [];
  if (candidates.length === 1)
    return chooseTarget(deps, graph, { requestId: request.id, userId: candidates[0]!.id, clicker });
  return { kind: 'choose', request, more: 0 };
}
