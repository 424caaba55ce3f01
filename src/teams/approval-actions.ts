import type { TurnContext } from 'botbuilder';
import { LoginRequiredError } from '../auth/obo.js';
import { renderClosedCard } from '../cards/render.js';
import { problem } from '../errors/catalog.js';
import {
  allowHandOff,
  approveRequest,
  expireIfDue,
  rejectRequest,
  type DecisionClick,
  type DecisionOutcome,
} from '../tap/approval-decide.js';
import { auditAfterTheFact, requestEvent } from '../tap/audit-events.js';
import { guardClick } from '../tap/clicks.js';
import { VERBS, type ActionOf } from '../cards/actions.js';
import type { TapRequest } from '../tap/request.js';
import { approversCard, handOffCard, revealCard, trackingCard } from '../cards/approval-views.js';
import { replyProblem, updateCardThenAnswer } from './card-replies.js';
import type { Turn } from './turn.js';
import type { TeamsDeps } from './context.js';
import { replyWithCard } from './invoke-response.js';
import { passCard, problemCard } from '../cards/request-views.js';
import { deliverApproved } from './deliver-actions.js';

function decisionClick(turn: Turn, requestId: string): DecisionClick {
  const conversation = turn.context.activity.conversation;
  return {
    requestId,
    clicker: turn.person,
    conversationId: conversation.id,
    isPersonalChat: conversation.conversationType === 'personal',
  };
}

/** True when the click brought Teams' sign-in (a token, or the fallback's state) and it still failed. */
function clickCarriedSignIn(context: TurnContext): boolean {
  const value = context.activity.value as { authentication?: unknown; state?: unknown } | undefined;
  return value?.authentication !== undefined || typeof value?.state === 'string';
}

/**
 * Brings the approvers' card and the requester's tracking card up to date with the request. Each is
 * best effort: a card that cannot be updated must not cost the clicker their answer.
 */
export async function syncApprovalCards(
  deps: Pick<TeamsDeps, 'core' | 'cards'>,
  request: TapRequest,
): Promise<void> {
  const now = deps.core.clock.now();
  const a = request.approval!;
  const updates: Promise<void>[] = [];
  if (a.approvalActivityId)
    updates.push(
      deps.cards.update(
        { conversationId: a.approversConversationId },
        a.approvalActivityId,
        approversCard(request, now),
      ),
    );
  if (request.cardActivityId)
    updates.push(
      deps.cards.update(
        { conversationId: request.conversationId },
        request.cardActivityId,
        trackingCard(request, now),
      ),
    );
  const results = await Promise.allSettled(updates);
  for (const result of results)
    if (result.status === 'rejected') deps.core.onBackgroundError('approval.card_update', result.reason);
  // Every decision and expiry passes here: an Entra custom extension waiting on it is resumed.
  if (request.source?.callout) await deps.core.onApprovalSettled?.(request);
}

/** The notice sender's hook at an approval's expiry: closes it and updates its cards; true if it did. */
export async function closeExpiredApproval(
  deps: Pick<TeamsDeps, 'core' | 'cards'>,
  requestId: string,
): Promise<boolean> {
  const expired = await expireIfDue(deps.core, requestId);
  if (expired) {
    await syncApprovalCards(deps, expired);
    // Another system has no chat to be told in: it reads the expiry from GET /api/requests/{id}.
    return !expired.source;
  }
  // A late click may have recorded the expiry first; the requester still has not been told.
  const latest = (await deps.core.requests.get(requestId))?.value;
  return latest?.state === 'expired' && !latest.source;
}

/** A short message to the requester, so a decision also notifies them (a card update does not). */
async function tellRequester(
  deps: TeamsDeps,
  request: TapRequest,
  title: string,
  message: string,
  tone: 'good' | 'error' | 'neutral',
) {
  // Another system asked: it has no chat, and reads the outcome from GET /api/requests/{id}.
  if (request.source) return;
  await deps.cards
    .post({ conversationId: request.conversationId }, renderClosedCard({ title, message, tone }))
    .catch((error: unknown) => deps.core.onBackgroundError('approval.tell_requester', error));
}

