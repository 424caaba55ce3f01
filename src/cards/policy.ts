// The tenant's Temporary Access Pass policy as Entra reports it. Read-only, so no buttons.
import { neutraliseOrDash } from './escape.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

export interface PolicyCardData {
  state: 'enabled' | 'disabled';
  defaultLifetimeText: string;
  minimumLifetimeText: string;
  maximumLifetimeText: string;
  oneTimeText: string;
  length: number;
  includeText: string;
  excludeText: string;
}

// Group lists can be long; past this they are cut with an ellipsis rather than flood the card.
const MAX_TARGETS_CHARS = 500;

function lengthText(length: number): string {
  // The number comes from Graph; anything but a sensible whole number is shown as unknown.
  return Number.isInteger(length) && length > 0 && length < 1000 ? `${length} characters` : '—';
}

/** Renders the tenant's pass policy: state, lifetimes, length and who it applies to. */
export function renderPolicyCard(d: PolicyCardData): AdaptiveCardJson {
  const enabled = d.state === 'enabled';
  return expandTemplate('policy', {
    stateText: enabled
      ? 'Enabled: passes can be issued to the people it includes.'
      : 'Disabled: no one can sign in with a Temporary Access Pass, so none can be issued.',
    stateColor: enabled ? 'Good' : 'Attention',
    facts: [
      { title: 'State', value: enabled ? 'Enabled' : 'Disabled' },
      { title: 'Default lifetime', value: neutraliseOrDash(d.defaultLifetimeText) },
      { title: 'Shortest lifetime', value: neutraliseOrDash(d.minimumLifetimeText) },
      { title: 'Longest lifetime', value: neutraliseOrDash(d.maximumLifetimeText) },
      { title: 'One-time use', value: neutraliseOrDash(d.oneTimeText) },
      { title: 'Length', value: lengthText(d.length) },
      { title: 'Applies to', value: neutraliseOrDash(d.includeText, MAX_TARGETS_CHARS) },
      { title: 'Except', value: neutraliseOrDash(d.excludeText, MAX_TARGETS_CHARS) },
    ],
    footer:
      'Lifetimes you ask for are kept within these limits. Change the policy in the Entra admin center.',
  });
}
