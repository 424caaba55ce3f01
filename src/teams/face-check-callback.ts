import type { Request, Response } from 'restify';
import { storedRequestCard } from '../cards/stored-card.js';
import { recordCallback } from '../facecheck/callback.js';
import { faceCheckPanel } from '../facecheck/panel.js';
import { readJsonObject, refuseByHeaders } from '../http/inbound-body.js';
import type { Logger } from '../log.js';
import type { CoreDeps } from '../tap/core-deps.js';
import { conversationRoot, type TapRequest } from '../tap/request.js';
import type { ProactiveCards } from './proactive-cards.js';

/** A callback carries the credential's claims, which may include the employee photo: room for it, no more. */
const MAX_CALLBACK_BYTES = 512 * 1024;

/** Moves the confirmation card to what the callback changed, for everyone in its conversation. */
async function redrawCard(core: CoreDeps, cards: ProactiveCards, request: TapRequest): Promise<void> {
  const activityId = request.faceCheck?.cardActivityId ?? request.cardActivityId;
  if (!activityId) return;
  const now = core.clock.now();
  const card = storedRequestCard(request, now, faceCheckPanel(request, core.faceCheck, now));
  await cards.update({ conversationId: conversationRoot(request.conversationId) }, activityId, card);
}

/**
 * `POST /api/verified-id/callback`: the Verified ID Request Service reports on a Face Check. Answered as
 * soon as the result is recorded (one read, one commit); the card is redrawn after the answer. Logs say
 * what happened to which request, never the key or the claims.
 */
export function faceCheckCallback(core: CoreDeps, cards: ProactiveCards, log: Logger) {
  return async (req: Request, res: Response): Promise<void> => {
    const refusal = refuseByHeaders(req);
    const read = refusal ? refusal : await readJsonObject(req, MAX_CALLBACK_BYTES);
    if ('status' in read) {
      log.warn(
        { event: 'facecheck.callback_refused', status: read.status, reason: read.reason },
        'facecheck.callback_refused',
      );
      res.setHeader('connection', 'close');
      res.sendRaw(read.status, '');
      return;
    }
    await core.clock.sync(AbortSignal.timeout(2_000));
    const key = req.headers['api-key'];
    const outcome = await recordCallback(core, core.faceCheck!, {
      apiKey: typeof key === 'string' ? key : undefined,
      body: read.body,
    });
    const requestId = typeof read.body.state === 'string' ? read.body.state.slice(0, 40) : undefined;
    if (outcome.status !== 200) {
      log.warn(
        { event: 'facecheck.callback_refused', status: outcome.status, reason: outcome.reason, requestId },
        'facecheck.callback_refused',
      );
      res.sendRaw(outcome.status, '');
      return;
    }
    res.sendRaw(200, '');
    const changed = outcome.changed;
    if (!changed) return;
    log.info(
      {
        event: 'facecheck.callback',
        requestId: changed.id,
        status: changed.faceCheck?.status,
        score: changed.faceCheck?.score,
      },
      'facecheck.callback',
    );
    redrawCard(core, cards, changed).catch((error: unknown) =>
      log.warn(
        { event: 'facecheck.card_update_failed', requestId: changed.id, err: (error as Error)?.message },
        'facecheck.card_update_failed',
      ),
    );
  };
}
