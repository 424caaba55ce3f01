import { CardFactory, MessageFactory } from 'botbuilder';
import type { Turn } from './turn.js';
import { problem } from '../errors/catalog.js';
import { requestApproval, type RequestCommand } from '../tap/approval-request.js';
import { ignoreConflict } from '../tap/clicks.js';
import { attachCard } from '../tap/request-repository.js';
import { approversCard, trackingCard } from '../cards/approval-views.js';
import type { TeamsDeps } from './context.js';
import { sendProblemCard } from './card-replies.js';

/**
 * `request TAP for …`: checks (as the requester) that they may ask, stores the approval request,
 * posts the approval card into the approvers' conversation and answers with a tracking card.
 */
export async function runRequest(turn: Turn, command: RequestCommand): Promise<void> {
  const { context, deps, actor } = turn;
  const graph = await turn.graph();
  const settings = deps.core.approvals;
  // Refuse before anything is stored when the card could not reach approvers or the pass its requester.
  if (settings.approversConversationId) {
    const approvers = await deps.conversations.find('conversation', settings.approversConversationId);
    if (!approvers) return sendProblemCard(context, problem('APPROVERS_UNREACHABLE'));
  }
  if (command.deliverTo === 'sms' && !deps.delivery?.sms)
    return sendProblemCard(context, problem('SMS_NOT_CONFIGURED'));
  const deliverTo = command.deliverTo ?? settings.deliverTo;
  if (deliverTo === 'requester' && !(await deps.conversations.find('personal', actor.oid)))
    return sendProblemCard(context, problem('REQUEST_FROM_PERSONAL_CHAT'));

  const outcome = await requestApproval(deps.core, graph, {
    requester: { oid: actor.oid, name: actor.name },
    timeZone: actor.timeZone,
    utcOffsetMinutes: actor.utcOffsetMinutes,
    conversationId: context.activity.conversation.id,
    command,
  });
  turn.log.info(
    {
      event: 'approval.prepared',
      outcome: outcome.kind,
      ...(outcome.kind === 'problem' ? { code: outcome.problem.code } : {}),
    },
    'approval.prepared',
  );
  if (outcome.kind === 'problem') return sendProblemCard(context, outcome.problem);

  const now = deps.core.clock.now();
  let request = outcome.view.request;
  try {
    const activityId = await deps.cards.post(
      { conversationId: request.approval!.approversConversationId },
      approversCard(request, now),
    );
    if (activityId)
      request = await deps.core.requests.patchApproval(request.id, { approvalActivityId: activityId });
  } catch (error) {
    // Nobody can approve a request whose card never arrived: end it instead of leaving it open.
    deps.core.onBackgroundError('approval.post', error);
    await giveUp(deps, request.id);
    return sendProblemCard(context, problem('APPROVERS_UNREACHABLE'));
  }
  await deps.notices.approvalPosted(request);
  const sent = await context.sendActivity(
    MessageFactory.attachment(CardFactory.adaptiveCard(trackingCard(request, now))),
  );
  if (sent?.id) await attachCard(deps.core.requests, request.id, sent.id);
}

async function giveUp(deps: TeamsDeps, requestId: string): Promise<void> {
  const row = await deps.core.requests.get(requestId);
  if (row?.value.state !== 'awaiting') return;
  await deps.core.requests
    .update(row, {
      ...row.value,
      state: 'failed',
      outcome: { problemCode: 'APPROVERS_UNREACHABLE', at: deps.core.clock.now().toISOString() },
    })
    .catch(ignoreConflict);
}
