/**
 * A message TapDesk owes someone later: stored as a row with a due time, claimed by exactly one
 * instance, sent through the Teams sender, retried with backoff, given up on (and audited) after a
 * bounded number of tries. It never carries a pass or a token; `card` is the finished Adaptive Card.
 */
export type NoticeKind =
  | 'issued.issuer'
  | 'issued.target'
  | 'issued.manager'
  | 'expiring.issuer'
  | 'expired.issuer'
  | 'revoked.issuer'
  | 'revoked.target'
  | 'approval.expired'
  | 'bulk.expired'
  | 'enrolled.issuer'
  | 'enrolled.manager';

/** Where it goes: a user's 1:1 chat (looked up when sent), or a known conversation. */
export type NoticeRecipient =
  { kind: 'personal'; userOid: string; name: string } | { kind: 'conversation'; conversationId: string };

export interface Notice {
  id: string;
  kind: NoticeKind;
  /** ISO 8601 UTC; compared with the bot's clock (the sandbox clock in sandbox mode). */
  dueAt: string;
  recipient: NoticeRecipient;
  /** The request (or bulk) the notice is about (for audit and for the buttons on the card). */
  requestId: string;
  card: Record<string, unknown>;
  attempts: number;
  /** Set while an instance is sending it; another instance may take it over once this has passed. */
  leaseUntil?: string;
  lastError?: string;
}

/** Delivery failed; `retryAfterMs` when Teams said when to come back (429), `permanent` when retrying is pointless. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Sends one notice's card to its recipient; the Teams layer implements it. */
export interface NoticeSender {
  /** The conversation a notice will go to (rate limits are per conversation), or null if unreachable. */
  conversationOf(recipient: NoticeRecipient): Promise<string | null>;
  send(notice: Notice, conversationId: string, signal?: AbortSignal): Promise<void>;
}
