import type { CreatedTap, TapGraph } from '../graph/port.js';
import type { Clicker } from '../tap/clicks.js';
import type { CoreDeps } from '../tap/core-deps.js';
import type { TapRequest } from '../tap/request.js';
import { failDelivery, recordDelivered, type DeliveryOutcome } from './outcome.js';
import { smsDestination, toE164 } from './phone.js';
import { SmsSendError, type SmsSender } from './sms-port.js';
import { smsText } from './sms-text.js';

const READ_TIMEOUT_MS = 5_000;

/**
 * deliverTo sms, right after the approver's token created the pass: the number is read again from
 * the person's directory entry with that same token (never taken from the request or the store),
 * must be the number the card showed (compared by fingerprint), and gets exactly one SMS. Any
 * failure, including an answer that never came, revokes the pass (outcome.ts).
 */
export async function deliverBySms(
  deps: CoreDeps,
  sms: SmsSender | undefined,
  graph: TapGraph,
  request: TapRequest,
  pass: CreatedTap,
  clicker: Clicker,
): Promise<DeliveryOutcome> {
  const shown = request.approval?.delivery;
  const fail = (why: string, destination = shown?.smsMasked ?? 'unknown') =>
    failDelivery(deps, graph, request, pass, clicker, { channel: 'sms', destination, why });
  if (!sms) return fail('SMS is not set up on this TapDesk (ACS_ENDPOINT, ACS_SMS_FROM)');
  let phone: string | null;
  try {
    phone = await graph.getMobilePhone(request.target!.id, AbortSignal.timeout(READ_TIMEOUT_MS));
  } catch {
    return fail('the mobile number could not be read from Entra');
  }
  const destination = smsDestination(phone);
  const to = toE164(phone);
  if (!destination || !to) return fail('the person has no mobile number in Entra that can be texted');
  if (shown?.smsSha256 && shown.smsSha256 !== destination.sha256)
    return fail('the mobile number in Entra changed after the card showed it', destination.masked);
  try {
    await sms.send({ to, message: smsText(request, pass) });
  } catch (error) {
    if (!(error instanceof SmsSendError)) throw error;
    const why = error.maybeSent
      ? `the SMS service did not confirm the message to ${destination.masked}`
      : `the SMS service refused the message to ${destination.masked}`;
    return fail(why, destination.masked);
  }
  return recordDelivered(deps, request, clicker, 'sms', destination.masked, {
    smsMasked: destination.masked,
    smsSha256: destination.sha256,
  });
}
