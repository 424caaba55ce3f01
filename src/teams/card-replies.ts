import { ActivityTypes, CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../cards/render.js';
import { problemLine, type Problem, type ProblemCode } from '../errors/catalog.js';
import type { TapRequest } from '../tap/request.js';
import type { Turn } from './turn.js';
import { replyWithCard } from './invoke-response.js';
import { problemCard } from '../cards/request-views.js';

/** Problems that leave the clicked card as it is: the click was not theirs, or they can fix it on the card. */
const KEEP_CARD: ReadonlySet<ProblemCode> = new Set([
  'REQUEST_NOT_YOURS',
  'VERIFICATION_MISSING',
  'BAD_CARD_PAYLOAD',
  'APPROVAL_HANDED_OFF',
  'APPROVAL_OWN_REQUEST',
  'APPROVAL_FOR_SELF',
  'APPROVAL_WRONG_PLACE',
  'REJECT_REASON_MISSING',
  'BULK_NOT_YOURS',
  // Nothing was claimed: pick another tag, or activate the role, and click Confirm again.
  'ONBOARD_TAG_NOT_OFFERED',
  'ONBOARD_TAP_ROLE_MISSING',
  // Face Check: the admin fixes it on the same card (starts a check, or a new one).
  'FACE_CHECK_REQUIRED',
  'FACE_CHECK_EXPIRED',
  'FACE_CHECK_UNAVAILABLE',
  'FACE_CHECK_NOT_CONFIGURED',
]);

/**
 * The message a click may update: the one TapDesk recorded for the request or, in the clicker's own
 * 1:1 chat (where only their messages and TapDesk's exist), the card they clicked. Never an id the
 * client names in a shared conversation: a forged replyToId could overwrite someone else's message.
 */
export function ownCardId(context: TurnContext, recorded: string | undefined): string | undefined {
  if (recorded) return recorded;
  return context.activity.conversation?.conversationType === 'personal'
    ? context.activity.replyToId
    : undefined;
}

/**
 * Updates the shared message first, then answers the clicker. The clicker's own view is replaced by
 * the invoke response, which arrives last, so a pass card is not overwritten by the redacted one.
 */
export async function updateCardThenAnswer(
  turn: Turn,
  request: TapRequest,
  sharedCard: AdaptiveCardJson,
  clickerCard: AdaptiveCardJson,
  messageId: string | undefined = ownCardId(turn.context, request.cardActivityId),
): Promise<void> {
  if (messageId) {
    try {
      await turn.context.updateActivity({
        type: ActivityTypes.Message,
        id: messageId,
        attachments: [CardFactory.adaptiveCard(sharedCard)],
      });
    } catch (error) {
      // The clicker still gets the answer; others keep the old card until they click it.
      turn.log.warn(
        { event: 'card.update_failed', requestId: request.id, err: (error as Error).message },
        'card.update_failed',
      );
    }
  }
  await replyWithCard(turn.context, clickerCard);
}

export async function replyProblem(context: TurnContext, p: Problem): Promise<void> {
  if (!KEEP_CARD.has(p.code)) return replyWithCard(context, problemCard(p));
  await replyKeepingCard(context, p);
}

/**
 * A message response: a one-line notice, and the card stays as the clicker sees it. A Confirm that lost
 * to another click answers this way, so a double click never hides the pass the first click shows.
 */
export async function replyKeepingCard(context: TurnContext, p: Problem, withCode = false): Promise<void> {
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: {
      status: 200,
      body: {
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: withCode ? `${problemLine(p)} (${p.code})` : problemLine(p),
      },
    },
  });
}

/** Answers a chat message with a problem card (a new message, unlike the invoke replies above). */
export async function sendProblemCard(context: TurnContext, p: Problem): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(problemCard(p))));
}
