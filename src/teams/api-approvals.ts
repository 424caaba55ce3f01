import { approversCard } from '../cards/approval-views.js';
import type { ApprovalPoster } from '../http/request-api.js';
import type { NoticePlanner } from '../notices/planner.js';
import { ignoreConflict } from '../tap/clicks.js';
import type { CoreDeps } from '../tap/core-deps.js';
import type { TapRequest } from '../tap/request.js';
import type { ConversationReferences } from './conversations.js';
import type { ProactiveCards } from './proactive-cards.js';

/**
 * Posts the approval card of a request another system made into the approvers' conversation,
 * proactively (as notices are sent), records the card's id so clicks can update it, and schedules
 * its expiry. A card that cannot be posted ends the request: nobody could ever decide it.
 */
export function apiApprovalPoster(deps: {
  core: CoreDeps;
  cards: ProactiveCards;
  conversations: ConversationReferences;
  notices: NoticePlanner;
}): ApprovalPoster {
  const { core, cards, conversations, notices } = deps;
  return {
    async reachable() {
      const id = core.approvals.approversConversationId;
      return !!id && !!(await conversations.find('conversation', id));
    },
    async post(request: TapRequest) {
      let activityId: string | undefined;
      try {
        activityId = await cards.post(
          { conversationId: request.approval!.approversConversationId },
          approversCard(request, core.clock.now()),
        );
      } catch (error) {
        core.onBackgroundError('approval.post', error);
        return giveUp(core, request);
      }
      // The card is there and can be clicked: losing its id only costs later updates of it.
      const posted = activityId
        ? await core.requests
            .patchApproval(request.id, { approvalActivityId: activityId })
            .catch((error: unknown) => {
              core.onBackgroundError('approval.card_id', error);
              return request;
            })
        : request;
      await notices.approvalPosted(posted);
      return posted;
    },
  };
}

async function giveUp(core: CoreDeps, request: TapRequest): Promise<TapRequest> {
  const row = await core.requests.get(request.id);
  if (row?.value.state !== 'awaiting') return row?.value ?? request;
  const failed: TapRequest = {
    ...row.value,
    state: 'failed',
    outcome: { problemCode: 'APPROVERS_UNREACHABLE', at: core.clock.now().toISOString() },
  };
  const written = await core.requests.update(row, failed).catch(ignoreConflict);
  return written?.value ?? row.value;
}
