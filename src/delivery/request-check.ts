import { problem, type Problem } from '../errors/catalog.js';
import type { TapGraph } from '../graph/port.js';
import type { DeliveryInfo } from '../tap/request.js';
import { smsDestination } from './phone.js';

export type DeliveryCheck = { ok: true; delivery?: DeliveryInfo } | { ok: false; problem: Problem };

/**
 * Before anyone approves: can the chosen channel reach the person at all? For SMS the number is read
 * from the person's directory entry (the reader's own token) and kept only masked and fingerprinted;
 * for the manager, the person must have one. Refused here, nobody approves a pass that cannot arrive.
 */
export async function checkDeliveryChannel(
  graph: TapGraph,
  channel: string,
  person: { id: string; displayName: string; userPrincipalName: string },
  manager: { id: string } | null,
  signal: AbortSignal,
): Promise<DeliveryCheck> {
  const ctx = { targetName: person.displayName, who: person.userPrincipalName };
  if (channel === 'manager')
    return manager ? { ok: true } : { ok: false, problem: problem('MANAGER_NONE', ctx) };
  if (channel !== 'sms') return { ok: true };
  const destination = smsDestination(await graph.getMobilePhone(person.id, signal));
  if (!destination) return { ok: false, problem: problem('SMS_NO_MOBILE', ctx) };
  return { ok: true, delivery: { smsMasked: destination.masked, smsSha256: destination.sha256 } };
}
