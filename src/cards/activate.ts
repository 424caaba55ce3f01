// The refusal card of someone who holds no role that can create passes but is eligible for one in
// PIM: the refusal, and a form to activate that role with their own account. Values from the
// directory are neutralised; the justification box is an input, shown as typed, never as Markdown.
import { formatDuration } from '../chat/grammar.js';
import type { Problem } from '../errors/catalog.js';
import { PIM_PORTAL_URL } from '../errors/catalog-pim.js';
import { ACTIVATION_MINUTES, JUSTIFICATION_MAX_CHARS, TICKET_MAX_CHARS, VERBS } from './actions.js';
import { flatten, neutraliseOrDash, truncate } from './escape.js';
import type { AdaptiveCardJson } from './template.js';

export interface ActivateCardData {
  requestId: string;
  roleName: string;
  /** Whom the pass is for, in words ("Alice Wong (alice@contoso.com)", or the several people found). */
  forText: string;
  /** Prefilled justification: what the person asked TapDesk for. */
  justification: string;
  requestExpiresText: string;
  /** The last attempt's answer, shown above the form so it can be tried again. */
  problem?: Problem;
}

/** What the duration box picks first: long enough to issue a pass, short enough to be just in time. */
export const DEFAULT_ACTIVATION_MINUTES = '60';

/** Answers a bot cannot act on (MFA now, an authentication context) get the portal as a button. */
const PORTAL_ANSWERS: ReadonlySet<string> = new Set(['PIM_MFA_REQUIRED', 'PIM_AUTH_CONTEXT_REQUIRED']);

const text = (value: string, extra: Record<string, unknown> = {}) => ({
  type: 'TextBlock',
  text: value,
  wrap: true,
  ...extra,
});

function problemBlocks(p: Problem): Record<string, unknown>[] {
  return [
    text(neutraliseOrDash(p.title), { weight: 'Bolder', color: 'Attention' }),
    text(neutraliseOrDash(`${p.message} ${p.nextStep}`, 1000), { spacing: 'Small' }),
    text(`Code: ${neutraliseOrDash(p.code, 64)}`, { size: 'Small', isSubtle: true, spacing: 'Small' }),
  ];
}

export function renderActivateCard(d: ActivateCardData): AdaptiveCardJson {
  const role = neutraliseOrDash(d.roleName, 120);
  const portal = d.problem !== undefined && PORTAL_ANSWERS.has(d.problem.code);
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      text('You need an authentication admin role', { size: 'Medium', weight: 'Bolder', color: 'Attention' }),
      text(
        `Your account has no active role that can create Temporary Access Passes, but you are eligible for **${role}** in Privileged Identity Management. Activate it here with your own account, and I go on with the pass for ${neutraliseOrDash(d.forText, 600)} without you typing it again.`,
      ),
      ...(d.problem ? problemBlocks(d.problem) : []),
      {
        type: 'Input.ChoiceSet',
        id: 'duration',
        label: 'Activate for',
        isRequired: true,
        errorMessage: 'Choose how long the role stays active.',
        value: DEFAULT_ACTIVATION_MINUTES,
        spacing: 'Medium',
        choices: ACTIVATION_MINUTES.map((m) => ({ title: formatDuration(Number(m)), value: m })),
      },
      {
        type: 'Input.Text',
        id: 'justification',
        label: 'Justification',
        isMultiline: true,
        maxLength: JUSTIFICATION_MAX_CHARS,
        value: truncate(flatten(d.justification), JUSTIFICATION_MAX_CHARS),
      },
      {
        type: 'Input.Text',
        id: 'ticket',
        label: 'Ticket number (if the role requires one)',
        placeholder: 'e.g. INC0012345',
        maxLength: TICKET_MAX_CHARS,
        regex: '^[A-Za-z0-9#._/-]*$',
        errorMessage: 'Use only letters, digits and # . _ / - (at most 64 characters).',
      },
      text(
        `Entra checks the role's settings: the longest activation, whether a justification, a ticket, MFA or an approver is needed. This request expires at ${neutraliseOrDash(d.requestExpiresText)}.`,
        { size: 'Small', isSubtle: true, spacing: 'Medium' },
      ),
    ],
    actions: [
      {
        type: 'Action.Execute',
        title: `Activate ${role}`,
        verb: VERBS.activate,
        style: 'positive',
        associatedInputs: 'auto',
        data: { requestId: d.requestId },
      },
      ...(portal
        ? [{ type: 'Action.OpenUrl', title: 'Open Privileged Identity Management', url: PIM_PORTAL_URL }]
        : []),
      {
        type: 'Action.Execute',
        title: 'Cancel',
        verb: VERBS.cancel,
        associatedInputs: 'none',
        data: { requestId: d.requestId },
      },
    ],
  };
}
