// The Teams connector as the notices see it (NoticeSender, src/notices/notice.ts): records every send,
// resolves people's 1:1 chats unless they are unreachable, and fails sends the way a test scripts.
import {
  DeliveryError,
  type Notice,
  type NoticeRecipient,
  type NoticeSender,
} from '../../src/notices/notice.js';

export interface Sent {
  id: string;
  conversationId: string;
  /** Wall-clock ms (what Teams' limits count). */
  at: number;
  attempts: number;
  kind: Notice['kind'];
  requestId: string;
  /** The card as sent (a deep copy), to assert what it says and never says. */
  card: Record<string, unknown>;
}

/** Records every successful send; `fail` decides per call whether (and how) a send throws. */
export class RecordingSender implements NoticeSender {
  readonly sent: Sent[] = [];
  readonly calls: Sent[] = [];
  fail?: (notice: Notice, call: number) => Error | undefined;
  /** People without a conversation reference (the app is not installed for them). */
  unreachable = new Set<string>();

  async conversationOf(recipient: NoticeRecipient): Promise<string | null> {
    if (recipient.kind === 'conversation') return recipient.conversationId;
    return this.unreachable.has(recipient.userOid) ? null : `personal:${recipient.userOid}`;
  }

  async send(notice: Notice, conversationId: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const record: Sent = {
      id: notice.id,
      conversationId,
      at: Date.now(),
      attempts: notice.attempts,
      kind: notice.kind,
      requestId: notice.requestId,
      card: structuredClone(notice.card),
    };
    const callNumber = this.calls.filter((c) => c.id === notice.id).length;
    this.calls.push(record);
    const error = this.fail?.(notice, callNumber);
    if (error) throw error;
    this.sent.push(record);
  }

  /** How many times each id was delivered. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const s of this.sent) counts.set(s.id, (counts.get(s.id) ?? 0) + 1);
    return counts;
  }
}

/** Teams' 429 with Retry-After. */
export const throttled = (ms: number) => new DeliveryError('429 Too Many Requests', ms);
/** A send Teams will never accept (the bot was removed from the conversation). */
export const gone = () => new DeliveryError('403 bot not in conversation', undefined, true);
