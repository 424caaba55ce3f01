import type { CreatedTap, TapGraph } from '../graph/port.js';
import type { Clicker } from '../tap/clicks.js';
import type { CoreDeps } from '../tap/core-deps.js';
import type { PassVault } from '../tap/pass-vault.js';
import type { Person, TapRequest } from '../tap/request.js';
import { failDelivery, recordDelivered, type DeliveryOutcome } from './outcome.js';

const READ_TIMEOUT_MS = 5_000;

/** How TapDesk reaches a manager in Teams; the Teams layer implements it (src/teams/manager-channel.ts). */
export interface ManagerChannel {
  /** True when TapDesk has a 1:1 chat with this person (a stored conversation reference). */
  hasChat(oid: string): Promise<boolean>;
  /**
   * Installs TapDesk for the person with its own app-only Graph permission and waits for the 1:1
   * chat that creates; true once TapDesk can post there.
   */
  installAndWait(oid: string): Promise<boolean>;
  /** Posts the one-time Reveal card in the person's 1:1 chat; returns its activity id. */
  postReveal(oid: string, request: TapRequest): Promise<string | undefined>;
}

/**
 * deliverTo manager: the manager is read from Entra with the approver's own token at Approve (never
 * from the request), recorded as the only person who may reveal, and offered the pass once on a
 * Reveal card in their 1:1 chat. The pass waits in memory only (PassVault), as for DELIVER_TO=requester.
 */
export async function deliverToManager(
  deps: CoreDeps,
  channel: ManagerChannel,
  vault: PassVault,
  graph: TapGraph,
  request: TapRequest,
  pass: CreatedTap,
  clicker: Clicker,
): Promise<DeliveryOutcome> {
  const fail = (why: string, destination = 'their manager') =>
    failDelivery(deps, graph, request, pass, clicker, { channel: 'manager', destination, why });
  let manager;
  try {
    manager = await graph.getManager(request.target!.id, AbortSignal.timeout(READ_TIMEOUT_MS));
  } catch {
    return fail('the manager could not be read from Entra');
  }
  if (!manager) return fail('the person has no manager in Entra');
  if (manager.id === clicker.oid || manager.id === request.target!.id)
    return fail('the manager is the approver or the person themselves', manager.displayName);
  const recipient: Person = { oid: manager.id, name: manager.displayName };
  // Recorded before the card exists, so the Reveal click's guard knows whose it is.
  const withRecipient = await deps.requests.patchApproval(request.id, {
    delivery: { ...request.approval?.delivery, recipient },
  });
  const reachable =
    (await channel.hasChat(recipient.oid)) ||
    (await channel.installAndWait(recipient.oid).catch(() => false));
  if (!reachable) return fail('TapDesk could not reach the manager in Teams', recipient.name);
  vault.hold(request.id, recipient.oid, pass);
  try {
    const activityId = await channel.postReveal(recipient.oid, withRecipient);
    if (activityId) await deps.requests.patchApproval(request.id, { revealActivityId: activityId });
  } catch {
    // A pass nobody can reach must not linger in memory, nor on the account.
    vault.reveal(request.id, recipient.oid);
    return fail('the Reveal card could not be posted to the manager', recipient.name);
  }
  return recordDelivered(deps, withRecipient, clicker, 'manager', recipient.name, { recipient });
}
