import type { ActionOf } from '../cards/actions.js';
import { onboardResultCard } from '../cards/onboard.js';
import { passCard } from '../cards/request-views.js';
import { confirmOnboarding } from '../onboard/confirm.js';
import { replyKeepingCard, replyProblem, updateCardThenAnswer } from './card-replies.js';
import type { Turn } from './turn.js';

/**
 * Confirm on an onboarding card: the device and then the pass, each with the clicker's own token.
 * The pass goes only into this click's response; the shared card says how each part went.
 */
export async function onOnboardConfirm(turn: Turn, action: ActionOf<'onboard.confirm'>): Promise<void> {
  const started = performance.now();
  const outcome = await confirmOnboarding(
    turn.deps.core,
    { graph: () => turn.graph(), devices: () => turn.deviceWrites() },
    {
      requestId: action.requestId,
      clicker: turn.person,
      verification: action.verification,
      ticket: action.ticket ?? undefined,
      groupTag: action.groupTag,
    },
  );
  const now = turn.now();
  const ms = Math.round(performance.now() - started);
  if (outcome.kind === 'onboarded') {
    const { request } = outcome;
    if (outcome.recordError !== undefined)
      turn.log.error(
        {
          event: 'tap.record_failed',
          requestId: request.id,
          err: { name: (outcome.recordError as Error)?.name },
        },
        'tap.record_failed',
      );
    turn.log.info(
      {
        event: 'onboard.done',
        requestId: request.id,
        targetOid: request.target?.id,
        methodId: request.outcome?.methodId,
        ms,
      },
      'onboard.done',
    );
    return updateCardThenAnswer(
      turn,
      request,
      onboardResultCard(request, now),
      passCard(request, outcome.pass, now),
    );
  }
  turn.log.info(
    {
      event: 'onboard.refused',
      requestId: action.requestId,
      kind: outcome.kind,
      code: outcome.problem.code,
      ms,
    },
    'onboard.refused',
  );
  // A Confirm that lost to another click (a double click) must not replace the pass the winner shows.
  if (outcome.problem.code === 'REQUEST_ALREADY_USED')
    return replyKeepingCard(turn.context, outcome.problem, true);
  if (!outcome.request) return replyProblem(turn.context, outcome.problem);
  const told =
    outcome.kind === 'pass-refused'
      ? { problem: outcome.problem, reason: outcome.reason }
      : { problem: outcome.problem };
  const card = onboardResultCard(outcome.request, now, told);
  return updateCardThenAnswer(turn, outcome.request, card, card);
}
