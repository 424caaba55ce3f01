// The card that carries the pass itself. It is only ever sent as the private invoke
// response to the admin who clicked Confirm, so it has no buttons and no refresh.
import { usageText } from './confirm.js';
import { neutraliseOrDash, neutraliseText } from './escape.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

export interface PassCardData {
  targetName: string;
  targetUpn: string;
  pass: string;
  startText: string;
  expiresText: string;
  lifetimeText: string;
  usableOnce: boolean;
}

/** Renders the private card showing the pass once, with hand-over advice. */
export function renderPassCard(d: PassCardData): AdaptiveCardJson {
  const name = neutraliseOrDash(d.targetName);
  return expandTemplate('pass', {
    heading: `Temporary Access Pass for ${name}`,
    targetUpn: neutraliseOrDash(d.targetUpn),
    // The pass sits in a TextRun, which is never rendered as Markdown, so it is shown verbatim.
    pass: d.pass,
    facts: [
      { title: 'Valid from', value: neutraliseOrDash(d.startText) },
      { title: 'Valid until', value: neutraliseOrDash(d.expiresText) },
      { title: 'Lifetime', value: neutraliseOrDash(d.lifetimeText) },
      { title: 'Use', value: usageText(d.usableOnce) },
    ],
    handOverAdvice:
      `Copy it now: it will not be shown again. Give it to ${neutraliseText(d.targetName)} over the channel ` +
      'you verified, never by email or in a group chat.',
  });
}
