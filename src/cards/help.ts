// The help card and its plain-text twin, built from the same examples the grammar's
// error messages use, so help never drifts from what the parser accepts.
import { AUDIT_DEFAULT_LAST, AUDIT_MAX_LAST, HELP_EXAMPLES } from '../chat/messages.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

export { HELP_EXAMPLES };

const INTRO =
  'Tell me who needs a Temporary Access Pass. I look the person up, show you what will happen, ' +
  'and issue the pass only after you confirm how you verified their identity.';

const OPTIONS = [
  {
    title: 'for <duration>',
    value: "How long the pass lasts: '2h', '90m', '1h30m', '1 day' (up to 30 days)",
  },
  { title: 'once / multi-use', value: 'One sign-in only, or reusable until it expires' },
  { title: 'start <when>', value: "'in 30m', 'at 14:00', 'tomorrow 9am', '2026-11-23 09:00'" },
  {
    title: 'audit [for <person>] [last <n>]',
    value: `Recent audit entries: ${AUDIT_DEFAULT_LAST} unless you say, up to ${AUDIT_MAX_LAST}`,
  },
];

const FOOTER = 'The pass is shown only to you, once. Tenant limits may shorten the lifetime you ask for.';

/** Renders the help card listing example commands and options. */
export function renderHelpCard(
  d: { examples: readonly string[] } = { examples: HELP_EXAMPLES },
): AdaptiveCardJson {
  return expandTemplate('help', {
    intro: INTRO,
    examples: [...d.examples],
    options: OPTIONS,
    footer: FOOTER,
  });
}

/** Returns the help as plain text, for channels or logs that cannot show cards. */
export function helpText(): string {
  const examples = HELP_EXAMPLES.map((example) => `  ${example}`).join('\n');
  const options = OPTIONS.map((option) => `  ${option.title}: ${option.value}`).join('\n');
  return `${INTRO}\n\nExamples:\n${examples}\n\nOptions:\n${options}\n\n${FOOTER}`;
}
