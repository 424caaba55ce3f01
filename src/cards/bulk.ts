// The one card a bulk lives on: confirmation with counts, approval, progress and the summary.
// Every value that came from a person or the directory is neutralised here.
import { neutraliseOrDash, neutraliseText } from './escape.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

export type BulkTone = 'neutral' | 'good' | 'warning' | 'error' | 'accent';

export interface BulkCardData {
  bulkId: string;
  heading: string;
  status: string;
  tone: BulkTone;
  facts: { title: string; value: string }[];
  /** Whom the passes are for (empty once issuing: the counts say it then). */
  peopleHeading: string;
  people: string[];
  problemsHeading: string;
  problems: string[];
  notes: string[];
  footer: string;
  buttons: {
    issue?: string;
    ask?: boolean;
    approve?: boolean;
    reject?: boolean;
    reissue?: string;
    cancel?: boolean;
  };
}

const COLORS: Readonly<Record<BulkTone, string>> = {
  neutral: 'Default',
  good: 'Good',
  warning: 'Warning',
  error: 'Attention',
  accent: 'Accent',
};

/** Button titles are built from counts ("Issue 30 passes"); capped and neutralised all the same. */
const BUTTON_TITLE_CHARS = 60;

export function renderBulkCard(d: BulkCardData): AdaptiveCardJson {
  return expandTemplate('bulk', {
    bulkId: d.bulkId,
    heading: neutraliseOrDash(d.heading),
    status: neutraliseOrDash(d.status, 500),
    statusColor: COLORS[d.tone],
    facts: d.facts.map((f) => ({ title: neutraliseOrDash(f.title), value: neutraliseOrDash(f.value) })),
    hasPeople: d.people.length > 0,
    peopleHeading: neutraliseOrDash(d.peopleHeading),
    // One block: 25 names as 25 TextBlocks would make the card longer than its counts and buttons.
    people: neutraliseText(d.people.join('; '), 4_000),
    hasProblems: d.problems.length > 0,
    problemsHeading: neutraliseOrDash(d.problemsHeading),
    problems: d.problems.map((p) => neutraliseText(p, 300)),
    notes: d.notes.map((n) => neutraliseText(n, 500)),
    footer: neutraliseOrDash(d.footer, 600),
    showIssue: d.buttons.issue !== undefined,
    issueTitle: neutraliseText(d.buttons.issue ?? '', BUTTON_TITLE_CHARS),
    showAsk: d.buttons.ask === true,
    showApprove: d.buttons.approve === true,
    showReject: d.buttons.reject === true,
    showReissue: d.buttons.reissue !== undefined,
    reissueTitle: neutraliseText(d.buttons.reissue ?? '', BUTTON_TITLE_CHARS),
    showCancel: d.buttons.cancel === true,
  });
}
