// The approval cards: the approvers' card (Approve / Reject with a reason), the requester's tracking
// card (Cancel), the one-time Reveal card and the hand-off card in an approver's 1:1 chat. One
// template with buttons switched on per use, so all four always show a request the same way.
import type { ClosedTone } from './outcome.js';
import { neutraliseOrDash, neutraliseText } from './escape.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

export interface ApprovalCardData {
  requestId: string;
  heading: string;
  status: string;
  tone: ClosedTone;
  facts: { title: string; value: string | null }[];
  notes: string[];
  refusals: string[];
  footer: string;
  buttons: { approve?: boolean; reject?: boolean; cancel?: boolean; reveal?: boolean };
}

const TONE_COLORS: Readonly<Record<ClosedTone, string>> = {
  neutral: 'Default',
  warning: 'Warning',
  error: 'Attention',
  good: 'Good',
};
const MAX_LINE_CHARS = 600;

/** Renders any of the approval cards; every text is neutralised here, since names and reasons are typed by people. */
export function renderApprovalCard(d: ApprovalCardData): AdaptiveCardJson {
  return expandTemplate('approval', {
    requestId: d.requestId,
    heading: neutraliseOrDash(d.heading),
    status: neutraliseOrDash(d.status, MAX_LINE_CHARS),
    statusColor: TONE_COLORS[d.tone],
    facts: d.facts.map((f) => ({ title: f.title, value: neutraliseOrDash(f.value) })),
    notes: d.notes.map((n) => neutraliseText(n, MAX_LINE_CHARS)),
    refusals: d.refusals.map((r) => neutraliseText(r, MAX_LINE_CHARS)),
    footer: neutraliseOrDash(d.footer, MAX_LINE_CHARS),
    showApprove: d.buttons.approve === true,
    showReject: d.buttons.reject === true,
    showCancel: d.buttons.cancel === true,
    showReveal: d.buttons.reveal === true,
  });
}
