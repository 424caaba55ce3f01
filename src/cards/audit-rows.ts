// Turns stored audit events into the short, human lines the audit card shows. Pure: the caller
// passes the admin's time zone and "now", so the same event always reads the same way in tests.
import type { AuditEvent, AuditEventType } from '../audit/event.js';
import { formatDuration } from '../chat/grammar.js';
import { formatWhen } from '../tap/format.js';
import { VERIFICATION_METHODS } from './actions.js';

/** One audit card row, as plain (not yet neutralised) text. */
export interface AuditRow {
  whenText: string;
  what: string;
  actorName: string;
  targetText: string;
  details: string;
}

const WHAT: Readonly<Record<AuditEventType, string>> = {
  'request.created': 'Requested',
  'request.confirmed': 'Confirmed',
  'request.cancelled': 'Cancelled',
  'request.expired': 'Expired',
  'request.superseded': 'Card out of date, asked again',
  'approval.requested': 'Approval requested',
  'approval.approved': 'Approved',
  'approval.refused': 'Could not approve',
  'approval.handed_off': 'Approval moved to a 1:1 chat',
  'approval.checked': 'Person checked in Entra by an approver',
  'approval.rejected': 'Rejected',
  'pass.revealed': 'Pass revealed',
  'pass.delivered': 'Pass delivered',
  'pass.delivery_failed': 'Pass not delivered, revoked',
  'tap.issued': 'Issued',
  'tap.failed': 'Failed',
  'tap.outcome_unknown': 'Outcome unknown',
  'tap.revoked': 'Revoked',
  'tap.replaced': 'Replaced by a newer pass',
  'notice.failed': 'Notice not delivered',
  'notice.unreachable': 'Notice recipient unreachable',
  'bulk.created': 'Bulk checked',
  'bulk.approval_requested': 'Bulk approval requested',
  'bulk.approved': 'Bulk approved',
  'bulk.rejected': 'Bulk rejected',
  'bulk.cancelled': 'Bulk cancelled',
  'facecheck.started': 'Face Check started',
  'facecheck.passed': 'Face Check passed',
  'facecheck.failed': 'Face Check failed',
  'bulk.expired': 'Bulk expired',
  'bulk.started': 'Bulk started',
  'bulk.finished': 'Bulk finished',
  'bulk.interrupted': 'Bulk interrupted by a restart',
  'bulk.delivered': 'Bulk passes downloaded',
  'bulk.not_delivered': 'Bulk passes not delivered',
  'onboarding.device_updated': 'Device assigned',
  'onboarding.device_failed': 'Device not assigned',
  'onboarding.enrolled': 'Device enrolled',
  'onboarding.not_enrolled': 'Device not enrolled before the pass expired',
  'pim.activated': 'Role activated (PIM)',
  'pim.activation_pending': 'Role activation awaits approval (PIM)',
  'pim.activation_refused': 'Role activation refused (PIM)',
};

// Graph method ids are GUIDs; the first block is enough to match a row against Entra's own log.
const METHOD_ID_CHARS = 8;

function whenText(at: string, timeZone: string, now: Date): string {
  const date = new Date(at);
  // A malformed timestamp in an old row must not take the whole card down (Intl throws on it).
  return Number.isNaN(date.getTime()) ? at : formatWhen(date, timeZone, now);
}

function whatText(e: AuditEvent): string {
  // Rows come from storage, so a type written by a newer version may be unknown here.
  const what = Object.hasOwn(WHAT, e.type) ? WHAT[e.type] : String(e.type);
  const failed = e.type === 'tap.failed' || e.type === 'onboarding.device_failed';
  return failed && e.code ? `${what} (${e.code})` : what;
}

function targetText(target: AuditEvent['target']): string {
  if (target === null) return '';
  const name = target.displayName.trim();
  const upn = target.userPrincipalName.trim();
  if (name && upn && name !== upn) return `${name} (${upn})`;
  return name || upn || target.id;
}

function shortId(id: string): string {
  return id.length > METHOD_ID_CHARS + 1 ? `${id.slice(0, METHOD_ID_CHARS)}…` : id;
}

function detailsText(e: AuditEvent): string {
  const parts: string[] = [];
  if (e.verification) {
    const method = VERIFICATION_METHODS.find(({ value }) => value === e.verification);
    parts.push(`verified: ${method ? method.title : e.verification}`);
  }
  if (e.faceCheckScore !== undefined) parts.push(`Face Check score ${Math.round(e.faceCheckScore)}`);
  if (e.lifetimeMinutes !== undefined) parts.push(formatDuration(e.lifetimeMinutes));
  if (e.isUsableOnce !== undefined) parts.push(e.isUsableOnce ? 'one-time' : 'multi-use');
  if (e.ticket) parts.push(`ticket ${e.ticket}`);
  if (e.methodId) parts.push(`method ${shortId(e.methodId)}`);
  // A failure already shows its code in `what`; other events (e.g. outcome unknown) show it here.
  if (e.code && e.type !== 'tap.failed' && e.type !== 'onboarding.device_failed')
    parts.push(`code ${e.code}`);
  if (e.reason) parts.push(`reason: ${e.reason}`);
  if (e.device) {
    parts.push(`device ${e.device.serialNumber}`);
    if (e.device.groupTag) parts.push(`tag ${e.device.groupTag}`);
    if (e.device.previousUser) parts.push(`taken from ${e.device.previousUser}`);
  }
  return parts.join(', ');
}

/** Describes one audit event as card-row text in the admin's time zone. */
export function describeAuditEvent(e: AuditEvent, timeZone: string, now: Date): AuditRow {
  return {
    whenText: whenText(e.at, timeZone, now),
    what: whatText(e),
    actorName: e.actor.name.trim() || e.actor.oid,
    targetText: targetText(e.target),
    details: detailsText(e),
  };
}
