// The "Did you mean …?" card: a command guessed from a message that was not one, offered with one
// button that runs exactly that text. The text repeats a name someone typed, so what the card shows is
// neutralised; what the button carries is only ever parsed again, as if the clicker had typed it.
import { flatten, neutraliseText, truncate } from './escape.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

/** The longest command a suggestion card carries: the most a chat message may hold. */
export const MAX_SUGGESTION_CHARS = 500;

export function renderSuggestionCard(suggestion: string): AdaptiveCardJson {
  const command = truncate(flatten(suggestion), MAX_SUGGESTION_CHARS);
  return expandTemplate('suggestion', {
    shown: neutraliseText(command, MAX_SUGGESTION_CHARS),
    buttonTitle: `Run '${neutraliseText(command, 60)}'`,
    command,
  });
}

/** What the clicker sees in place of the card once the suggested command has run. */
export function renderSuggestionRanCard(command: string): AdaptiveCardJson {
  return expandTemplate('closed', {
    title: 'Done as you asked',
    message: `I ran '${neutraliseText(command, MAX_SUGGESTION_CHARS)}' for you; the answer is below.`,
    color: 'Default',
  });
}
