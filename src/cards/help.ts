// The help card and its plain-text twins, built from the same examples the grammar's
// error messages use, so help never drifts from what the parser accepts.
import { parseCommand, type Command } from '../chat/grammar.js';
import {
  AUDIT_DEFAULT_LAST,
  AUDIT_MAX_LAST,
  BULK_CSV_COLUMNS,
  HELP_EXAMPLES,
  MAX_BULK_TARGETS,
} from '../chat/messages.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

export { HELP_EXAMPLES };

const INTRO =
  'Tell me who needs a Temporary Access Pass. I look the person up, show you what will happen, ' +
  'and issue the pass only after you confirm how you verified their identity.';

const ISSUE_OPTIONS = [
  {
    title: 'for <duration>',
    value: "How long the pass lasts: '2h', '90m', '1h30m', '1 day' (up to 30 days)",
  },
  { title: 'once / multi-use', value: 'One sign-in only, or reusable until it expires' },
  { title: 'start <when>', value: "'in 30m', 'at 14:00', 'tomorrow 9am', '2026-11-23 09:00'" },
];
const CSV_COLUMNS = `${BULK_CSV_COLUMNS.slice(0, -1).join(', ')} and ${BULK_CSV_COLUMNS.at(-1) ?? ''}`;
const BULK_OPTION = {
  title: '<person>, <person>, …',
  value:
    `Several people at once (up to ${MAX_BULK_TARGETS}); for more, send me a CSV file ` +
    `with the columns ${CSV_COLUMNS} in our 1:1 chat`,
};
const AUDIT_OPTION = {
  title: 'audit [for <person>] [last <n>]',
  value: `Recent audit entries: ${AUDIT_DEFAULT_LAST} unless you say, up to ${AUDIT_MAX_LAST}`,
};
const MANAGE_OPTIONS = [
  { title: 'list TAP for <person>', value: "The person's current pass, if any, and when it expires" },
  { title: 'revoke TAP for <person>', value: "Removes the person's pass after you confirm" },
  { title: 'tap policy', value: "The tenant's pass settings: lifetimes, length and who may use one" },
];
const OPTIONS = [...ISSUE_OPTIONS, BULK_OPTION, AUDIT_OPTION, ...MANAGE_OPTIONS];

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

/** What the person asking for help may do, from their active Entra roles. */
export interface HelpCapabilities {
  canIssue: boolean;
  canReadAudit: boolean;
  /** 'unknown' when the policy could not be checked, so the command is offered with a caveat. */
  canReadPolicy: boolean | 'unknown';
  /** False when TapDesk cannot read PIM-eligible and scoped roles (no app-only role read). */
  seesEligibleRoles?: boolean;
}

// Examples are sorted by what the parser makes of them, so a section can never show a
// command that does something else.
function examplesOf(kinds: ReadonlyArray<Command['kind']>): string[] {
  return HELP_EXAMPLES.filter((example) => {
    const parsed = parseCommand(example);
    return parsed.ok && kinds.includes(parsed.command.kind);
  });
}

const bullets = (lines: readonly string[]) => lines.map((line) => `- ${line}`).join('\n');
const code = (example: string) => `\`${example}\``;

function issueSection(canIssue: boolean): string {
  if (!canIssue) {
    return (
      "**Issue, list or revoke a pass**\nYou don't have an active Entra role that may issue passes " +
      '(Authentication Administrator or Privileged Authentication Administrator), so ask an admin who ' +
      'has one to do it for you. If the role is eligible for you in PIM, activate it and ask me again.'
    );
  }
  const options = ISSUE_OPTIONS.map((option) => `${code(option.title)}: ${option.value}`);
  const manage = MANAGE_OPTIONS.slice(0, 2).map((option) => `${code(option.title)}: ${option.value}`);
  return [
    `**Issue a pass**\n${bullets(examplesOf(['issue']).map(code))}`,
    `Options after the person:\n${bullets(options)}`,
    bulkSection(),
    `**Look after a pass**\n${bullets(manage)}\n${bullets(examplesOf(['list', 'revoke']).map(code))}`,
  ].join('\n\n');
}

/** Only for those who may issue: a request is always for one person. */
function bulkSection(): string {
  return (
    `**Several people at once**\n${bullets(examplesOf(['bulk']).map(code))}\n` +
    `Put a comma between people, up to ${MAX_BULK_TARGETS}; the options after the last person apply to everyone. ` +
    `For more, send me a CSV file in our 1:1 chat with the columns ${CSV_COLUMNS} ` +
    '(only user is needed; one person per line). Above a certain number of people a second admin approves ' +
    'the batch first, and the results arrive as a file only you can download.'
  );
}

/** Everyone sees it: managers and the service desk ask this way, and admins must for admins' passes. */
function requestSection(canIssue: boolean): string {
  const who = canIssue
    ? 'A pass for someone who holds a directory role always needs a second admin, so ask for it:'
    : "If you are the person's manager or in the service desk requester group, ask for a pass and an approver decides:";
  return (
    `**Ask for a pass (someone else approves)**\n${who}\n${bullets(examplesOf(['request']).map(code))}\n` +
    'Options as for issuing, plus `reason: <why>` at the end. I keep you posted on the card I send back.'
  );
}

function readSections(caps: HelpCapabilities): string[] {
  const sections: string[] = [];
  const unavailable: string[] = [];
  if (caps.canReadAudit) {
    const examples = examplesOf(['audit']).map(code);
    sections.push(
      `**Audit log**\n${bullets([`${code(AUDIT_OPTION.title)}: ${AUDIT_OPTION.value}`, ...examples])}`,
    );
  } else {
    unavailable.push(code('audit'));
  }
  const policy = MANAGE_OPTIONS[2];
  if (policy && caps.canReadPolicy !== false) {
    // The check can fail for reasons other than the role, so offer it rather than hide it.
    const caveat =
      caps.canReadPolicy === 'unknown' ? " (I couldn't check whether your role may read it)" : '';
    sections.push(`**Tenant policy**\n${bullets([`${code(policy.title)}: ${policy.value}${caveat}`])}`);
  } else {
    unavailable.push(code('tap policy'));
  }
  if (unavailable.length > 0) {
    sections.push(
      `${unavailable.join(' and ')} need an Entra role you don't have; an admin can look for you.`,
    );
  }
  return sections;
}

/** Said whenever the app-only role read is not configured: the one gap in the privileged-target rule. */
const ELIGIBLE_UNSEEN =
  '**Note:** this TapDesk cannot see roles people are only eligible for (PIM) or hold over an ' +
  'administrative unit, so it cannot send passes for them to approval by itself. Before issuing, ' +
  'check that the person holds no admin role; your admins can fix this by granting TapDesk ' +
  'RoleManagement.Read.Directory.';

/** Returns help listing every command with examples, adapted to what the caller may do. */
export function helpTextFor(caps: HelpCapabilities): string {
  const intro = caps.canIssue
    ? INTRO
    : 'I issue Temporary Access Passes, acting with the Entra role of the person who asks.';
  const sections = [intro, issueSection(caps.canIssue), requestSection(caps.canIssue), ...readSections(caps)];
  sections.push(`${code('help')} shows this message again.`);
  if (caps.canIssue) sections.push(FOOTER);
  if (caps.canIssue && caps.seesEligibleRoles === false) sections.push(ELIGIBLE_UNSEEN);
  return sections.join('\n\n');
}
