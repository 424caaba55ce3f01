import type { TurnContext } from 'botbuilder';
import { parseAction } from '../cards/actions.js';
import { LoginRequiredError } from '../auth/obo.js';
import { problem, ProblemError } from '../errors/catalog.js';
import { cancelRequest, chooseTarget } from '../tap/clicks.js';
import { confirmIssue, type ConfirmOutcome } from '../tap/confirm.js';
import { attachCard } from '../tap/requests.js';
import { actorOf, type Actor } from './actor.js';
import { logProblemCause, turnFields, type TeamsDeps } from './context.js';
import { replyWithCard, replyWithLoginRequest } from './invoke-response.js';
import { onApprove, onReject, onReveal, syncApprovalCards } from './approval-actions.js';
import { trackingCard } from '../cards/approval-views.js';
import { finish, ownCardId, replyProblem } from './card-replies.js';
import { onReissue, onRevoke } from './revoke-actions.js';
import { onBulkAction } from './bulk-actions.js';
import { closedCard, confirmCard, issuedCard, passCard, problemCard } from '../cards/request-views.js';

interface ExecuteValue {
  action?: { type?: unknown; verb?: unknown; data?: unknown };
}

/** Routes an Action.Execute click (`adaptiveCard/action` invoke) by verb after validating its payload. */
export async function onCardAction(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const action = (context.activity.value as ExecuteValue | undefined)?.action;
  const actor = actorOf(context.activity);
  const parsed = parseAction(String(action?.verb ?? ''), action?.data);
  deps.log.info(
    {
      ...turnFields(context),
      event: 'card.click',
      verb: String(action?.verb ?? '').slice(0, 40),
      valid: parsed.ok,
    },
    'card.click',
  );
  if (!actor) return replyProblem(context, problem('BAD_CARD_PAYLOAD'));
  if (!parsed.ok) {
    const code =
      parsed.reason === 'verification_missing'
        ? 'VERIFICATION_MISSING'
        : parsed.reason === 'reason_missing'
          ? 'REJECT_REASON_MISSING'
          : 'BAD_CARD_PAYLOAD';
    return replyProblem(context, problem(code));
  }
  const clicker = { oid: actor.oid, name: actor.name };
  const graphFor = () => deps.graph.forUser(context, actor.oid, AbortSignal.timeout(5_000));
  try {
    const a = parsed.action;
    if ('bulkId' in a) return await onBulkAction(context, deps, clicker, graphFor, a);
    if (a.verb === 'tap.confirm') return await confirm(context, deps, actor, graphFor, a);
    if (a.verb === 'tap.revoke') return await onRevoke(context, deps, clicker, graphFor, a.requestId);
    if (a.verb === 'tap.reissue') return await onReissue(context, deps, clicker, graphFor, a.requestId);
    if (a.verb === 'tap.approve') return await onApprove(context, deps, clicker, graphFor, a.requestId);
    if (a.verb === 'tap.reject')
      return await onReject(context, deps, clicker, graphFor, a.requestId, a.reason);
    if (a.verb === 'tap.reveal') return await onReveal(context, deps, clicker, a.requestId);
    if (a.verb === 'tap.cancel') {
      const outcome = await cancelRequest(deps.core, { requestId: a.requestId, clicker });
      if (outcome.kind === 'problem') return replyProblem(context, outcome.problem);
      if (outcome.request.kind === 'approval') {
        await syncApprovalCards(deps, outcome.request);
        return replyWithCard(context, trackingCard(outcome.request, deps.core.clock.now()));
      }
      return finish(
        context,
        deps,
        outcome.request,
        closedCard(outcome.request, null),
        closedCard(outcome.request, null),
      );
    }
    const outcome = await chooseTarget(deps.core, await graphFor(), {
      requestId: a.requestId,
      userId: a.userId,
      clicker,
    });
    if (outcome.kind !== 'confirm')
      return replyProblem(context, outcome.kind === 'problem' ? outcome.problem : problem('UNEXPECTED'));
    const card = confirmCard(outcome.view, deps.core.clock.now());
    return finish(context, deps, outcome.view.request, card, card);
  } catch (error) {
    if (error instanceof LoginRequiredError) {
      deps.log.info(
        { ...turnFields(context), event: 'card.login_requested', reason: error.reason },
        'card.login_requested',
      );
      return replyWithLoginRequest(context, deps.sso);
    }
    if (error instanceof ProblemError) {
      logProblemCause(deps, context, error);
      return replyProblem(context, error.problem);
    }
    throw error;
  }
}

