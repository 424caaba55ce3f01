import type { CreatedTap } from '../graph/port.js';
import type { TapRequest } from '../tap/request.js';

/** "2026-12-05 14:05 UTC": an SMS is read anywhere, so the time says its zone and its day. */
const utc = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The SMS: who issued the pass, until when, and never to share it. An SMS shows no markup, so the
 * approver's directory name needs no escaping, only a length cap.
 */
export function smsText(request: TapRequest, pass: CreatedTap): string {
  const issuer = (request.approval?.decidedBy?.name ?? 'your IT team').slice(0, 40);
  const until = new Date(Date.parse(pass.startDateTime) + pass.lifetimeInMinutes * 60_000);
  const once = pass.isUsableOnce ? ' It works once.' : '';
  return `Temporary Access Pass issued by ${issuer}: ${pass.temporaryAccessPass} - valid until ${utc(until)}.${once} Never share this code with anyone, IT included.`;
}
