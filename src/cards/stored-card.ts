import type { FaceCheckPanel } from './confirm.js';
import { storedOnboardCard } from './onboard.js';
import { storedConfirmCard } from './request-views.js';
import type { AdaptiveCardJson } from './template.js';
import type { TapRequest } from '../tap/request.js';

/** The card that asks for Confirm, drawn from the stored request: an onboarding's own, or the issue card. */
export function storedRequestCard(
  request: TapRequest,
  now: Date,
  faceCheck?: FaceCheckPanel,
): AdaptiveCardJson {
  return request.kind === 'onboard'
    ? storedOnboardCard(request, now, faceCheck)
    : storedConfirmCard(request, now, faceCheck);
}
