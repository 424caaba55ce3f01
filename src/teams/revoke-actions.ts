import type { TurnContext } from 'botbuilder';
import { renderRevokedCard, renderRevokeConfirmCard } from '../cards/render.js';
import type { Replacement } from '../tap/revoke-replaced.js';
import { problem } from '../errors/catalog.js';
import { reissueFrom } from '../tap/clicks.js';
import { formatWhen } from '../tap/format.js';
import { attachCard } from '../tap/request-repository.js';
import { revokePass } from '../tap/revoke.js';
import { ownCardId, replyProblem, updateCardThenAnswer } from './card-replies.js';
import type { Turn } from './turn.js';
import type { ActionOf } from '../cards/actions.js';
import type { TapRequest } from '../tap/request.js';
import { confirmCard, problemCard } from '../cards/request-views.js';
import { faceCheckPanel } from '../facecheck/panel.js';

/**
 * A list/revoke card is recorded on its revoke request; a notice (in the issuer's 1:1 chat) is not,
 * and the issue request's recorded card is the old confirmation card, which must stay as it is.
 */
function clickedCard(context: TurnContext, request: TapRequest): string | undefined {
  return ownCardId(context, request.kind === 'revoke' ? request.cardActivityId : undefined);
}

/**
 * Revoke: from a list/revoke card (a revoke request) or a notice (the issued request). The message
 * clicked is the one to update; for a notice that is the notice, not the original confirmation card.
 */
export async function onRevoke(turn: Turn, action: ActionOf<'tap.revoke'>): Promise<void> {
  const { context, deps } = turn;
  const clicker = turn.person;
  const outcome = await revokePass(deps.core, () => turn.graph(), { requestId: action.requestId, clicker });
  if (outcome.kind === 'problem') {
    if (!outcome.request) return replyProblem(context, outcome.problem);
    const card = problemCard(outcome.problem);
    return updateCardThenAnswer(turn, outcome.request, card, card, clickedCard(context, outcome.request));
  }
  if (outcome.kind === 'replaced') return showReplaced(turn, outcome);
  const { request } = outcome;
  const now = deps.core.clock.now();
  turn.log.info(
    { event: 'tap.revoked', requestId: request.id, targetOid: request.target?.id, deleted: outcome.deleted },
    'tap.revoked',
  );
  const card = renderRevokedCard({
    revokerName: clicker.name,
    targetName: request.target!.displayName,
    targetUpn: request.target!.userPrincipalName,
    atText: `${formatWhen(now, request.timeZone, now)}${outcome.deleted ? '' : ' (it was already gone)'}`,
  });
  // The notices it owes were queued with the outcome (one commit).
  await updateCardThenAnswer(turn, request, card, card, clickedCard(context, request));
}

/** "Issue a new one" on a notice: a fresh confirmation card in place of the notice, for its issuer. */
export async function onReissue(turn: Turn, action: ActionOf<'tap.reissue'>): Promise<void> {
  const { context, deps } = turn;
  const outcome = await reissueFrom(deps.core, await turn.graph(), {
    requestId: action.requestId,
    clicker: turn.person,
    conversationId: context.activity.conversation.id,
  });
  if (outcome.kind !== 'confirm') {
    return replyProblem(context, outcome.kind === 'problem' ? outcome.problem : problem('UNEXPECTED'));
  }
  // Reissue sits on notices, which live in the issuer's 1:1 chat.
  const messageId = ownCardId(context, undefined);
  if (messageId) await attachCard(deps.core.requests, outcome.view.request.id, messageId);
  const now = deps.core.clock.now();
  const card = confirmCard(outcome.view, now, faceCheckPanel(outcome.view.request, deps.core.faceCheck, now));
  await updateCardThenAnswer(turn, outcome.view.request, card, card, messageId);
}

/**
 * The pass the button named was replaced by a newer one: say so, who issued it and when, and offer
 * to revoke that one instead. Saying "revoked" would be untrue while the person can still sign in.
 */
async function showReplaced(turn: Turn, outcome: Replacement): Promise<void> {
  const { context, deps } = turn;
  const { request, newer, revokeRequest } = outcome;
  const now = turn.now();
  const zone = request.timeZone;
  const by = outcome.newerIssuer ? `by ${outcome.newerIssuer.name}` : 'outside TapDesk';
  turn.log.info(
    { event: 'tap.revoke_replaced', requestId: request.id, targetOid: request.target?.id },
    'tap.revoke_replaced',
  );
  const card = renderRevokeConfirmCard({
    heading: `Nothing revoked yet: that pass was replaced by a newer one, issued ${by} at ${formatWhen(new Date(newer.createdDateTime), zone, now)}. Revoke the newer pass?`,
    requestId: revokeRequest.id,
    targetName: request.target!.displayName,
    targetUpn: request.target!.userPrincipalName,
    createdText: formatWhen(new Date(newer.createdDateTime), zone, now),
    expiresText: formatWhen(
      new Date(Date.parse(newer.startDateTime) + newer.lifetimeInMinutes * 60_000),
      zone,
      now,
    ),
    usableText: newer.isUsable ? 'usable now' : `not usable (${newer.methodUsabilityReason})`,
    requesterName: revokeRequest.requester.name,
    requestExpiresText: formatWhen(new Date(revokeRequest.expiresAt), zone, now),
  });
  const messageId = clickedCard(context, request);
  if (messageId) await attachCard(deps.core.requests, revokeRequest.id, messageId);
  await updateCardThenAnswer(turn, revokeRequest, card, card, messageId);
}
