// The help message: Markdown that Teams and the Agents Playground both render. Placeholders are
// italic words (_person_), never <angle brackets>, which a Teams client may take for HTML and hide.
// Examples come from the grammar's own list and are sorted by what the parser makes of them, and
// every number (the lifetime cap, the approval threshold) is this deployment's, so help never
// promises what TapDesk would then refuse or shorten.
import { formatDuration, parseCommand, type Command } from '../chat/grammar.js';
import {
  AUDIT_DEFAULT_LAST,
  AUDIT_MAX_LAST,
  BULK_CSV_COLUMNS,
  HELP_EXAMPLES,
  MAX_BULK_TARGETS,
} from '../chat/messages.js';
import { MAX_CSV_ROWS } from '../bulk/csv-input.js';
import { UNKNOWN_POLICY_LIFETIME_MINUTES } from '../tap/plan.js';

export { HELP_EXAMPLES };

/** What this deployment allows, from its configuration: the same for everyone who asks. */
export interface HelpSettings {
  /** TAP_MAX_LIFETIME_MINUTES: TapDesk shortens any longer pass to this. */
  maxLifetimeMinutes: number;
  /** APPROVERS_CONVERSATION is set: `request` and bulk approvals work. */
  approvalsOn: boolean;
  /** REQUESTER_GROUP_ID is set: its members may request passes. */
  requesterGroup: boolean;
  /** DELIVER_TO: who sees an approved pass. */
  deliverTo: 'approver' | 'requester';
  /** APPROVAL_TTL_MINUTES: how long approvers have to decide. */
  approvalTtlMinutes: number;
  /** BULK_APPROVAL_ABOVE: more passes than this within an hour need a second admin. */
  bulkApprovalAbove: number;
  /** False when TapDesk cannot read PIM-eligible and scoped roles (no app-only role read). */
  seesEligibleRoles: boolean;
}

/** What the person asking for help may do, from their active Entra roles. */
export interface HelpCapabilities {
  canIssue: boolean;
  canReadAudit: boolean;
  /** 'unknown' when the policy could not be checked, so the command is offered with a caveat. */
  canReadPolicy: boolean | 'unknown';
  /** An active Entra role suggests Intune will show them Autopilot devices (Intune still decides). */
  canFindDevices?: boolean;
}

const INTRO =
  'Tell me who needs a Temporary Access Pass. I look the person up, show you what will happen, ' +
  'and issue the pass only after you confirm how you verified who they are. I act with your own ' +
  'Entra role, so Entra decides what you may do.';
const INTRO_NO_ROLE = 'I issue Temporary Access Passes, acting with the Entra role of the person who asks.';
const INTRO_UNKNOWN =
  "I couldn't read your Entra roles just now, so this lists every command; what works depends on " +
  'your active roles. Once you have signed in (send me any command), `help` shows only what applies to you.';
const FOOTER = 'The pass is shown only to you, once. It is never written into this chat or a log.';

const ISSUER_ROLES = 'Authentication Administrator or Privileged Authentication Administrator';

const bullets = (lines: readonly string[]) => lines.map((line) => `- ${line}`).join('\n');
const code = (example: string) => `\`${example}\``;
const joinWords = (words: readonly string[]) =>
  words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;

/** The lifetime an example asks for, when it names one. */
function askedMinutes(command: Command): number | undefined {
  return 'lifetimeMinutes' in command ? command.lifetimeMinutes : undefined;
}

/**
 * Examples of these kinds, in the grammar's order, leaving out any that asks for more than the cap:
 * TapDesk would shorten it, so showing it would teach something that does not happen.
 */
function examplesOf(kinds: ReadonlyArray<Command['kind']>, settings: HelpSettings): string[] {
  return HELP_EXAMPLES.filter((example) => {
    const parsed = parseCommand(example);
    if (!parsed.ok || !kinds.includes(parsed.command.kind)) return false;
    const minutes = askedMinutes(parsed.command);
    return minutes === undefined || minutes <= settings.maxLifetimeMinutes;
  });
}

/** Ways to write a lifetime, only those within the cap. */
function durationExamples(settings: HelpSettings): string {
  const samples: [string, number][] = [
    ['30m', 30],
    ['2h', 120],
    ['1h30m', 90],
    ['4 hours', 240],
    ['1 day', 1_440],
  ];
  return joinWords(samples.filter(([, minutes]) => minutes <= settings.maxLifetimeMinutes).map(([s]) => s));
}

