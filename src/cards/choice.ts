// The card shown when a name matches several people, so the admin picks the right one.
import { neutraliseText } from './escape.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

export interface ChoiceCandidate {
  id: string;
  displayName: string;
  userPrincipalName: string;
  department: string | null;
}

export interface ChoiceCardData {
  requestId: string;
  query: string;
  candidates: ChoiceCandidate[];
  moreCount: number;
}

/** At most this many people are offered; more buttons make the wrong click likelier. */
export const MAX_CHOICES = 10;

/** Renders the "who did you mean?" card with one button per candidate and a Cancel button. */
export function renderChoiceCard(d: ChoiceCardData): AdaptiveCardJson {
  const shown = d.candidates.slice(0, MAX_CHOICES);
  const hiddenCount = Math.max(0, Math.floor(d.moreCount)) + (d.candidates.length - shown.length);
  return expandTemplate('choice', {
    requestId: d.requestId,
    heading: `Several people match '${neutraliseText(d.query, 80)}'. Who did you mean?`,
    candidates: shown.map((candidate) => {
      const name = neutraliseText(candidate.displayName);
      const upn = neutraliseText(candidate.userPrincipalName);
      const department = candidate.department ? neutraliseText(candidate.department, 128) : '';
      return {
        id: candidate.id,
        displayName: name,
        details: department ? `${upn} · ${department}` : upn,
        buttonTitle: `Choose ${neutraliseText(candidate.displayName, 40)}`,
      };
    }),
    hasMore: hiddenCount > 0,
    moreText: `and ${hiddenCount} more — type the full address to narrow it down`,
  });
}
