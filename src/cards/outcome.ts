// Cards that end a request: the redacted "issued" card everyone sees, the closed card for
// cancelled, expired or refused requests, and the problem card for refusals in chat.
import { usageText } from './confirm.js';
import { neutraliseOrDash, neutraliseText } from './escape.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

export interface IssuedCardData {
  issuerName: string;
  targetName: string;
  targetUpn: string;
  expiresText: string;
  startText: string;
  usableOnce: boolean;
  verificationTitle: string;
  ticket: string | null;
}

/** Renders the shared record of an issued pass; it never contains the pass itself. */
export function renderIssuedCard(d: IssuedCardData): AdaptiveCardJson {
  const issuer = neutraliseOrDash(d.issuerName);
  const target = neutraliseOrDash(d.targetName);
  const facts = [
    { title: 'For', value: `${target} (${neutraliseOrDash(d.targetUpn)})` },
    { title: 'Valid from', value: neutraliseOrDash(d.startText) },
    { title: 'Valid until', value: neutraliseOrDash(d.expiresText) },
    { title: 'Use', value: usageText(d.usableOnce) },
    { title: 'Identity verified by', value: neutraliseOrDash(d.verificationTitle) },
  ];
  if (d.ticket) facts.push({ title: 'Ticket', value: neutraliseText(d.ticket, 64) });
  return expandTemplate('issued', {
    summary:
      `Temporary Access Pass issued by ${issuer} for ${target}, ` +
      `valid until ${neutraliseOrDash(d.expiresText)}.`,
    facts,
    privacyNote: `The pass was shown only to ${issuer} and is not kept in this conversation.`,
  });
}

export type ClosedTone = 'neutral' | 'warning' | 'error' | 'good';

const TONE_COLORS: Readonly<Record<ClosedTone, string>> = {
  neutral: 'Default',
  warning: 'Warning',
  error: 'Attention',
  good: 'Good',
};

/** Renders the final, button-free state of a cancelled, expired, refused or failed request. */
export function renderClosedCard(d: { title: string; message: string; tone: ClosedTone }): AdaptiveCardJson {
  return expandTemplate('closed', {
    title: neutraliseOrDash(d.title),
    message: neutraliseOrDash(d.message, 1000),
    color: TONE_COLORS[d.tone] ?? 'Default',
  });
}

/** Renders a refusal shown in chat, with what to do next and a code for the helpdesk. */
export function renderProblemCard(d: {
  title: string;
  message: string;
  nextStep: string;
  code: string;
}): AdaptiveCardJson {
  return expandTemplate('problem', {
    title: neutraliseOrDash(d.title),
    message: neutraliseOrDash(d.message, 1000),
    nextStep: neutraliseOrDash(d.nextStep, 1000),
    code: neutraliseOrDash(d.code, 64),
  });
}
