import type { GiveUpReason } from './queue.js';

/**
 * Audit event types the notice engine needs once AuditEventType (src/audit/event.ts) includes them:
 * a notice given up on after failures (or a permanent failure), and one whose recipient has no chat.
 */
export type NoticeAuditEventType = 'notice.failed' | 'notice.unreachable';

/** The audit event type for a give-up reason. */
export const auditTypeOf = (reason: GiveUpReason): NoticeAuditEventType =>
  reason === 'unreachable' ? 'notice.unreachable' : 'notice.failed';
