import type { ActionOf } from '../cards/actions.js';
import { trackingCard } from '../cards/approval-views.js';
import { closedCard, confirmCard, issuedCard, passCard, problemCard } from '../cards/request-views.js';
import { problem } from '../errors/catalog.js';
import { cancelRequest, chooseTarget } from '../tap/clicks.js';
import { confirmIssue, type ConfirmOutcome } from '../tap/confirm.js';
import { attachCard } from '../tap/request-repository.js';
import { faceCheckPanel } from '../facecheck/panel.js';
import { syncApprovalCards } from './approval-actions.js';
import { ownCardId, replyKeepingCard, replyProblem, updateCardThenAnswer } from './card-replies.js';
import { replyWithCard } from './invoke-response.js';
import type { Turn } from './turn.js';

/** Confirm: the pass goes only into this click's response; the shared card becomes a redacted record. */
export async function onConfirm(turn: Turn, action: ActionOf<'tap.confirm'>): Promise<void> {
  const { deps } = turn;
  const started = performance.now();
  const outcome = await confirmIssue(deps.core, () => turn.graph(), {
    requestId: action.requestId,
    clicker: turn.person,
    verification: action.verification,
    ticket: action.ticket ?? undefined,
  });
  const now = turn.now();
  const ms = Math.round(performance.now() - started);
  if (outcome.kind === 'issued') {
    const { request } = outcome;
    if (outcome.recordError !== undefined) {
      const err = outcome.recordError as Error;
      turn.log.error(
        {
          event: 'tap.record_failed',
          requestId: request.id,
          err: { name: err?.name, message: err?.message },
        },
        'tap.record_failed',
      );
    }
    turn.log.info(
      {
        event: 'tap.issued',
        requestId: request.id,
        targetOid: request.target?.id,
        methodId: request.outcome?.methodId,
        ms,
      },
      'tap.issued',
    );
    // The notices it owes were queued with the outcome (one commit).
    return updateCardThenAnswer(
      turn,
      request,
      issuedCard(request, now),
      passCard(request, outcome.pass, now),
    );
  }
  if (outcome.kind === 'changed') return showChanged(turn, outcome);
  turn.log.info(
    {
      event: 'tap.refused',
      requestId: action.requestId,
      code: outcome.problem.code,
      graph: outcome.graph,
      ms,
    },
    'tap.refused',
  );
  if (outcome.request) {
    const closed = closedCard(outcome.request, outcome.problem);
    return updateCardThenAnswer(turn, outcome.request, closed, problemCard(outcome.problem));
  }
  // A Confirm that lost to another click (a double click) must not replace the pass the winner shows.
  if (outcome.problem.code === 'REQUEST_ALREADY_USED')
    return replyKeepingCard(turn.context, outcome.problem, true);
  return replyProblem(turn.context, outcome.problem);
}

/**
 * The card's facts changed before Confirm: nothing was created. The shared card becomes a fresh one
 * (a new request id, so the old card can never act) that says what changed, and asks again.
 */
async function showChanged(turn: Turn, outcome: Extract<ConfirmOutcome, { kind: 'changed' }>): Promise<void> {
  turn.log.info({ event: 'tap.facts_changed', requestId: outcome.request.id }, 'tap.facts_changed');
  const { next } = outcome;
  const changed = `What changed since the last card: ${outcome.changes.join(' ')}`;
  if (next.kind !== 'confirm') {
    const p = next.kind === 'problem' ? next.problem : problem('REQUEST_SUPERSEDED');
    const told = { ...p, message: `${changed} ${p.message}` };
    return updateCardThenAnswer(turn, outcome.request, closedCard(outcome.request, told), problemCard(told));
  }
  const messageId = ownCardId(turn.context, outcome.request.cardActivityId);
  if (messageId) await attachCard(turn.deps.core.requests, next.view.request.id, messageId);
  const panel = faceCheckPanel(next.view.request, turn.deps.core.faceCheck, turn.now());
  const card = confirmCard({ ...next.view, warnings: [changed, ...next.view.warnings] }, turn.now(), panel);
  return updateCardThenAnswer(turn, outcome.request, card, card, messageId);
}

/** Cancel by the requester: a choice or confirmation card, or an approval request's tracking card. */
export async function onCancel(turn: Turn, action: ActionOf<'tap.cancel'>): Promise<void> {
  const { deps } = turn;
  const outcome = await cancelRequest(deps.core, { requestId: action.requestId, clicker: turn.person });
  if (outcome.kind === 'problem') return replyProblem(turn.context, outcome.problem);
  const { request } = outcome;
  if (request.kind === 'approval') {
    await syncApprovalCards(deps, request);
    return replyWithCard(turn.context, trackingCard(request, turn.now()));
  }
  return updateCardThenAnswer(turn, request, closedCard(request, null), closedCard(request, null));
}

/** The admin picked one of several matching people: plan for them and show the confirmation card. */
export async function onChoose(turn: Turn, action: ActionOf<'tap.choose'>): Promise<void> {
  const outcome = await chooseTarget(turn.deps.core, await turn.graph(), {
    requestId: action.requestId,
    userId: action.userId,
    clicker: turn.person,
  });
  if (outcome.kind !== 'confirm')
    return replyProblem(turn.context, outcome.kind === 'problem' ? outcome.problem : problem('UNEXPECTED'));
  const panel = faceCheckPanel(outcome.view.request, turn.deps.core.faceCheck, turn.now());
  const card = confirmCard(outcome.view, turn.now(), panel);
  return updateCardThenAnswer(turn, outcome.view.request, card, card);
}
