import { renderApprovalCard, type AdaptiveCardJson, type ClosedTone } from './render.js';
import { plannedUsageText, policyTermsText } from './confirm.js';
import { formatDuration } from '../chat/grammar.js';
import { problem, type ProblemCode } from '../errors/catalog.js';
import { formatWhen } from '../tap/format.js';
import { REVEAL_WINDOW_MS } from '../tap/pass-vault.js';
import { plannedExpiry } from '../tap/plan.js';
import type { ApprovalInfo, TapRequest } from '../tap/request.js';

/** Approval requests → the four approval cards. Knows the domain and the card data; nothing else. */

const BASIS_TEXT: Readonly<Record<ApprovalInfo['basis'], string>> = {
  manager: 'their manager',
  'requester-group': 'service desk',
  admin: 'admin',
  api: 'another system, through the request API',
};

/** Entra custom extensions ask through the request path too, but not through the request API. */
const basisText = (request: TapRequest): string =>
  request.source?.kind === 'access-package'
    ? 'an access package request, through Entra'
    : request.source?.kind === 'lifecycle-task'
      ? 'a joiner workflow, through Entra'
      : BASIS_TEXT[request.approval!.basis];

/** The person's name, or what another system named them by until an approver has read them. */
const nameOf = (request: TapRequest): string => request.target?.displayName ?? request.query;

function when(request: TapRequest, iso: string | undefined, now: Date): string {
  return iso ? formatWhen(new Date(iso), request.timeZone, now) : 'unknown time';
}

/** The request in one line per state, the same on every card. */
function statusOf(request: TapRequest, now: Date): { status: string; tone: ClosedTone } {
  const a = request.approval!;
  const decider = a.decidedBy?.name ?? 'an approver';
  const decided = `${decider} at ${when(request, a.decidedAt, now)}`;
  const target = nameOf(request);
  const title = (code: string | undefined) =>
    code ? `${problem(code as ProblemCode).title} (${code})` : 'an error';
  switch (request.state) {
    case 'awaiting':
      return {
        status: `Waiting for approval. This request expires at ${when(request, request.expiresAt, now)}.`,
        tone: 'warning',
      };
    case 'issuing':
      return { status: `Being approved by ${decider}…`, tone: 'warning' };
    case 'issued':
      return {
        status: `Approved by ${decided}. The pass is valid until ${when(request, request.outcome?.expiresAt, now)}.`,
        tone: 'good',
      };
    case 'revoking':
    case 'revoked':
      return { status: `Approved by ${decided}; the pass has since been revoked.`, tone: 'neutral' };
    case 'replaced':
      return { status: `Approved by ${decided}; a newer pass has since replaced it.`, tone: 'neutral' };
    case 'rejected':
      return { status: `Rejected by ${decided}: ${a.rejectReason ?? ''}`, tone: 'error' };
    case 'cancelled':
      return { status: `Cancelled by ${request.requester.name}.`, tone: 'neutral' };
    case 'expired':
      return {
        status: `Expired at ${when(request, request.expiresAt, now)} without a decision. Nothing was issued.`,
        tone: 'neutral',
      };
    case 'unknown':
      return {
        status: `Approved by ${decided}, but Graph did not confirm the pass was created. Nobody will retry it: check with 'list TAP for ${request.target!.userPrincipalName}'.`,
        tone: 'warning',
      };
    default:
      return {
        status: `Approved by ${decided}, but no pass was issued for ${target}: ${title(request.outcome?.problemCode)}.`,
        tone: 'error',
      };
  }
}

function factsOf(request: TapRequest, now: Date) {
  const a = request.approval!;
  const plan = request.plan ?? {};
  const target = request.target;
  const expires = plannedExpiry(plan, now);
  const source = request.source;
  return [
    {
      title: 'For',
      value: target
        ? `${target.displayName} (${target.userPrincipalName})`
        : `${request.query} (not yet checked in Entra)`,
    },
    { title: 'Department', value: target?.department ?? null },
    ...(source && target ? [{ title: 'Manager', value: request.manager?.displayName ?? 'none' }] : []),
    { title: 'Requested by', value: `${request.requester.name} (${basisText(request)})` },
    ...(source ? [{ title: 'Ticket', value: `${source.ticket.system} ${source.ticket.number}` }] : []),
    { title: 'Reason', value: a.reason ?? 'none given' },
    deliveryFact(request),
    {
      title: 'Lifetime',
      value: plan.lifetimeMinutes ? formatDuration(plan.lifetimeMinutes) : 'the tenant default',
    },
    { title: 'Use', value: plannedUsageText(plan.isUsableOnce) },
    {
      title: 'Starts',
      value: plan.startDateTime ? when(request, plan.startDateTime, now) : 'when approved',
    },
    ...(expires && plan.startDateTime
      ? [{ title: 'Expires', value: when(request, expires.toISOString(), now) }]
      : []),
    ...(request.policy
      ? [{ title: 'Tenant policy', value: policyTermsText(request.policy, formatDuration) }]
      : []),
  ];
}