function optionLines(settings: HelpSettings): string[] {
  const cap = formatDuration(settings.maxLifetimeMinutes);
  const unknownPolicyDefault = formatDuration(
    Math.min(settings.maxLifetimeMinutes, UNKNOWN_POLICY_LIFETIME_MINUTES),
  );
  return [
    `**for** _duration_: how long the pass lasts, e.g. ${durationExamples(settings)}. ` +
      `TapDesk allows at most ${cap} here (a longer ask is shortened to that), and the tenant's ` +
      `TAP policy may allow less. Left out, the policy's default applies (${unknownPolicyDefault} ` +
      "if I can't read the policy), never above the cap.",
    '**once** or **multi-use**: one sign-in only, or reusable until it expires.',
    '**start** _when_: in 30m, at 14:00, tomorrow 9am or 2026-11-23 09:00 (your time zone), up to 30 days ahead.',
  ];
}

function issueSection(settings: HelpSettings): string {
  return [
    `**Issue a pass**\n\n${bullets(examplesOf(['issue'], settings).map(code))}`,
    'Name the person by sign-in address, the start of one (alice@contoso) or display name. ' +
      `After the person, in any order:\n\n${bullets(optionLines(settings))}`,
  ].join('\n\n');
}

/** When a bulk needs a second admin, in this deployment's numbers. */
function bulkApprovalRule(settings: HelpSettings): string {
  const counted =
    settings.bulkApprovalAbove === 0
      ? "Every bulk needs a second admin's approval"
      : `More than ${settings.bulkApprovalAbove} passes within an hour (counting those you issued in the ` +
        "last hour) need a second admin's approval";
  return settings.approvalsOn
    ? `${counted} in the approvers' channel first. The results come as a file only you can download.`
    : `${counted}, and no approvers' channel is set up here, so such a bulk is refused: split it, or ask ` +
        'your TapDesk admins to set one up. The results come as a file only you can download.';
}

/** A bulk that asks for no lifetime, for when every listed bulk example asks for more than the cap. */
const BULK_WITHIN_ANY_CAP = 'issue TAP for alice@contoso.com, bob@contoso.com once';

/** Onboarding by file: the serial column is what makes it one. */
const BULK_ONBOARDING =
  `To onboard joiners on their Windows Autopilot devices, send a CSV with the columns ` +
  `${joinWords(['user', 'serial', 'groupTag', 'start', 'lifetime'])} (user and serial are needed): each ` +
  `device gets its person and group tag, then a multi-use pass that lasts through Windows setup. A device ` +
  `assigned to someone else is listed as a problem, never taken. You need an Intune role for this too.`;

function bulkSection(settings: HelpSettings): string {
  const columns = joinWords(BULK_CSV_COLUMNS);
  const examples = examplesOf(['bulk'], settings);
  return (
    `**Several people at once**\n\n${bullets((examples.length > 0 ? examples : [BULK_WITHIN_ANY_CAP]).map(code))}\n\n` +
    `Put a comma between people, up to ${MAX_BULK_TARGETS}; the options after the last person apply to ` +
    `everyone. For more (up to ${MAX_CSV_ROWS.toLocaleString('en-US')}), send me a CSV file in our 1:1 chat ` +
    `with the columns ${columns} (only user is needed; one person per line). ${bulkApprovalRule(settings)}` +
    `\n\n${BULK_ONBOARDING}`
  );
}

function manageSection(settings: HelpSettings): string {
  const lines = [
    `${code('list TAP for')} _person_: the person's current pass, if any, and when it expires.`,
    `${code('list TAPs')} (or ${code('list TAPs mine')}): the passes TapDesk issued that are still outstanding, newest first, each with Revoke.`,
    `${code('revoke TAP for')} _person_: removes the person's pass after you confirm.`,
  ];
  return `**Look after a pass**\n\n${bullets([...lines, ...examplesOf(['list', 'revoke'], settings).map(code)])}`;
}

/** Who may ask for a pass here: a target's manager, the requester group when one is set, and admins. */
function requesters(settings: HelpSettings): string {
  return settings.requesterGroup
    ? "The person's manager, members of the service desk requester group and admins"
    : "The person's manager and admins";
}

/** `request`: only when an approvers' conversation is set up; who may, and where the pass goes. */
function requestSection(canIssue: boolean | undefined, settings: HelpSettings): string {
  if (!settings.approvalsOn) {
    return (
      "**Ask for a pass**\n\nApproval requests are switched off here (no approvers' channel is set up), " +
      `so a pass needs someone with an active ${ISSUER_ROLES} role.`
    );
  }
  const why =
    canIssue === true
      ? 'A pass for someone who holds a directory role always needs a second admin, so ask for it:'
      : `${requesters(settings)} may ask for a pass; an approver decides:`;
  const delivery =
    settings.deliverTo === 'approver'
      ? 'The approver sees the pass and hands it over.'
      : 'Once approved, you get a one-time card in our 1:1 chat that shows you the pass.';
  return (
    `**Ask for a pass (someone else approves)**\n\n${why}\n\n${bullets(examplesOf(['request'], settings).map(code))}\n\n` +
    'Options as for issuing, plus deliver to manager or by sms (the pass then goes once to their manager, or ' +
    'by SMS to the mobile number on their Entra entry), and reason: _why_ at the end. Approvers have ' +
    `${formatDuration(settings.approvalTtlMinutes)} to decide. ${delivery} I keep you posted on the card I send back.`
  );
}

