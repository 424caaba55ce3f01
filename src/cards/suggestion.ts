// The "Did you mean …?" card: a command guessed from a message that was not one, offered with one
// button that runs exactly that text. The text repeats a name someone typed, so it is neutralised both
// where the card shows it and where the button carries it (the grammar drops the invisible marks the
// neutraliser adds, so the click reads the same command); the click only ever parses it again, as if
// the clicker had typed it.
import { neutraliseText } from './escape.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

/** The longest command a suggestion card carries: the most a chat message may hold. */
const MAX_SUGGESTION_CHARS = 500;

export function renderSuggestionCard(suggestion: string): AdaptiveCardJson {
  const command = neutraliseText(suggestion, MAX_SUGGESTION_CHARS);
  return expandTemplate('suggestion', { shown: command, command });
}

/** What the clicker sees in place of the card once the suggested command has run. */
export function renderSuggestionRanCard(command: string): AdaptiveCardJson {
  return expandTemplate('closed', {
    title: 'Done as you asked',
    message: `I ran '${neutraliseText(command, MAX_SUGGESTION_CHARS)}' for you; the answer is below.`,
    color: 'Default',
  });
}