const footerOf = (request: TapRequest, now: Date) =>
  `Requested at ${when(request, request.createdAt, now)} · request ${request.id.slice(0, 8)}`;

function deliveryNote(request: TapRequest): string {
  const channel = channelNote(request);
  if (channel) return channel;
  return request.approval!.deliverTo === 'requester'
    ? `Approving creates the pass with your own Entra role. It is then offered once to ${request.requester.name}, in their 1:1 chat with TapDesk, for 15 minutes; it is never posted here.`
    : 'Approving creates the pass with your own Entra role and shows it only to you, once; it is never posted here.';
}

/** The note for a pass delivered to the manager or by SMS: the approver never sees it. */
function channelNote(request: TapRequest): string | null {
  const a = request.approval!;
  if (a.deliverTo === 'sms')
    return `Approving creates the pass with your own Entra role and sends it by SMS to ${a.delivery?.smsMasked ?? 'the mobile number on the person’s directory entry'} (read again from Entra when you approve); you will not see it. If the SMS fails, the pass is revoked.`;
  if (a.deliverTo === 'manager')
    return 'Approving creates the pass with your own Entra role and offers it once to the person’s manager (read from Entra when you approve), in their 1:1 chat with TapDesk; you will not see it. If it cannot reach them, the pass is revoked.';
  return null;
}

/** The manager the pass went to, or (before Approve reads them again) the one the request was checked with. */
function managerShown(request: TapRequest): string {
  const recipient = request.approval!.delivery?.recipient;
  if (recipient) return ` (${recipient.name})`;
  return request.manager ? ` (${request.manager.displayName} when asked)` : '';
}

/** The "Delivered to" line of every approval card. */
function deliveryFact(request: TapRequest): { title: string; value: string } {
  const a = request.approval!;
  const value =
    a.deliverTo === 'sms'
      ? `SMS to ${a.delivery?.smsMasked ?? 'the directory mobile number (checked at approval)'}`
      : a.deliverTo === 'manager'
        ? `their manager${managerShown(request)}, on a Reveal card`
        : a.deliverTo === 'requester'
          ? `${request.requester.name}, on a Reveal card`
          : 'the approver';
  const outcome =
    a.delivery?.outcome === 'failed'
      ? ' (failed; the pass was revoked)'
      : a.delivery?.outcome === 'delivered'
        ? ' (delivered)'
        : '';
  return { title: 'Delivered to', value: `${value}${outcome}` };
}

/** What approvers must know about a request another system made: whether anyone has read the person yet. */
function apiNotes(request: TapRequest, now: Date): string[] {
  const a = request.approval!;
  if (!request.target)
    return [
      `${request.requester.name} asked for this pass for ticket ${request.source!.ticket.system} ${request.source!.ticket.number}; nobody has looked ${request.query} up yet. Approve first reads them with your own sign-in and shows here who they are, their manager, pass and roles; nothing is created until you approve again.`,
    ];
  return a.checkedBy
    ? [
        `Checked in Entra by ${a.checkedBy.name} at ${when(request, a.checkedAt, now)}, with their own sign-in.`,
      ]
    : [];
}

