import type { ActionOf } from '../cards/actions.js';
import { renderSuggestionRanCard } from '../cards/suggestion.js';
import { parseCommand } from '../chat/grammar.js';
import { problem } from '../errors/catalog.js';
import { replyProblem } from './card-replies.js';
import { replyWithCard } from './invoke-response.js';
import { runCommand } from './message.js';
import type { Turn } from './turn.js';

/**
 * "Did you mean …?" clicked: the button's text is parsed again, here, and run only if it is a command,
 * as the person who clicked, exactly as if they had typed it, so every rule applies to them. Nothing
 * else on the card is read: whoever saw the card first, the clicker is who acts.
 */
export async function onRunSuggestion(turn: Turn, action: ActionOf<'chat.run'>): Promise<void> {
  const parsed = parseCommand(action.command);
  turn.log.info(
    {
      event: 'suggestion.clicked',
      ...(parsed.ok ? { kind: parsed.command.kind } : { code: parsed.error.code }),
    },
    'suggestion.clicked',
  );
  if (!parsed.ok) return replyProblem(turn.context, problem('BAD_CARD_PAYLOAD'));
  await runCommand(turn, parsed.command);
  await replyWithCard(turn.context, renderSuggestionRanCard(action.command));
}
