// Small talk: a greeting, a thank-you or "what can you do?" is answered like help, and `said` tells
// the reply which it was. Only a whole message counts: "hi, give bob a TAP" is a command.
import { lowerAt, type Token } from './normalise.js';
import { withoutCourtesies, withoutWrappers } from './phrasing.js';

export type SmallTalk = 'hello' | 'thanks' | 'capabilities';

const GREETINGS = new Set([
  'hi',
  'hello',
  'hey',
  'hiya',
  'howdy',
  'yo',
  'morning',
  'good morning',
  'good afternoon',
  'good evening',
  'hi there',
  'hello there',
  'hey there',
  'hi all',
  'hello again',
  'hi again',
]);
// Words that may stand around a thank-you: "ok thanks", "great, thank you so much".
const THANKS_WORDS = new Set([
  'thanks',
  'thank',
  'you',
  'thx',
  'ty',
  'cheers',
  'ta',
  'much',
  'so',
  'a',
  'lot',
  'many',
  'ok',
  'okay',
  'great',
  'perfect',
  'awesome',
  'cool',
  'nice',
  'tapdesk',
]);
const THANKS_CORE = new Set(['thanks', 'thank', 'thx', 'ty', 'cheers', 'ta']);
const CAPABILITY_QUESTIONS = new Set([
  'what can you do',
  'what can i do',
  'what do you do',
  'what can you do for me',
  'what can i ask',
  'what can i ask you',
  'what can i type',
  'what should i type',
  'what do i type',
  'how does this work',
  'how does it work',
  'how do you work',
  'how do i use this',
  'how do i use you',
  'how do i use tapdesk',
  'how does tapdesk work',
  'how to use',
  'what is this',
  'what are you',
  'who are you',
  'what are the commands',
  'what commands are there',
  'which commands',
  'commands',
  'show commands',
  'list commands',
  'list of commands',
  'options',
  'menu',
  'usage',
  'examples',
  'get started',
  'getting started',
  'how do i start',
]);

// "how do I issue a TAP?", "how can I revoke a pass": a how-to question about passes gets the help.
const HOW_TO = /^(?:how (?:do|can|should|would) (?:i|we|you)|how to) /;
const ABOUT_PASSES = new Set(['tap', 'taps', 'pass', 'passes', 'command', 'commands']);

/** The words of the message, trailing commas dropped, quoted words kept as they are. */
function phrase(tokens: readonly Token[]): string {
  return tokens.map((_, index) => lowerAt(tokens, index)?.replace(/,$/, '') ?? '"').join(' ');
}

/** What small talk the whole message is, if it is any; `tokens` exclude a mention of the bot. */
export function smallTalkOf(tokens: Token[]): SmallTalk | null {
  if (tokens.length === 0 || tokens.length > 10) return null;
  const words = phrase(tokens).split(' ');
  if (words.some((word) => THANKS_CORE.has(word)) && words.every((word) => THANKS_WORDS.has(word))) {
    return 'thanks';
  }
  const asked = phrase(withoutCourtesies(withoutWrappers(tokens)));
  if (CAPABILITY_QUESTIONS.has(asked)) return 'capabilities';
  if (HOW_TO.test(asked) && asked.split(' ').some((word) => ABOUT_PASSES.has(word.replace(/\?$/, '')))) {
    return 'capabilities';
  }
  if (GREETINGS.has(phrase(tokens)) || GREETINGS.has(phrase(withoutCourtesies(tokens)))) return 'hello';
  // "hey TapDesk", "hello TapDesk!": a greeting word and the bot's name.
  if (words.length === 2 && words[1] === 'tapdesk' && GREETINGS.has(words[0] ?? '')) return 'hello';
  return null;
}
