import { CardFactory, MessageFactory } from 'botbuilder';
import { onboardingStatusCard } from '../cards/onboard.js';
import type { OnboardingStatusCommand } from '../chat/grammar.js';
import { problemLine } from '../errors/catalog.js';
import { onboardingStatus } from '../onboard/status.js';
import { sendProblemCard } from './card-replies.js';
import type { Turn } from './turn.js';

/** `onboarding status [<who>]`: the asker's onboardings, with the device read live as them. */
export async function runOnboardingStatus(turn: Turn, command: OnboardingStatusCommand): Promise<void> {
  const result = await onboardingStatus(
    turn.deps.core,
    turn.person,
    { directory: () => turn.graph(), devices: () => turn.devices() },
    command,
  );
  turn.log.info(
    {
      event: 'onboarding.status',
      outcome: result.kind,
      ...(result.kind === 'found' ? { shown: result.items.length } : { code: result.problem.code }),
    },
    'onboarding.status',
  );
  if (result.kind === 'problem') return sendProblemCard(turn.context, result.problem);
  const notes = result.liveProblem
    ? [`I could not read the devices now, so enrollment is as last seen. ${problemLine(result.liveProblem)}`]
    : [];
  const card = onboardingStatusCard(
    result.items.map((item) => ({
      request: item.request,
      liveEnrollment: item.live?.enrollmentState ?? null,
    })),
    turn.now(),
    notes,
  );
  await turn.context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}
