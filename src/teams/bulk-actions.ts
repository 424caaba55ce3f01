import { MessageFactory } from 'botbuilder';
import { askApproval, cancelBulk, decideBulk } from '../bulk/approval.js';
import { expireBulkIfDue } from '../bulk/expiry.js';
import type { BulkJob } from '../bulk/job.js';
import { reissueBulk } from '../bulk/reissue.js';
import { claimBulk } from '../bulk/run.js';
import type { ActionOf } from '../cards/actions.js';
import { problem, problemLine, type Problem } from '../errors/catalog.js';
import { chatText } from '../text/plain.js';
import { bulkApprovalCard, bulkCard } from '../cards/bulk-views.js';
import { postBulkCard } from './bulk-command.js';
import type { TeamsDeps } from './context.js';
import type { Turn } from './turn.js';
import { replyProblem } from './card-replies.js';
import { replyWithCard } from './invoke-response.js';
import { PlaceUnknownError } from './proactive-cards.js';

/** The requester's own card for their bulk, as it stands now. */
const mineOf = (turn: Turn) => (job: BulkJob) =>
  bulkCard(job, turn.now(), { above: turn.deps.bulk.approvalAbove });

/** Issue: claims the bulk once and starts it in the background with the clicker's own token. */
export async function onBulkConfirm(turn: Turn, action: ActionOf<'bulk.confirm'>): Promise<void> {
  const { context, deps } = turn;
  // The token first: a click that needs a sign-in changes nothing.
  const graph = await turn.graph();
  // An onboarding bulk writes devices as the clicker too: that token (and its consent) before the claim.
  const stored = await deps.bulk.bulk.get(action.bulkId);
  // Only the requester may issue (claimBulk says so to anyone else): nobody else is asked to sign in for it.
  const mine = stored?.value.requester.oid === turn.person.oid;
  const devices = mine && stored?.value.onboarding ? await turn.deviceWrites() : undefined;
  const claimed = await claimBulk(deps.bulk, action.bulkId, turn.person);
  if (!claimed.ok) return refused(turn, claimed.problem, claimed.job);
  turn.log.info(
    { event: 'bulk.started', bulkId: action.bulkId, ready: claimed.row.value.counts.ready },
    'bulk.started',
  );
  deps.bulkRuns.start(graph, claimed.row, devices);
  await syncApproversCard(deps, claimed.row.value);
  return replyWithCard(context, mineOf(turn)(claimed.row.value));
}

export async function onBulkCancel(turn: Turn, action: ActionOf<'bulk.cancel'>): Promise<void> {
  const outcome = await cancelBulk(turn.deps.bulk, action.bulkId, turn.person);
  if (!outcome.ok) return refused(turn, outcome.problem, outcome.job);
  await syncApproversCard(turn.deps, outcome.job);
  return replyWithCard(turn.context, mineOf(turn)(outcome.job));
}

/** Ask a second admin: the approval card goes to the approvers' conversation. */
export async function onBulkAsk(turn: Turn, action: ActionOf<'bulk.ask'>): Promise<void> {
  const { context, deps } = turn;
  const outcome = await askApproval(deps.bulk, action.bulkId, turn.person);
  if (!outcome.ok) return refused(turn, outcome.problem, outcome.job);
  try {
    const id = await deps.cards.post(
      { conversationId: outcome.job.approval!.approversConversationId },
      bulkApprovalCard(outcome.job, turn.now()),
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
  return replyWithCard(context, mineOf(turn)(outcome.job));
}

export const onBulkApprove = (turn: Turn, action: ActionOf<'bulk.approve'>) =>
  decide(turn, action.bulkId, { kind: 'approve', graph: () => turn.graph() });

export const onBulkReject = (turn: Turn, action: ActionOf<'bulk.reject'>) =>
  decide(turn, action.bulkId, { kind: 'reject', reason: action.reason, graph: () => turn.graph() });

/** Approve or reject in the approvers' conversation; the requester hears the verdict. */
async function decide(turn: Turn, bulkId: string, decision: Parameters<typeof decideBulk>[4]): Promise<void> {
  const { context, deps } = turn;
  const clicker = turn.person;
  const outcome = await decideBulk(deps.bulk, bulkId, clicker, context.activity.conversation.id, decision);
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
  return replyWithCard(context, bulkApprovalCard(job, turn.now()));
}

/** Issue again, for the people whose passes nobody holds: a new bulk, validated again. */
export async function onBulkReissue(turn: Turn, action: ActionOf<'bulk.reissue'>): Promise<void> {
  const { context, deps } = turn;
  const outcome = await reissueBulk(deps.bulk, await turn.graph(), action.bulkId, turn.person, () =>
    turn.devices(),
  );
  if (outcome.kind === 'problem') return replyProblem(context, outcome.problem);
  await postBulkCard(context, deps, outcome.job);
  const old = await deps.bulk.bulk.get(action.bulkId);
  if (old) await deps.bulkRuns.showCard(old.value);
  return old ? replyWithCard(context, mineOf(turn)(old.value)) : replyProblem(context, problem('UNEXPECTED'));
}

/** A refused click: the problem for the clicker, and the card refreshed when the bulk has moved on. */
async function refused(turn: Turn, found: Problem, job: BulkJob | undefined): Promise<void> {
  turn.log.info({ event: 'bulk.refused', code: found.code }, 'bulk.refused');
  if (
    job &&
    found.code !== 'BULK_NOT_YOURS' &&
    found.code !== 'APPROVAL_OWN_REQUEST' &&
    found.code !== 'APPROVAL_WRONG_PLACE'
  ) {
    await turn.context.sendActivity(MessageFactory.text(problemLine(found)));
    return replyWithCard(turn.context, mineOf(turn)(job));
  }
  return replyProblem(turn.context, found);
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
