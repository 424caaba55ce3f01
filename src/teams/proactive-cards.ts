import { ActivityTypes, CardFactory, MessageFactory, type Activity, type CloudAdapter } from 'botbuilder';
import type { AdaptiveCardJson } from '../cards/render.js';
import type { ConversationReferences } from './conversations.js';

/** Where a card goes: a conversation TapDesk is in (by id), or a user's 1:1 chat with TapDesk. */
export type CardPlace = { conversationId: string } | { personalChatOf: string };

/** Thrown when TapDesk has no stored reference for the place: it was never added there. */
export class PlaceUnknownError extends Error {
  constructor() {
    super('TapDesk has no conversation reference for this place');
    this.name = 'PlaceUnknownError';
  }
}

/**
 * Posts and updates cards outside the current turn's conversation (the approvers' channel, a
 * requester's chat) through stored ConversationReferences, like the notice sender does.
 */
export class ProactiveCards {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly conversations: ConversationReferences,
  ) {}

  /** Posts a new card; returns its activity id, so it can be updated later. */
  async post(place: CardPlace, card: AdaptiveCardJson): Promise<string | undefined> {
    const reference = await this.referenceOf(place);
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      id = (await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card))))?.id;
    });
    return id;
  }

  /** Sends any activity (a text, a file consent card); returns its id. */
  async send(place: CardPlace, activity: Partial<Activity>): Promise<string | undefined> {
    const reference = await this.referenceOf(place);
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }

  /** Replaces a card posted earlier, for everyone in that conversation. */
  async update(place: CardPlace, activityId: string, card: AdaptiveCardJson): Promise<void> {
    const reference = await this.referenceOf(place);
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      await context.updateActivity({
        type: ActivityTypes.Message,
        id: activityId,
        attachments: [CardFactory.adaptiveCard(card)],
      });
    });
  }

  private async referenceOf(place: CardPlace) {
    const reference =
      'conversationId' in place
        ? await this.conversations.find('conversation', place.conversationId)
        : await this.conversations.find('personal', place.personalChatOf);
    if (!reference) throw new PlaceUnknownError();
    return reference;
  }
}