/** Approve, from the approvers' conversation or (after a hand-off) the approver's 1:1 chat. */
export async function onApprove(turn: Turn, action: ActionOf<'tap.approve'>): Promise<void> {
  const click = decisionClick(turn, action.requestId);
  let outcome: DecisionOutcome;
  try {
    outcome = await approveRequest(turn.deps.core, () => turn.graph(), click);
  } catch (error) {
    // Teams tried and still no usable token where they clicked: continue in their 1:1 chat instead.
    if (error instanceof LoginRequiredError && !click.isPersonalChat && clickCarriedSignIn(turn.context))
      if (await handOff(turn, click)) return;
    throw error;
  }
  return answerDecision(turn, outcome);
}

/** Reject with a reason; the clicker's token shows they could approve (nothing is written to Entra). */
export async function onReject(turn: Turn, action: ActionOf<'tap.reject'>): Promise<void> {
  const outcome = await rejectRequest(turn.deps.core, () => turn.graph(), {
    ...decisionClick(turn, action.requestId),
    reason: action.reason,
  });
  return answerDecision(turn, outcome);
}

async function answerDecision(turn: Turn, outcome: DecisionOutcome): Promise<void> {
  const { context, deps } = turn;
  const clicker = turn.person;
  turn.log.info(
    {
      event: 'approval.decision',
      outcome: outcome.kind,
      ...('problem' in outcome ? { code: outcome.problem.code } : {}),
      ...('request' in outcome ? { requestId: outcome.request.id } : {}),
    },
    'approval.decision',
  );
  if (outcome.kind === 'refused') return replyProblem(context, outcome.problem);
  const { request } = outcome;
  await syncApprovalCards(deps, request);
  const target = request.target?.displayName ?? request.query;
  if (outcome.kind === 'reopened' || outcome.kind === 'ended') {
    if (outcome.kind === 'ended' && request.state !== 'expired')
      await tellRequester(
        deps,
        request,
        `No pass for ${target}`,
        `${clicker.name} approved, but: ${outcome.problem.title}.`,
        'error',
      );
    return replyWithCard(context, problemCard(outcome.problem));
  }
  if (outcome.kind === 'rejected') {
    await tellRequester(
      deps,
      request,
      `Your request for ${target} was rejected`,
      `${clicker.name} rejected it: ${request.approval!.rejectReason ?? ''}. Nothing was issued.`,
      'error',
    );
    return replyWithCard(context, approversCard(request, deps.core.clock.now()));
  }
  if (outcome.recordError !== undefined)
    deps.core.onBackgroundError('tap.record_failed', outcome.recordError);
  // The notices it owes were queued with the outcome (one commit).
  const now = deps.core.clock.now();
  const channel = request.approval!.deliverTo;
  if (channel === 'manager' || channel === 'sms') {
    const delivered = await deliverApproved(turn, request, outcome.pass);
    await syncApprovalCards(deps, delivered.request);
    const how = channel === 'sms' ? 'by SMS to their mobile number' : 'to their manager';
    await tellRequester(
      deps,
      delivered.request,
      delivered.delivered ? `Approved: a pass for ${target}` : `No pass for ${target}`,
      delivered.delivered
        ? `${clicker.name} approved your request; the pass went ${how}.`
        : `${clicker.name} approved, but the pass could not be delivered ${how}, so it was revoked.`,
      delivered.delivered ? 'good' : 'error',
    );
    return;
  }
  if (request.approval!.deliverTo === 'approver') {
    await tellRequester(
      deps,
      request,
      `Approved: a pass for ${target}`,
      `${clicker.name} approved your request and has the pass; they will hand it to ${target}.`,
      'good',
    );
    return replyWithCard(context, passCard(request, outcome.pass, now));
  }
  return deliverToRequester(turn, request, outcome.pass);
}

