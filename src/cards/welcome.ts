// The welcome card: what TapDesk is and what this person may do with it, in a few lines, with
// buttons that send a command as if it were typed. A button is an Action.Submit whose data is only
// the command's text; the message it makes is read as that text (teams/submitted-command.ts), so a
// click goes through the same parser and the same checks as typing it. It carries no id and no fact,
// so there is nothing in it to trust or to forge. (Teams' messageBack would do the same, but the
// Agents Playground fails on it.)
import { formatDuration, parseCommand } from '../chat/grammar.js';
import { HELP_EXAMPLES, type HelpSettings } from './help.js';
import { neutraliseText } from './escape.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

/** Whom the card greets: a person whose roles were read, one whose roles could not be, or a shared chat. */
export type WelcomeAudience =
  | {
      kind: 'person';
      /** Teams leaves the name out of some events (the Playground's installationUpdate). */
      name?: string;
      /** An active Authentication Administrator or Privileged Authentication Administrator role (or Global Administrator). */
      canIssue: boolean;
      canReadAudit: boolean;
      /** A member of REQUESTER_GROUP_ID, when one is set. */
      inRequesterGroup: boolean;
    }
  | { kind: 'unknown'; name?: string }
  | { kind: 'shared'; conversation: 'channel' | 'groupChat'; approversHere: boolean };

/** Installed just now, or greeted with "hi": only the first words differ. */
export type WelcomeOccasion = 'install' | 'hello';

interface Button {
  title: string;
  command: string;
}

const ISSUER_ROLES = 'Authentication Administrator or Privileged Authentication Administrator';
const WHAT =
  'I hand out Temporary Access Passes: time-limited codes people use to sign in and set up their ' +
  'sign-in methods, e.g. on a new phone. I act with your own Entra role, so Entra decides what you may do.';

const HELP_BUTTON: Button = { title: 'All commands', command: 'help' };
const POLICY_BUTTON: Button = { title: 'TAP policy', command: 'tap policy' };
const AUDIT_BUTTON: Button = { title: 'Recent activity', command: 'audit last 20' };

/**
 * An example of a kind to show: one that names a lifetime within the cap if there is one (TapDesk
 * would shorten a longer one, so it would teach the wrong thing), else the first plain one.
 */
function exampleOf(kind: 'issue' | 'request', settings: HelpSettings): string | undefined {
  const lifetimes = HELP_EXAMPLES.flatMap((example) => {
    const parsed = parseCommand(example);
    return parsed.ok && parsed.command.kind === kind
      ? [{ example, minutes: parsed.command.lifetimeMinutes }]
      : [];
  });
  const fitting = lifetimes.find((e) => e.minutes !== undefined && e.minutes <= settings.maxLifetimeMinutes);
  return (fitting ?? lifetimes.find((e) => e.minutes === undefined))?.example;
}

const issueLine = (settings: HelpSettings) =>
  `- **Issue** a pass: name the person and, if you like, a lifetime (at most ${formatDuration(settings.maxLifetimeMinutes)} here). ` +
  'You check a card and confirm how you verified them; the pass is shown only to you.';
const bulkLine = '- **Several people** at once: a list, or a CSV file in this chat.';
const approveLine = "- **Approve** other people's requests in the approvers' channel.";
const auditLine = '- **Read the audit trail** of every pass TapDesk handled.';

function requestLine(settings: HelpSettings, who: 'issuer' | 'group' | 'other' | 'unknown'): string {
  const by = {
    issuer: 'for someone who holds a directory role; a second admin approves it',
    group: 'for anyone in the organisation; an admin approves it',
    other: 'for people you manage; an admin approves it',
    unknown: settings.requesterGroup
      ? 'for people you manage, or for anyone if you are in the service desk requester group; an admin approves it'
      : 'for people you manage; an admin approves it',
  }[who];
  return `- **Request** a pass ${by}.`;
}

