import { renderClosedCard } from '../cards/render.js';
import { problemCard } from '../cards/request-views.js';
import { deliverToManager } from '../delivery/manager-deliver.js';
import type { DeliveryOutcome } from '../delivery/outcome.js';
import { deliverBySms } from '../delivery/sms-deliver.js';
import type { CreatedTap } from '../graph/port.js';
import type { TapRequest } from '../tap/request.js';
import { replyWithCard } from './invoke-response.js';
import { managerChannel } from './manager-channel.js';
import type { Turn } from './turn.js';

/**
 * deliverTo manager or sms, after the approver's click created the pass: delivers it with the
 * approver's own token for every read and the revoke, and answers the approver without the pass.
 * Returns the request as the delivery left it, for the cards and the requester's message.
 */
export async function deliverApproved(
  turn: Turn,
  request: TapRequest,
  pass: CreatedTap,
): Promise<{ request: TapRequest; delivered: boolean }> {
  const { context, deps } = turn;
  const graph = await turn.graph();
  const outcome: DeliveryOutcome =
    request.approval!.deliverTo === 'sms'
      ? await deliverBySms(deps.core, deps.delivery?.sms, graph, request, pass, turn.person)
      : await deliverToManager(
          deps.core,
          managerChannel(deps),
          deps.vault,
          graph,
          request,
          pass,
          turn.person,
        );
  turn.log.info(
    {
      event: 'delivery.outcome',
      requestId: request.id,
      channel: request.approval!.deliverTo,
      outcome: outcome.kind,
      ...(outcome.kind === 'failed' ? { code: outcome.problem.code } : {}),
    },
    'delivery.outcome',
  );
  if (outcome.kind === 'failed') {
    await replyWithCard(context, problemCard(outcome.problem));
    return { request: outcome.request, delivered: false };
  }
  const target = request.target!.displayName;
  const where =
    request.approval!.deliverTo === 'sms'
      ? `sent by SMS to ${outcome.destination}, the mobile number on ${target}'s directory entry`
      : `offered to ${outcome.destination}, ${target}'s manager, on a Reveal card in their 1:1 chat with TapDesk, to reveal once within 15 minutes`;
  await replyWithCard(
    context,
    renderClosedCard({
      title: `Approved: pass for ${target} created`,
      message: `It was ${where}. You will not see it.`,
      tone: 'good',
    }),
  );
  return { request: outcome.request, delivered: true };
}