/** DELIVER_TO=requester: the pass waits in memory for one reveal; the approver never sees it. */
async function deliverToRequester(
  turn: Turn,
  request: TapRequest,
  pass: Parameters<typeof passCard>[1],
): Promise<void> {
  const { context, deps } = turn;
  const now = deps.core.clock.now();
  deps.vault.hold(request.id, request.requester.oid, pass);
  try {
    const activityId = await deps.cards.post(
      { personalChatOf: request.requester.oid },
      revealCard(request, now, { kind: 'ready' }),
    );
    if (activityId) await deps.core.requests.patchApproval(request.id, { revealActivityId: activityId });
  } catch (error) {
    deps.core.onBackgroundError('approval.reveal_post', error);
    // Dropping it is the safe answer: a pass nobody can reach must not linger in memory.
    deps.vault.reveal(request.id, request.requester.oid);
    const card = renderClosedCard({
      title: 'Approved, but the requester could not be reached',
      message: `The pass for ${request.target!.displayName} was created, but I could not post the Reveal card to ${request.requester.name}, so it was dropped. Ask them to request again; a new pass replaces this one.`,
      tone: 'warning',
    });
    return replyWithCard(context, card);
  }
  const card = renderClosedCard({
    title: `Approved: pass for ${request.target!.displayName} created`,
    message: `It was offered to ${request.requester.name} in their 1:1 chat with TapDesk, to reveal once within 15 minutes. You will not see it.`,
    tone: 'good',
  });
  return replyWithCard(context, card);
}

/**
 * Hands the approval to the clicker's 1:1 chat with a one-tap card. Returns false when TapDesk has no
 * such chat, and the caller falls back to asking Teams for a sign-in again.
 */
async function handOff(turn: Turn, click: DecisionClick): Promise<boolean> {
  const { context, deps } = turn;
  if (!(await deps.conversations.find('personal', click.clicker.oid))) return false;
  const refused = await allowHandOff(deps.core, click);
  if (refused) {
    await answerDecision(turn, refused);
    return true;
  }
  const row = await deps.core.requests.get(click.requestId);
  await deps.cards.post(
    { personalChatOf: click.clicker.oid },
    handOffCard(row!.value, deps.core.clock.now()),
  );
  turn.log.info({ event: 'approval.handed_off', requestId: click.requestId }, 'approval.handed_off');
  await replyProblem(context, problem('APPROVAL_HANDED_OFF'));
  return true;
}

/** Reveal (DELIVER_TO=requester): the pass once, to its requester, in the invoke response only. */
export async function onReveal(turn: Turn, action: ActionOf<'tap.reveal'>): Promise<void> {
  const { context, deps } = turn;
  const clicker = turn.person;
  const { requestId } = action;
  // The click table: only the requester, only an approval request whose pass is still live.
  const guarded = await guardClick(deps.core, VERBS.reveal, requestId, clicker);
  if (!guarded.ok) return replyProblem(context, guarded.problem);
  const request = guarded.row.value;
  const outcome = deps.vault.reveal(requestId, clicker.oid);
  const now = deps.core.clock.now();
  const messageId = request.approval?.revealActivityId;
  if (outcome.kind === 'not-yours')
    return replyProblem(context, problem('REQUEST_NOT_YOURS', { requesterName: request.requester.name }));
  if (outcome.kind === 'gone') {
    const gone = problemCard(problem('REVEAL_GONE', { who: request.target?.userPrincipalName }));
    return updateCardThenAnswer(turn, request, revealCard(request, now, { kind: 'gone' }), gone, messageId);
  }
  await auditAfterTheFact(deps.core, requestEvent('pass.revealed', request, clicker));
  return updateCardThenAnswer(
    turn,
    request,
    revealCard(request, now, { kind: 'revealed', at: now }),
    passCard(request, outcome.pass, now),
    messageId,
  );
}
