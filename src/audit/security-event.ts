import { z } from 'zod';
import { flatten, truncate } from '../cards/escape.js';
import type { AuditEvent, AuditEventType } from './event.js';

/**
 * The security event a SOC receives for every audit event (docs/security-events.md). The schema is
 * versioned: a new optional field is a minor bump, a removed, renamed or retyped field a major one,
 * so a Sentinel rule written against 1.x keeps working across every 1.x.
 */
export const SECURITY_EVENT_SCHEMA = 'tapdesk.security';
export const SECURITY_EVENT_VERSION = '1.2';
/**
 * Every version this schema describes: 1.1 added `device` (onboarding), `faceCheckRequestId` and the
 * onboarding, PIM and Face Check event types; 1.2 added `source: api` and `approval.checked`.
 */
export const SECURITY_EVENT_VERSIONS = ['1.1', SECURITY_EVENT_VERSION] as const;

/** Where the action started: chat, another system through the request API, or an Entra custom extension's callout. */
export const SECURITY_EVENT_SOURCES = ['chat', 'api', 'access-package', 'lifecycle-task'] as const;
export const SECURITY_EVENT_OUTCOMES = ['success', 'failure', 'unknown', 'info'] as const;

const person = z
  .object({
    id: z.string(),
    /** Null when TapDesk did not record it (the clicker's UPN is not kept today). */
    userPrincipalName: z.string().nullable(),
    displayName: z.string(),
  })
  .strict();

export const securityEventSchema = z
  .object({
    schema: z.literal(SECURITY_EVENT_SCHEMA),
    schemaVersion: z.enum(SECURITY_EVENT_VERSIONS),
    /** The audit event's type, e.g. tap.issued. */
    eventType: z.string(),
    /** The audit event's id: the same action in the audit export and the SOC. */
    eventId: z.string(),
    time: z.string().datetime(),
    requestId: z.string(),
    source: z.enum(SECURITY_EVENT_SOURCES),
    outcome: z.enum(SECURITY_EVENT_OUTCOMES),
    /** The catalog code of a failure (or TapDesk's reason a notice gave up); null on success. */
    code: z.string().nullable(),
    actor: person,
    target: person.nullable(),
    /** Whether the target held a directory role when the request was prepared; null when not read. */
    targetPrivileged: z.boolean().nullable(),
    /** The roles that make the target privileged, in words ("eligible Global Administrator"). */
    targetPrivilegedReason: z.string().nullable(),
    /** What the admin says they did to verify the person (e.g. video-photo-id). */
    verification: z.string().nullable(),
    /** The Face Check's match confidence score, when the person passed (or failed with) a Face Check. */
    faceCheckScore: z.number().nullable(),
    /** The Verified ID presentation request id of that Face Check (since 1.1). */
    faceCheckRequestId: z.string().nullable().optional(),
    ticket: z.string().nullable(),
    lifetimeMinutes: z.number().int().nullable(),
    isUsableOnce: z.boolean().nullable(),
    startDateTime: z.string().nullable(),
    expiresAt: z.string().nullable(),
    /** Who approved the request (approval requests only). */
    approvers: z.array(person),
    /** The Graph id of the created or revoked method: never the pass itself. */
    methodId: z.string().nullable(),
    /** The reason typed with an approval request or rejection, or a bulk's counts. */
    reason: z.string().nullable(),
    /** Since 1.1. Onboarding: the Autopilot device, the group tag set and whom it was taken from. */
    device: z
      .object({
        serialNumber: z.string(),
        groupTag: z.string().nullable(),
        previousUser: z.string().nullable(),
      })
      .strict()
      .nullable(),
  })
  .strict();

export type SecurityEvent = z.infer<typeof securityEventSchema>;
export type SecurityEventOutcome = (typeof SECURITY_EVENT_OUTCOMES)[number];

/**
 * What each audit type means to a SOC. A Record over the union: the compiler refuses a new audit
 * type until it is given an outcome here.
 */
