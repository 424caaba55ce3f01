import type { Activity, TurnContext } from 'botbuilder';
import { ConflictError, TABLES, type RowStore } from '../store/port.js';
import { conversationRoot } from '../tap/request.js';
import type { WelcomeAudience } from '../cards/render.js';
import type { TeamsDeps } from './context.js';
import { sendWelcome, welcomeAudienceOf } from './help-command.js';
import { startTurn } from './turn.js';
import { turnFields } from './turn-fields.js';

/** Welcomed conversations live next to their references, one row each, keyed by the conversation's root. */
const WELCOMED = 'welcomed';

/**
 * One welcome per installation. Teams announces an install twice, as an installationUpdate and as a
 * conversationUpdate adding the bot, possibly at the same moment and to different instances, so the
 * first to create the row greets and the other finds it taken (a conditional write, not a read).
 */
class WelcomeMarks {
  constructor(private readonly store: RowStore) {}

  async claim(conversationId: string, at: Date): Promise<boolean> {
    try {
      await this.store.create(TABLES.conversations, WELCOMED, conversationId, { at: at.toISOString() });
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  /** After an uninstall (or a welcome that could not be sent), so the next install greets again. */
  release(conversationId: string): Promise<void> {
    return this.store.delete(TABLES.conversations, WELCOMED, conversationId);
  }
}

type ConversationKind = 'personal' | 'groupChat' | 'channel';

function kindOf(activity: Partial<Activity>): ConversationKind {
  const type = activity.conversation?.conversationType;
  if (type === 'channel' || type === 'groupChat' || type === 'personal') return type;
  return activity.conversation?.isGroup ? 'groupChat' : 'personal';
}

/** True when this conversationUpdate adds or removes the bot itself, not some other member. */
function touchesBot(activity: Partial<Activity>, list: 'membersAdded' | 'membersRemoved'): boolean {
  const botId = activity.recipient?.id;
  return botId !== undefined && (activity[list] ?? []).some((member) => member.id === botId);
}

/** Teams' installationUpdate: greet on add; forget the greeting on remove, so a reinstall greets again. */
export async function onInstallationUpdate(context: TurnContext, deps: TeamsDeps): Promise<void> {
  // 'add-upgrade' and 'remove-upgrade' are new app versions, not new installs: nothing to say.
  const action = context.activity.action;
  if (action === 'add') await greetOnce(context, deps);
  else if (action === 'remove') await forget(context, deps);
}

/** Being added to (or removed from) a chat, channel or team, or someone else joining or leaving. */
export async function onConversationUpdate(context: TurnContext, deps: TeamsDeps): Promise<void> {
  // Admins copy this id into APPROVERS_CONVERSATION; it is an address, not a secret.
  deps.log.info(
    {
      ...turnFields(context),
      event: 'conversation.update',
      conversationId: context.activity.conversation.id,
    },
    'conversation.update',
  );
  // Only the bot's own arrival is greeted: a welcome each time a colleague joins a team would be noise.
  if (touchesBot(context.activity, 'membersAdded')) await greetOnce(context, deps);
  else if (touchesBot(context.activity, 'membersRemoved')) await forget(context, deps);
}

async function greetOnce(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const conversationId = conversationRoot(context.activity.conversation.id);
  const marks = new WelcomeMarks(deps.storage);
  if (!(await marks.claim(conversationId, deps.core.clock.now()))) return;
  try {
    const audience = await audienceFor(context, deps);
    await sendWelcome({ context, deps }, audience, 'install');
    deps.log.info({ ...turnFields(context), event: 'welcome.sent', audience: audience.kind }, 'welcome.sent');
  } catch (error) {
    // Unclaimed, the next announcement (or reinstall) can try again; the original error is the one to report.
    await marks.release(conversationId).catch(() => undefined);
    throw error;
  }
}

async function forget(context: TurnContext, deps: TeamsDeps): Promise<void> {
  await new WelcomeMarks(deps.storage).release(conversationRoot(context.activity.conversation.id));
}

/**
 * A 1:1 chat is greeted for its person; a channel or group chat is read by everyone in it, so it
 * hears about the place (whether approvals arrive there), never about whoever added the bot.
 */
async function audienceFor(context: TurnContext, deps: TeamsDeps): Promise<WelcomeAudience> {
  const kind = kindOf(context.activity);
  if (kind !== 'personal') {
    const here = conversationRoot(context.activity.conversation.id);
    return {
      kind: 'shared',
      conversation: kind,
      approversHere: here === deps.core.approvals.approversConversationId,
    };
  }
  const turn = startTurn(context, deps);
  if (!turn) return { kind: 'unknown', name: context.activity.from?.name || undefined };
  return welcomeAudienceOf(turn);
}