async function confirm(
  context: TurnContext,
  deps: TeamsDeps,
  actor: Actor,
  graphFor: () => ReturnType<TeamsDeps['graph']['forUser']>,
  data: { requestId: string; verification: string; ticket: string | null },
): Promise<void> {
  const started = performance.now();
  const outcome = await confirmIssue(deps.core, graphFor, {
    requestId: data.requestId,
    clicker: { oid: actor.oid, name: actor.name },
    verification: data.verification,
    ticket: data.ticket ?? undefined,
  });
  const now = deps.core.clock.now();
  const ms = Math.round(performance.now() - started);
  if (outcome.kind === 'issued') {
    const { request } = outcome;
    if (outcome.recordError !== undefined) {
      const err = outcome.recordError as Error;
      deps.log.error(
        {
          ...turnFields(context),
          event: 'tap.record_failed',
          requestId: request.id,
          err: { name: err?.name, message: err?.message },
        },
        'tap.record_failed',
      );
    }
    deps.log.info(
      {
        ...turnFields(context),
        event: 'tap.issued',
        requestId: request.id,
        targetOid: request.target?.id,
        methodId: request.outcome?.methodId,
        ms,
      },
      'tap.issued',
    );
    await deps.notices.issued(request);
    return finish(context, deps, request, issuedCard(request, now), passCard(request, outcome.pass, now));
  }
  if (outcome.kind === 'changed') return showChanged(context, deps, outcome);
  deps.log.info(
    {
      ...turnFields(context),
      event: 'tap.refused',
      requestId: data.requestId,
      code: outcome.problem.code,
      graph: outcome.graph,
      ms,
    },
    'tap.refused',
  );
  if (outcome.request) {
    const closed = closedCard(outcome.request, outcome.problem);
    return finish(context, deps, outcome.request, closed, problemCard(outcome.problem));
  }
  return replyProblem(context, outcome.problem);
}

/**
 * The card's facts changed before Confirm: nothing was created. The shared card becomes a fresh one
 * (a new request id, so the old card can never act) that says what changed, and asks again.
 */
async function showChanged(
  context: TurnContext,
  deps: TeamsDeps,
  outcome: Extract<ConfirmOutcome, { kind: 'changed' }>,
): Promise<void> {
  deps.log.info(
    { ...turnFields(context), event: 'tap.facts_changed', requestId: outcome.request.id },
    'tap.facts_changed',
  );
  const { next } = outcome;
  const changed = `What changed since the last card: ${outcome.changes.join(' ')}`;
  if (next.kind !== 'confirm') {
    const p = next.kind === 'problem' ? next.problem : problem('REQUEST_SUPERSEDED');
    const closed = closedCard(outcome.request, { ...p, message: `${changed} ${p.message}` });
    return finish(
      context,
      deps,
      outcome.request,
      closed,
      problemCard({ ...p, message: `${changed} ${p.message}` }),
    );
  }
  const messageId = ownCardId(context, outcome.request.cardActivityId);
  if (messageId) await attachCard(deps.core.requests, next.view.request.id, messageId);
  const view = { ...next.view, warnings: [changed, ...next.view.warnings] };
  const card = confirmCard(view, deps.core.clock.now());
  return finish(context, deps, outcome.request, card, card, messageId);
}
