/**
 * One append-only audit record. Who did what, for whom, how they verified, and what Entra said.
 * Never a pass value or a token: the catalog code and the Graph method id are the traces kept.
 */
export type AuditEventType =
  | 'request.created'
  | 'request.confirmed'
  | 'request.cancelled'
  | 'request.expired'
  | 'request.superseded'
  | 'approval.requested'
  | 'approval.approved'
  | 'approval.refused'
  | 'approval.handed_off'
  | 'approval.checked'
  | 'approval.rejected'
  | 'pass.revealed'
  | 'pass.delivered'
  | 'pass.delivery_failed'
  | 'tap.issued'
  | 'tap.failed'
  | 'tap.outcome_unknown'
  | 'tap.revoked'
  | 'tap.replaced'
  | 'notice.failed'
  | 'notice.unreachable'
  | 'bulk.created'
  | 'bulk.approval_requested'
  | 'bulk.approved'
  | 'bulk.rejected'
  | 'bulk.cancelled'
  | 'bulk.expired'
  | 'bulk.started'
  | 'bulk.finished'
  | 'bulk.interrupted'
  | 'bulk.delivered'
  | 'bulk.not_delivered'
  | 'onboarding.device_updated'
  | 'onboarding.device_failed'
  | 'onboarding.enrolled'
  | 'onboarding.not_enrolled'
  | 'pim.activated'
  | 'pim.activation_pending'
  | 'pim.activation_refused'
  | 'facecheck.started'
  | 'facecheck.passed'
  | 'facecheck.failed';

export interface AuditEvent {
  id: string;
  /** ISO 8601 UTC, from the bot's clock (the sandbox clock in sandbox mode). */
  at: string;
  type: AuditEventType;
  requestId: string;
  actor: { oid: string; name: string };
  target: { id: string; userPrincipalName: string; displayName: string } | null;
  /** Whether the target held (or was eligible for) a directory role when the request was prepared. */
  targetPrivileged?: boolean;
  /** Those roles in words, when privileged. */
  targetRoles?: string;
  /** The approver of an approval request, once one decided. */
  approvedBy?: { oid: string; name: string };
  verification?: string;
  ticket?: string;
  /** Where the request started, when not in chat: `api` (another system, through the request API). */
  source?: 'api' | 'access-package' | 'lifecycle-task';
  lifetimeMinutes?: number;
  isUsableOnce?: boolean;
  startDateTime?: string;
  expiresAt?: string;
  /** The Graph id of the created or revoked method. */
  methodId?: string;
  /** The catalog code of a failure. */
  code?: string;
  /**
   * Why an approval was requested or rejected, as the person typed it (chat-safe, ≤ 200 chars); on
   * bulk events, the bulk's counts ("60 rows: 55 ready, 5 notFound").
   */
  reason?: string;
  /** Onboarding: the Autopilot device, the group tag set on it, and whom it was taken from. */
  device?: { serialNumber: string; groupTag: string | null; previousUser: string | null };
  /** A Face Check's match confidence score (a pass, or the check itself). */
  faceCheckScore?: number;
  /** The Verified ID presentation request id of that Face Check. */
  faceCheckRequestId?: string;
  /** Where an approved pass was sent (manager, sms): the channel, the destination masked, what happened. */
  delivery?: { channel: string; destination: string; outcome: string };
}
