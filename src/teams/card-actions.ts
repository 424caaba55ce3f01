import type { TurnContext } from 'botbuilder';
import { parseAction, type ActionOf, type CardAction, type Verb } from '../cards/actions.js';
import { problem } from '../errors/catalog.js';
import { onApprove, onReject, onReveal } from './approval-actions.js';
import { withinBoundary } from './boundary.js';
import {
  onBulkApprove,
  onBulkAsk,
  onBulkCancel,
  onBulkConfirm,
  onBulkReissue,
  onBulkReject,
} from './bulk-actions.js';
import { replyProblem } from './card-replies.js';
import type { TeamsDeps } from './context.js';
import { turnFields } from './turn-fields.js';
import { replyWithLoginRequest } from './invoke-response.js';
import { onCancel, onChoose, onConfirm } from './request-actions.js';
import { onOnboardConfirm } from './onboard-actions.js';
import { onFaceCheck } from './face-check-actions.js';
import { onReissue, onRevoke } from './revoke-actions.js';
import { onRunSuggestion } from './suggestion-actions.js';
import { onActivate } from './pim-actions.js';
import { startTurn, type Turn } from './turn.js';

/** A click handler gets the turn and the action its verb's schema produced, nothing from the card. */
type ClickHandler<A> = (turn: Turn, action: A) => Promise<void>;

/**
 * One handler per verb; the mapped type makes the compiler require every verb. Which request kind
 * and state each verb may act on, and for whom, is the core's click table (src/tap/click-rules.ts),
 * checked by every handler against the stored request.
 */
const CLICKS: { [V in Verb]: ClickHandler<ActionOf<V>> } = {
  'tap.choose': onChoose,
  'tap.confirm': onConfirm,
  'tap.cancel': onCancel,
  'tap.revoke': onRevoke,
  'tap.reissue': onReissue,
  'tap.approve': onApprove,
  'tap.reject': onReject,
  'tap.reveal': onReveal,
  'bulk.confirm': onBulkConfirm,
  'bulk.ask': onBulkAsk,
  'bulk.approve': onBulkApprove,
  'bulk.reject': onBulkReject,
  'bulk.reissue': onBulkReissue,
  'bulk.cancel': onBulkCancel,
  'chat.run': onRunSuggestion,
  'onboard.confirm': onOnboardConfirm,
  'pim.activate': onActivate,
  'tap.facecheck': onFaceCheck,
};

interface ExecuteValue {
  action?: { type?: unknown; verb?: unknown; data?: unknown };
}

/** Routes an Action.Execute click (`adaptiveCard/action` invoke) by verb after validating its payload. */
export async function onCardAction(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const action = (context.activity.value as ExecuteValue | undefined)?.action;
  const parsed = parseAction(String(action?.verb ?? ''), action?.data);
  const verb = String(action?.verb ?? '').slice(0, 40);
  deps.log.info({ ...turnFields(context), event: 'card.click', verb, valid: parsed.ok }, 'card.click');
  const turn = startTurn(context, deps);
  if (!turn) return replyProblem(context, problem('BAD_CARD_PAYLOAD'));
  if (!parsed.ok) {
    const code =
      parsed.reason === 'verification_missing'
        ? 'VERIFICATION_MISSING'
        : parsed.reason === 'reason_missing'
          ? 'REJECT_REASON_MISSING'
          : 'BAD_CARD_PAYLOAD';
    return replyProblem(context, problem(code));
  }
  const handler = CLICKS[parsed.action.verb] as ClickHandler<CardAction>;
  await withinBoundary(
    turn,
    {
      login: () => replyWithLoginRequest(context, deps.sso),
      problem: (p) => replyProblem(context, p),
    },
    () => handler(turn, parsed.action),
  );
}
