import { TurnContext, type ConversationReference } from 'botbuilder';
import { TABLES, type RowStore } from '../store/port.js';
import { UnitOfWork } from '../store/unit.js';
import { conversationRoot } from '../tap/request.js';

/**
 * Where TapDesk can reach people later (notices, approvals): the ConversationReference of every
 * conversation it is in, and each user's 1:1 chat. Written only when it changed, to keep turns cheap.
 */
export class ConversationReferences {
  private readonly lastWritten = new Map<string, string>();

  constructor(private readonly store: RowStore) {}

  /** Remembers the conversation of this turn (and the user's personal chat, when it is one). */
  async remember(context: TurnContext): Promise<void> {
    const reference = TurnContext.getConversationReference(context.activity) as ConversationReference;
    // A channel is kept by its own id, not the thread of this turn, so later posts start new threads.
    const root = conversationRoot(reference.conversation.id);
    const atRoot = { ...reference, conversation: { ...reference.conversation, id: root } };
    const changed = [this.changed('conversation', root, atRoot)];
    const oid = context.activity.from?.aadObjectId;
    if (oid && reference.conversation.conversationType === 'personal')
      changed.push(this.changed('personal', oid, reference));
    const unit = new UnitOfWork();
    for (const c of changed) if (c) unit.add({ op: 'upsert', table: TABLES.conversations, ...c.row });
    if (unit.writes.length === 0) return;
    // Both references of a first turn in one commit.
    await unit.commit(this.store);
    if (this.lastWritten.size > 10_000) this.lastWritten.clear();
    for (const c of changed) if (c) this.lastWritten.set(c.cacheKey, c.json);
  }

  /** The stored reference of a conversation, or of a user's personal chat. */
  async find(
    kind: 'conversation' | 'personal',
    id: string,
  ): Promise<Partial<ConversationReference> | undefined> {
    return (await this.store.get<Partial<ConversationReference>>(TABLES.conversations, kind, id))?.value;
  }

  /** The upsert a reference needs, or undefined when this process last wrote exactly that. */
  private changed(kind: string, id: string, reference: Partial<ConversationReference>) {
    // The activity id changes every turn and is not part of where a conversation lives.
    const stable = { ...reference, activityId: undefined };
    const json = JSON.stringify(stable);
    const cacheKey = `${kind}|${id}`;
    if (this.lastWritten.get(cacheKey) === json) return undefined;
    return { cacheKey, json, row: { partition: kind, key: id, value: stable } };
  }
}