export const OUTCOME_OF: Record<AuditEventType, SecurityEventOutcome> = {
  'request.created': 'info',
  'request.confirmed': 'info',
  'request.cancelled': 'info',
  'request.expired': 'info',
  'request.superseded': 'info',
  'approval.requested': 'info',
  'approval.approved': 'success',
  'approval.refused': 'failure',
  'approval.handed_off': 'info',
  'approval.checked': 'info',
  'approval.rejected': 'failure',
  'pass.revealed': 'success',
  'pass.delivered': 'success',
  'pass.delivery_failed': 'failure',
  'tap.issued': 'success',
  'tap.failed': 'failure',
  'tap.outcome_unknown': 'unknown',
  'tap.revoked': 'success',
  'tap.replaced': 'success',
  'notice.failed': 'failure',
  'notice.unreachable': 'failure',
  'bulk.created': 'info',
  'bulk.approval_requested': 'info',
  'bulk.approved': 'success',
  'bulk.rejected': 'failure',
  'bulk.cancelled': 'info',
  'bulk.expired': 'info',
  'bulk.started': 'info',
  'bulk.finished': 'success',
  'bulk.interrupted': 'failure',
  'bulk.delivered': 'success',
  'bulk.not_delivered': 'failure',
  'onboarding.device_updated': 'success',
  'onboarding.device_failed': 'failure',
  'onboarding.enrolled': 'info',
  'onboarding.not_enrolled': 'info',
  'pim.activated': 'success',
  'pim.activation_pending': 'info',
  'pim.activation_refused': 'failure',
  'facecheck.started': 'info',
  'facecheck.passed': 'success',
  'facecheck.failed': 'failure',
};

// Names, tickets and reasons come from other people: one line, capped, invisible characters gone,
// so a value cannot forge a second log line or hide text from an analyst.
const MAX_TEXT = 256;
const plain = (value: string) => truncate(flatten(value), MAX_TEXT);
const plainOrNull = (value: string | undefined) => (value === undefined ? null : plain(value));

/** The security event for one committed audit event. Only fields listed here leave: never a pass or token. */
export function securityEventOf(event: AuditEvent): SecurityEvent {
  return {
    schema: SECURITY_EVENT_SCHEMA,
    schemaVersion: SECURITY_EVENT_VERSION,
    eventType: event.type,
    eventId: event.id,
    time: event.at,
    requestId: event.requestId,
    source: event.source ?? 'chat',
    outcome: OUTCOME_OF[event.type],
    code: plainOrNull(event.code),
    actor: { id: event.actor.oid, userPrincipalName: null, displayName: plain(event.actor.name) },
    target: event.target
      ? {
          id: event.target.id,
          userPrincipalName: plain(event.target.userPrincipalName),
          displayName: plain(event.target.displayName),
        }
      : null,
    targetPrivileged: event.targetPrivileged ?? null,
    targetPrivilegedReason: event.targetPrivileged && event.targetRoles ? plain(event.targetRoles) : null,
    verification: plainOrNull(event.verification),
    faceCheckScore: event.faceCheckScore ?? null,
    faceCheckRequestId: event.faceCheckRequestId ?? null,
    ticket: plainOrNull(event.ticket),
    lifetimeMinutes: event.lifetimeMinutes ?? null,
    isUsableOnce: event.isUsableOnce ?? null,
    startDateTime: event.startDateTime ?? null,
    expiresAt: event.expiresAt ?? null,
    approvers: event.approvedBy
      ? [{ id: event.approvedBy.oid, userPrincipalName: null, displayName: plain(event.approvedBy.name) }]
      : [],
    methodId: event.methodId ?? null,
    reason: plainOrNull(event.reason),
    device: event.device
      ? {
          serialNumber: plain(event.device.serialNumber),
          groupTag: event.device.groupTag === null ? null : plain(event.device.groupTag),
          previousUser: event.device.previousUser === null ? null : plain(event.device.previousUser),
        }
      : null,
  };
}
