import { CardFactory, MessageFactory } from 'botbuilder';
import type { ActionOf } from '../cards/actions.js';
import { renderActivateCard } from '../cards/activate.js';
import { choiceCard, confirmCard, problemCard } from '../cards/request-views.js';
import { ProblemError, type Problem } from '../errors/catalog.js';
import { activateRole } from '../pim/activate.js';
import { offerActivation } from '../pim/offer.js';
import { formatWhen } from '../tap/format.js';
import type { PrepareInput } from '../tap/prepare.js';
import { attachCard } from '../tap/request-repository.js';
import type { TapRequest } from '../tap/request.js';
import { replyProblem, updateCardThenAnswer } from './card-replies.js';
import type { Turn } from './turn.js';

/** Whom the pass is for, in words: the one person found, or how many matched what was typed. */
function forText(request: TapRequest): string {
  const people = request.candidates ?? [];
  if (people.length === 1) return `${people[0]!.displayName} (${people[0]!.userPrincipalName})`;
  return `one of the ${people.length} people matching '${request.query}'`;
}

/** The refusal card with its Activate form, for a request waiting for its requester's activation. */
export function activateCard(turn: Turn, request: TapRequest, shown?: Problem) {
  const now = turn.now();
  return renderActivateCard({
    requestId: request.id,
    roleName: request.activation?.displayName ?? 'the role',
    forText: forText(request),
    // The issue command carries no ticket or reason: what was asked is the honest justification.
    justification: `Issue a Temporary Access Pass for ${forText(request)}, asked in TapDesk.`,
    requestExpiresText: formatWhen(new Date(request.expiresAt), request.timeZone, now),
    ...(shown ? { problem: shown } : {}),
  });
}

/**
 * After a TAP_ROLE_MISSING refusal: when the actor is eligible for a role that can create passes, sends
 * the refusal card with "Activate <role>" and returns true. False leaves the plain refusal to the
 * caller: not eligible, or the eligibility could not be read (no consent, Graph failing), which is
 * logged and never worse than the refusal alone.
 */
export async function sendActivationOffer(turn: Turn, input: PrepareInput): Promise<boolean> {
  const { context, deps } = turn;
  let offer;
  try {
    offer = await offerActivation(deps.core, await turn.graph(), await turn.pim(), input);
  } catch (error) {
    const code = error instanceof ProblemError ? error.problem.code : undefined;
    turn.log.warn(
      { event: 'pim.offer_unavailable', err: (error as Error).name, ...(code ? { code } : {}) },
      'pim.offer_unavailable',
    );
    return false;
  }
  if (!offer) return false;
  if (offer.kind === 'problem') {
    await context.sendActivity(
      MessageFactory.attachment(CardFactory.adaptiveCard(problemCard(offer.problem))),
    );
    return true;
  }
  const card = activateCard(turn, offer.request);
  const sent = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  // As for confirmation cards: in a shared chat the card's message id is recorded, never taken from a click.
  if (sent?.id && context.activity.conversation.conversationType !== 'personal')
    await attachCard(deps.core.requests, offer.request.id, sent.id);
  turn.log.info({ event: 'pim.offered', requestId: offer.request.id }, 'pim.offered');
  return true;
}

/** "Activate <role>": activate with the clicker's own token, then the card the command goes on to. */
export async function onActivate(turn: Turn, action: ActionOf<'pim.activate'>): Promise<void> {
  const outcome = await activateRole(
    turn.deps.core,
    { graph: () => turn.graph(), pim: () => turn.pim() },
    {
      requestId: action.requestId,
      clicker: turn.person,
      minutes: action.minutes,
      justification: action.justification,
      ticket: action.ticket,
    },
  );
  turn.log.info(
    {
      event: 'pim.activate',
      requestId: action.requestId,
      outcome: outcome.kind,
      ...(outcome.kind !== 'activated' ? { code: outcome.problem.code } : {}),
    },
    'pim.activate',
  );
  if (outcome.kind === 'problem') return replyProblem(turn.context, outcome.problem);
  if (outcome.kind === 'not-active') {
    const card = activateCard(turn, outcome.request, outcome.problem);
    return updateCardThenAnswer(turn, outcome.request, card, card);
  }
  const { next } = outcome;
  if (next.kind === 'problem') return replyProblem(turn.context, next.problem);
  const request = next.kind === 'choose' ? next.request : next.view.request;
  const card =
    next.kind === 'choose' ? choiceCard(next.request, next.more) : confirmCard(next.view, turn.now());
  return updateCardThenAnswer(turn, request, card, card);
}