/** The card in the approvers' channel or group chat: Approve / Reject while awaiting, the outcome after. */
export function approversCard(request: TapRequest, now: Date): AdaptiveCardJson {
  const a = request.approval!;
  const open = request.state === 'awaiting';
  const notes = open ? [...a.notes, deliveryNote(request)] : [];
  if (open && a.needs === 'privileged')
    notes.unshift(
      // A system is never an approver; naming it here would suggest it could be.
      `${nameOf(request)} holds a directory role: only a Privileged Authentication Administrator or Global Administrator can approve${request.source ? '' : `, and not ${request.requester.name}`}.`,
    );
  if (open && request.source) notes.unshift(...apiNotes(request, now));
  const refusals = open
    ? (a.refusals ?? []).map(
        (r) =>
          `${r.by.name} could not approve at ${when(request, r.at, now)}: ${problem(r.code as ProblemCode).title}.`,
      )
    : [];
  return renderApprovalCard({
    requestId: request.id,
    heading: `Temporary Access Pass requested for ${nameOf(request)}`,
    ...statusOf(request, now),
    facts: factsOf(request, now),
    notes,
    refusals,
    footer: footerOf(request, now),
    buttons: { approve: open, reject: open },
  });
}

/** The requester's card in their own chat: what they asked, where it stands, and Cancel while open. */
export function trackingCard(request: TapRequest, now: Date): AdaptiveCardJson {
  const open = request.state === 'awaiting';
  const notes: string[] = [];
  if (open)
    notes.push(
      'The approvers have been asked in their channel. I will update this card when someone decides.',
    );
  if (request.state === 'issued' && request.approval!.deliverTo === 'requester')
    notes.push('The pass waits for you on the Reveal card below, once, for 15 minutes.');
  if (request.state === 'issued' && request.approval!.deliverTo === 'sms')
    notes.push(`The pass went by SMS to ${request.approval!.delivery?.smsMasked ?? 'their mobile number'}.`);
  if (request.state === 'issued' && request.approval!.deliverTo === 'manager')
    notes.push('The pass was offered to their manager, once, in their 1:1 chat with TapDesk.');
  if (request.state === 'issued' && request.approval!.deliverTo === 'approver')
    notes.push(`${request.approval!.decidedBy?.name ?? 'The approver'} has the pass and will hand it over.`);
  return renderApprovalCard({
    requestId: request.id,
    heading: `Your request: a Temporary Access Pass for ${request.target!.displayName}`,
    ...statusOf(request, now),
    facts: factsOf(request, now),
    notes,
    refusals: [],
    footer: footerOf(request, now),
    buttons: { cancel: open },
  });
}

/** The one-time Reveal card (DELIVER_TO=requester); `revealedAt` turns it into its spent state. */
export function revealCard(
  request: TapRequest,
  now: Date,
  state: { kind: 'ready' } | { kind: 'revealed'; at: Date } | { kind: 'gone' },
): AdaptiveCardJson {
  const target = request.target!.displayName;
  const until = new Date(Date.parse(request.outcome?.at ?? now.toISOString()) + REVEAL_WINDOW_MS);
  const forManager = request.approval!.deliverTo === 'manager';
  const asked = forManager ? `a pass for ${target}, who reports to you,` : 'your request';
  const status =
    state.kind === 'ready'
      ? `${request.approval!.decidedBy?.name ?? 'An approver'} approved ${asked}. Reveal the pass once, before ${formatWhen(until, request.timeZone, now)}; after that it is gone.`
      : state.kind === 'revealed'
        ? `Revealed at ${formatWhen(state.at, request.timeZone, now)}. It cannot be shown again.`
        : 'This pass can no longer be revealed. Ask again if it is still needed.';
  return renderApprovalCard({
    requestId: request.id,
    heading: forManager
      ? `A Temporary Access Pass for ${target}, to hand over`
      : `Your Temporary Access Pass for ${target}`,
    status,
    tone: state.kind === 'ready' ? 'good' : 'neutral',
    facts: [{ title: 'For', value: `${target} (${request.target!.userPrincipalName})` }],
    notes:
      state.kind === 'ready'
        ? ['Only you can reveal it, and only here. TapDesk keeps it in memory only.']
        : [],
    refusals: [],
    footer: footerOf(request, now),
    buttons: { reveal: state.kind === 'ready' },
  });
}

/** Sent to an approver's 1:1 chat when Teams could not give TapDesk their token where they clicked. */
export function handOffCard(request: TapRequest, now: Date): AdaptiveCardJson {
  return renderApprovalCard({
    requestId: request.id,
    heading: `Approve the pass for ${nameOf(request)}?`,
    ...statusOf(request, now),
    facts: factsOf(request, now),
    notes: [
      'Teams could not give me your sign-in in the approvers’ conversation, so approve here with one tap.',
      deliveryNote(request),
    ],
    refusals: [],
    footer: footerOf(request, now),
    buttons: { approve: request.state === 'awaiting' },
  });
}