function approveSection(): string {
  return (
    "**Approve requests**\n\nRequests arrive in the approvers' channel. **Approve** creates the pass with " +
    'your own role (a person who holds a directory role needs a Privileged Authentication Administrator); ' +
    '**Reject** asks for a reason the requester is told.'
  );
}

function auditSection(settings: HelpSettings): string {
  const option = `${code('audit')} (optionally for _person_, last _n_): recent audit entries, ${AUDIT_DEFAULT_LAST} unless you say, up to ${AUDIT_MAX_LAST}.`;
  return `**Audit log**\n\n${bullets([option, ...examplesOf(['audit'], settings).map(code)])}`;
}

function policySection(caveat: boolean): string {
  const note = caveat ? " (I couldn't check whether your role may read it)" : '';
  return `**Tenant policy**\n\n${bullets([`${code('tap policy')}: the tenant's pass settings: lifetimes, length and who may use one${note}.`])}`;
}

function readSections(caps: HelpCapabilities, settings: HelpSettings): string[] {
  const sections: string[] = [];
  const unavailable: string[] = [];
  if (caps.canReadAudit) sections.push(auditSection(settings));
  else unavailable.push(code('audit'));
  // The policy check can fail for reasons other than the role, so offer it rather than hide it.
  if (caps.canReadPolicy !== false) sections.push(policySection(caps.canReadPolicy === 'unknown'));
  else unavailable.push(code('tap policy'));
  if (unavailable.length > 0) {
    const verb = unavailable.length === 1 ? 'needs' : 'need';
    sections.push(
      `${joinWords(unavailable)} ${verb} an Entra role you don't have; an admin can look for you.`,
    );
  }
  return sections;
}

function devicesSection(canIssue: boolean): string {
  const lines = [
    `${code('devices for')} _person_: the Windows Autopilot devices assigned to them.`,
    `${code('find device')} _serial_: the devices whose serial number contains it, e.g. ${code('find device 5CG33')}.`,
  ];
  // Onboarding ends with a pass, so only people who may issue one are offered it.
  if (canIssue)
    lines.push(
      `${code('onboard')} _person_ ${code('on')} _serial_ ${code('[tag Finance] [start monday 8:00]')}: the device's user and group tag, then a multi-use day-one pass, on one card; ${code('onboarding status')} _person_ shows how it went.`,
    );
  return `**${canIssue ? 'Devices and onboarding' : 'Find devices'}**\n\n${bullets(lines)}`;
}

/** Said whenever the app-only role read is not configured: the one gap in the privileged-target rule. */
const ELIGIBLE_UNSEEN =
  '**Note:** this TapDesk cannot see roles people are only eligible for (PIM) or hold over an ' +
  'administrative unit, so it cannot send passes for them to approval by itself. Before issuing, ' +
  'check that the person holds no admin role; your admins can fix this by granting TapDesk ' +
  'RoleManagement.Read.Directory.';

const NO_ROLE =
  `**Issue, list or revoke a pass**\n\nYou don't have an active Entra role that may issue passes (${ISSUER_ROLES}), ` +
  'so ask an admin who has one. If the role is eligible for you in PIM, activate it and ask me again.';

/** Help adapted to what the caller may do, in this deployment's numbers. */
export function helpTextFor(caps: HelpCapabilities, settings: HelpSettings): string {
  const sections = caps.canIssue
    ? [INTRO, issueSection(settings), bulkSection(settings), manageSection(settings)]
    : [INTRO_NO_ROLE, NO_ROLE];
  sections.push(requestSection(caps.canIssue, settings));
  if (caps.canIssue && settings.approvalsOn) sections.push(approveSection());
  sections.push(...readSections(caps, settings));
  if (caps.canFindDevices) sections.push(devicesSection(caps.canIssue));
  sections.push(`${code('help')} shows this message again.`);
  if (caps.canIssue) sections.push(FOOTER);
  if (caps.canIssue && !settings.seesEligibleRoles) sections.push(ELIGIBLE_UNSEEN);
  return sections.join('\n\n');
}

/** Help for someone whose roles could not be read (no sign-in yet): every command, said as such. */
export function helpText(settings: HelpSettings): string {
  const sections = [
    INTRO_UNKNOWN,
    issueSection(settings),
    bulkSection(settings),
    manageSection(settings),
    requestSection(undefined, settings),
    ...(settings.approvalsOn ? [approveSection()] : []),
    auditSection(settings),
    policySection(false),
    FOOTER,
  ];
  return sections.join('\n\n');
}
