import { CardFactory, MessageFactory } from 'botbuilder';
import { onboardCard } from '../cards/onboard.js';
import type { OnboardCommand } from '../chat/grammar.js';
import { faceCheckPanel } from '../facecheck/panel.js';
import { prepareOnboarding } from '../onboard/prepare.js';
import { attachCard } from '../tap/request-repository.js';
import { sendProblemCard } from './card-replies.js';
import type { Turn } from './turn.js';

/** `onboard alice on PF4KX1A3 …`: reads and checks as the admin, then posts the onboarding card. */
export async function runOnboard(turn: Turn, command: OnboardCommand): Promise<void> {
  const { context, deps, actor } = turn;
  const started = performance.now();
  const outcome = await prepareOnboarding(deps.core, await turn.graph(), () => turn.devices(), {
    requester: turn.person,
    timeZone: actor.timeZone,
    utcOffsetMinutes: actor.utcOffsetMinutes,
    conversationId: turn.conversationId,
    command,
  });
  turn.log.info(
    {
      event: 'onboard.prepared',
      outcome: outcome.kind,
      ms: Math.round(performance.now() - started),
      ...(outcome.kind === 'problem' ? { code: outcome.problem.code } : {}),
    },
    'onboard.prepared',
  );
  if (outcome.kind === 'problem') return sendProblemCard(context, outcome.problem);
  const card = onboardCard(
    outcome.view,
    turn.now(),
    faceCheckPanel(outcome.view.request, deps.core.faceCheck, turn.now()),
  );
  const sent = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  // As for issue cards: stored before posting; a shared chat records which message is the card.
  if (sent?.id && context.activity.conversation.conversationType !== 'personal')
    await attachCard(deps.core.requests, outcome.view.request.id, sent.id);
}