function personCard(
  audience: Extract<WelcomeAudience, { kind: 'person' }>,
  occasion: WelcomeOccasion,
  settings: HelpSettings,
): AdaptiveCardJson {
  const lines: string[] = [];
  if (audience.canIssue) lines.push(issueLine(settings), bulkLine);
  else
    lines.push(
      `You don't hold an active Entra role that issues passes (${ISSUER_ROLES}). ` +
        'If one is eligible for you in PIM, activate it and say hi again.',
    );
  if (settings.approvalsOn) {
    const who = audience.canIssue ? 'issuer' : audience.inRequesterGroup ? 'group' : 'other';
    lines.push(requestLine(settings, who));
    if (audience.canIssue) lines.push(approveLine);
  } else if (!audience.canIssue) {
    lines.push('Ask an admin who holds one of those roles to issue the pass for you.');
  }
  if (audience.canReadAudit) lines.push(auditLine);
  const examples = [
    audience.canIssue ? exampleOf('issue', settings) : undefined,
    settings.approvalsOn ? exampleOf('request', settings) : undefined,
  ].filter((e): e is string => e !== undefined);
  const buttons = [HELP_BUTTON, POLICY_BUTTON, ...(audience.canReadAudit ? [AUDIT_BUTTON] : [])];
  return expandTemplate('welcome', {
    title: greeting(occasion, audience.name),
    intro: WHAT,
    lines,
    examples,
    footer: 'Type what you need in your own words, or help for every command.',
    buttons,
  });
}

/** A person whose roles TapDesk could not read yet (no sign-in): what anyone might do, said as such. */
function unknownCard(
  name: string | undefined,
  occasion: WelcomeOccasion,
  settings: HelpSettings,
): AdaptiveCardJson {
  const lines = [`With an active ${ISSUER_ROLES} role:`, issueLine(settings), bulkLine];
  if (settings.approvalsOn) lines.push(approveLine, 'Without one:', requestLine(settings, 'unknown'));
  const examples = [
    exampleOf('issue', settings),
    settings.approvalsOn ? exampleOf('request', settings) : undefined,
  ];
  return expandTemplate('welcome', {
    title: greeting(occasion, name),
    intro: WHAT,
    lines,
    examples: examples.filter((e): e is string => e !== undefined),
    footer: 'The first time you send me a command, I ask you to sign in once.',
    buttons: [HELP_BUTTON, POLICY_BUTTON],
  });
}

/** A channel or group chat: the message is read by everyone there, so it speaks about the place, not a person. */
function sharedCard(
  audience: Extract<WelcomeAudience, { kind: 'shared' }>,
  settings: HelpSettings,
): AdaptiveCardJson {
  const place = audience.conversation === 'channel' ? 'channel' : 'chat';
  const lines = audience.approversHere
    ? [
        `Requests for Temporary Access Passes are posted in this ${place} for approval. Anyone here with an ` +
          `active Authentication Administrator role can **Approve** or **Reject** with one click (a person who ` +
          'holds a directory role needs a Privileged Authentication Administrator). Approvers have ' +
          `${formatDuration(settings.approvalTtlMinutes)} to decide, and the pass is shown only to ` +
          `${settings.deliverTo === 'approver' ? 'whoever approves' : 'the person who asked'}.`,
      ]
    : [
        'Each pass is shown only to the person who asked for it, so issue or request passes in a 1:1 chat ' +
          'with me.' +
          (place === 'channel' ? ' In a channel Teams cannot give me your sign-in.' : ''),
      ];
  return expandTemplate('welcome', {
    title: 'TapDesk is here',
    intro:
      'I hand out Temporary Access Passes: time-limited codes people use to sign in and set up their ' +
      'sign-in methods. I act with the Entra role of whoever asks.',
    lines,
    examples: [],
    footer: 'Type help (mention me in a channel) to see every command.',
    buttons: [HELP_BUTTON],
  });
}

function greeting(occasion: WelcomeOccasion, name: string | undefined): string {
  const to = name ? ` ${neutraliseText(name, 64)}` : '';
  return occasion === 'install' ? `Welcome to TapDesk${to ? `,${to}` : ''}` : `Hi${to}, I'm TapDesk`;
}

/** The welcome (or hello) card for this audience, in this deployment's numbers. */
export function renderWelcomeCard(
  audience: WelcomeAudience,
  occasion: WelcomeOccasion,
  settings: HelpSettings,
): AdaptiveCardJson {
  if (audience.kind === 'person') return personCard(audience, occasion, settings);
  if (audience.kind === 'unknown') return unknownCard(audience.name, occasion, settings);
  return sharedCard(audience, settings);
}
