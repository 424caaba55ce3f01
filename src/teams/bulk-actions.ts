import { MessageFactory, type TurnContext } from 'botbuilder';
import { askApproval, cancelBulk, decideBulk } from '../bulk/approval.js';
import { expireBulkIfDue } from '../bulk/expiry.js';
import type { BulkJob } from '../bulk/job.js';
import { reissueBulk } from '../bulk/reissue.js';
import { claimBulk } from '../bulk/run.js';
import type { CardAction } from '../cards/actions.js';
import { problem, problemLine } from '../errors/catalog.js';
import { chatText } from '../text/plain.js';
import type { TapGraph } from '../graph/port.js';
import type { Person } from '../tap/request.js';
import { bulkApprovalCard, bulkCard } from '../cards/bulk-views.js';
import { postBulkCard } from './bulk-command.js';
import { turnFields, type TeamsDeps } from './context.js';
import { replyProblem } from './card-replies.js';
import { replyWithCard } from './invoke-response.js';
import { PlaceUnknownError } from './proactive-cards.js';

type BulkAction = Extract<CardAction, { bulkId: string }>;

/** Routes a click on a bulk card; every check reads the stored bulk, never the card. */
export async function onBulkAction(
  context: TurnContext,
  deps: TeamsDeps,
  clicker: Person,
  graphFor: () => Promise<TapGraph>,
  action: BulkAction,
): Promise<void> {
  const now = () => deps.core.clock.now();
  const mine = (job: BulkJob) => bulkCard(job, now(), { above: deps.bulk.approvalAbove });
  switch (action.verb) {
    case 'bulk.confirm': {
      // The token first: a click that needs a sign-in changes nothing.
      const graph = await graphFor();
      const claimed = await claimBulk(deps.bulk, action.bulkId, clicker);
      if (!claimed.ok) return refused(context, deps, claimed.problem, claimed.job, mine);
      deps.log.info(
        {
          ...turnFields(context),
          event: 'bulk.started',
          bulkId: action.bulkId,
          ready: claimed.row.value.counts.ready,
        },
        'bulk.started',
      );
      deps.bulkRuns.start(graph, claimed.row);
      await syncApproversCard(deps, claimed.row.value);
      return replyWithCard(context, mine(claimed.row.value));
    }
    case 'bulk.cancel': {
      const outcome = await cancelBulk(deps.bulk, action.bulkId, clicker);
      if (!outcome.ok) return refused(context, deps, outcome.problem, outcome.job, mine);
      await syncApproversCard(deps, outcome.job);
      return replyWithCard(context, mine(outcome.job));
    }
    case 'bulk.ask': {
      const outcome = await askApproval(deps.bulk, action.bulkId, clicker);
      if (!outcome.ok) return refused(context, deps, outcome.problem, outcome.job, mine);
      try {
        const id = await deps.cards.post(
          { conversationId: outcome.job.approval!.approversConversationId },
          bulkApprovalCard(outcome.job, now()),
        );
        if (id)
          await deps.bulk.bulk.patch(outcome.job.id, (j) => ({
            ...j,
            approval: { ...j.approval!, activityId: id },
          }));
      } catch (error) {
        if (!(error instanceof PlaceUnknownError)) throw error;
        // Nobody could see it: close the bulk rather than leave the requester waiting for nobody.
        await deps.bulk.bulk.patch(outcome.job.id, (j) => ({ ...j, state: 'cancelled' }));
        return replyProblem(context, problem('APPROVERS_UNREACHABLE'));
      }
      await deps.notices.bulkWaiting(outcome.job);
      return replyWithCard(context, mine(outcome.job));
    }
    case 'bulk.approve':
    case 'bulk.reject': {
      const outcome = await decideBulk(
        deps.bulk,
        action.bulkId,
        clicker,
        context.activity.conversation.id,
        'reason' in action ? { kind: 'reject', reason: action.reason } : { kind: 'approve', graph: graphFor },
      );
      // In the approvers' conversation a refusal is for the clicker's eyes only.
      if (!outcome.ok) return replyProblem(context, outcome.problem);
      const job = outcome.job;
      await syncApproversCard(deps, job);
      await deps.bulkRuns.showCard(job);
      // Approval restarts the clock for the requester's Issue click; that deadline closes it too.
      if (job.state === 'approved') await deps.notices.bulkWaiting(job);
      const verdict =
        job.state === 'approved'
          ? chatText`${clicker.name} approved your bulk of ${job.counts.ready} passes. Click "Issue" on its card when you are ready.`
          : chatText`${clicker.name} rejected your bulk of ${job.counts.ready} passes: ${job.approval?.rejectReason ?? ''}`;
      await deps.cards
        .send({ conversationId: job.conversationId }, { type: 'message', text: verdict })
        .catch((error: unknown) => deps.core.onBackgroundError('bulk.verdict_message', error));
      return replyWithCard(context, bulkApprovalCard(job, now()));
    }
    case 'bulk.reissue': {
      const outcome = await reissueBulk(deps.bulk, await graphFor(), action.bulkId, clicker);
      if (outcome.kind === 'problem') return replyProblem(context, outcome.problem);
      await postBulkCard(context, deps, outcome.job);
      const old = await deps.bulk.bulk.get(action.bulkId);
      if (old) await deps.bulkRuns.showCard(old.value);
      return old ? replyWithCard(context, mine(old.value)) : replyProblem(context, problem('UNEXPECTED'));
    }
  }
}

/** A refused click: the problem for the clicker, and the card refreshed when the bulk has moved on. */
async function refused(
  context: TurnContext,
  deps: TeamsDeps,
  found: ReturnType<typeof problem>,
  job: BulkJob | undefined,
  render: (job: BulkJob) => ReturnType<typeof bulkCard>,
): Promise<void> {
  deps.log.info({ ...turnFields(context), event: 'bulk.refused', code: found.code }, 'bulk.refused');
  if (
    job &&
    found.code !== 'BULK_NOT_YOURS' &&
    found.code !== 'APPROVAL_OWN_REQUEST' &&
    found.code !== 'APPROVAL_WRONG_PLACE'
  ) {
    await context.sendActivity(MessageFactory.text(problemLine(found)));
    return replyWithCard(context, render(job));
  }
  return replyProblem(context, found);
}

/**
 * The notice scheduler's hook at a waiting bulk's deadline: closes it if nothing happened in time and
 * brings both its cards up to date; true when the requester should be told.
 */
export async function closeExpiredBulk(
  deps: Pick<TeamsDeps, 'core' | 'cards' | 'bulk' | 'bulkRuns'>,
  bulkId: string,
  deadline: string,
): Promise<boolean> {
  const expired = await expireBulkIfDue(deps.bulk, bulkId, deadline);
  if (!expired) return false;
  await syncApproversCard(deps, expired);
  await deps.bulkRuns.showCard(expired);
  return true;
}

async function syncApproversCard(deps: Pick<TeamsDeps, 'core' | 'cards'>, job: BulkJob): Promise<void> {
  const id = job.approval?.activityId;
  if (!id) return;
  await deps.cards
    .update(
      { conversationId: job.approval!.approversConversationId },
      id,
      bulkApprovalCard(job, deps.core.clock.now()),
    )
    .catch((error: unknown) => deps.core.onBackgroundError('bulk.approvers_card', error));
}
