import type { AuditEventType } from '../audit/event.js';
import type { AuditLog, NewAuditEvent } from '../audit/log.js';
import type { Person, TapRequest } from './request.js';

export interface AuditDeps {
  audit: AuditLog;
  /** Called when a best-effort write fails; the action it describes has already happened. */
  onBackgroundError: (what: string, error: unknown) => void;
}

/** The audit record of a request event, with everything the request knows at that point. */
export function requestEvent(
  type: AuditEventType,
  request: TapRequest,
  actor: Person,
  extra: Partial<NewAuditEvent> = {},
): NewAuditEvent {
  const target = request.target
    ? {
        id: request.target.id,
        userPrincipalName: request.target.userPrincipalName,
        displayName: request.target.displayName,
      }
    : null;
  return {
    type,
    requestId: request.id,
    actor: { oid: actor.oid, name: actor.name },
    target,
    ...(request.checks ? { targetPrivileged: request.checks.targetPrivileged } : {}),
    ...(request.checks?.targetRoles ? { targetRoles: request.checks.targetRoles } : {}),
    ...(request.approval?.decidedBy
      ? { approvedBy: { oid: request.approval.decidedBy.oid, name: request.approval.decidedBy.name } }
      : {}),
    ...(request.verification ? { verification: request.verification } : {}),
    ...(request.ticket ? { ticket: request.ticket } : {}),
    ...(request.source ? { source: request.source.kind } : {}),
    ...(request.faceCheckScore !== undefined ? { faceCheckScore: request.faceCheckScore } : {}),
    ...(request.faceCheckRequestId ? { faceCheckRequestId: request.faceCheckRequestId } : {}),
    ...(request.plan?.lifetimeMinutes !== undefined ? { lifetimeMinutes: request.plan.lifetimeMinutes } : {}),
    ...(request.plan?.isUsableOnce !== undefined ? { isUsableOnce: request.plan.isUsableOnce } : {}),
    ...(request.plan?.startDateTime ? { startDateTime: request.plan.startDateTime } : {}),
    ...extra,
  };
}

/** Appends an event whose action already happened: a failure is reported, never thrown. */
export async function auditAfterTheFact(deps: AuditDeps, event: NewAuditEvent): Promise<void> {
  try {
    await deps.audit.append(event);
  } catch (error) {
    deps.onBackgroundError(`audit.${event.type}`, error);
  }
}
