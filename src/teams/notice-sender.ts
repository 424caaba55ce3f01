import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { DeliveryError, type Notice, type NoticeRecipient, type NoticeSender } from '../notices/notice.js';
import { parseRetryAfter } from '../graph/failure.js';
import type { RequestRepository } from '../tap/request-repository.js';
import type { ConversationReferences } from './conversations.js';

/** Notices about a pass that only make sense while TapDesk's record still says it is live. */
const ONLY_WHILE_ISSUED = new Set(['expiring.issuer', 'expired.issuer']);

/**
 * Run before an expiry notice: each closes what ran out (an approval request; a bulk waiting for a
 * decision or for its Issue click at `deadline`), updates its cards, and says whether the requester
 * should still hear about it.
 */
export interface DeadlineClosers {
  approval(requestId: string): Promise<boolean>;
  bulk(bulkId: string, deadline: string): Promise<boolean>;
}

interface ConnectorErrorLike {
  statusCode?: unknown;
  response?: { headers?: { get?(name: string): string | undefined | null } };
  message?: unknown;
}

/** Sends notice cards proactively through stored ConversationReferences (Bot Framework connector). */
export class TeamsNoticeSender implements NoticeSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly conversations: ConversationReferences,
    private readonly requests: RequestRepository,
    private readonly closers: DeadlineClosers = { approval: async () => true, bulk: async () => true },
  ) {}

  async conversationOf(recipient: NoticeRecipient): Promise<string | null> {
    return (await this.referenceOf(recipient))?.conversation?.id ?? null;
  }

  async send(notice: Notice): Promise<void> {
    if (ONLY_WHILE_ISSUED.has(notice.kind)) {
      // Revoked (or otherwise ended) since it was scheduled: the reminder is moot, drop it quietly.
      const request = await this.requests.get(notice.requestId);
      if (request?.value.state !== 'issued') return;
    }
    // Decided (or given more time) before it ran out: nothing to say.
    if (notice.kind === 'approval.expired' && !(await this.closers.approval(notice.requestId))) return;
    if (notice.kind === 'bulk.expired' && !(await this.closers.bulk(notice.requestId, notice.dueAt))) return;
    const reference = await this.referenceOf(notice.recipient);
    if (!reference) throw new DeliveryError('no conversation with the recipient any more', undefined, true);
    try {
      await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(notice.card)));
      });
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  private async referenceOf(recipient: NoticeRecipient): Promise<Partial<ConversationReference> | undefined> {
    return recipient.kind === 'personal'
      ? this.conversations.find('personal', recipient.userOid)
      : this.conversations.find('conversation', recipient.conversationId);
  }
}

/** Teams' answers: 429 (and 412/502/503/504) are worth retrying, honouring Retry-After; 403/404 mean the bot is gone. */
function toDeliveryError(error: unknown): DeliveryError {
  const e = (error ?? {}) as ConnectorErrorLike;
  const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
  const retryAfter = parseRetryAfter(e.response?.headers?.get?.('retry-after') ?? undefined);
  const message = `Teams answered ${status || 'no status'}: ${String(e.message ?? error).slice(0, 200)}`;
  if (status === 403 || status === 404) return new DeliveryError(message, undefined, true);
  return new DeliveryError(message, retryAfter !== undefined ? retryAfter * 1000 : undefined);
}
