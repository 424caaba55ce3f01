import type { ActionOf } from '../cards/actions.js';
import { storedRequestCard } from '../cards/stored-card.js';
import { faceCheckPanel } from '../facecheck/panel.js';
import { startFaceCheck } from '../facecheck/start.js';
import { ownCardId, replyProblem, updateCardThenAnswer } from './card-replies.js';
import type { Turn } from './turn.js';

/**
 * "Verify with Face Check": the core checks the click and makes the presentation request; the card
 * then shows the QR code and the link, for the admin to show in their call or send to the person.
 */
export async function onFaceCheck(turn: Turn, action: ActionOf<'tap.facecheck'>): Promise<void> {
  const { deps } = turn;
  const settings = deps.core.faceCheck;
  const messageId = ownCardId(turn.context, undefined);
  const outcome = await startFaceCheck(
    { core: deps.core, settings, service: deps.faceCheck },
    { requestId: action.requestId, clicker: turn.person, cardActivityId: messageId },
  );
  if (outcome.kind === 'problem') {
    turn.log.info(
      { event: 'facecheck.refused', requestId: action.requestId, code: outcome.problem.code },
      'facecheck.refused',
    );
    return replyProblem(turn.context, outcome.problem);
  }
  const { request } = outcome;
  turn.log.info(
    {
      event: 'facecheck.started',
      requestId: request.id,
      presentationId: request.faceCheck?.verifiedIdRequestId,
    },
    'facecheck.started',
  );
  const now = turn.now();
  const card = storedRequestCard(request, now, faceCheckPanel(request, settings, now, outcome.qrCode));
  return updateCardThenAnswer(turn, request, card, card, request.faceCheck?.cardActivityId ?? messageId);
}
