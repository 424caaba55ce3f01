import type { TapGraph, TapPolicy } from './port.js';

/** Where the tenant policy comes from when TapDesk may read it itself; undefined means "ask Graph as the admin". */
export interface PolicySource {
  current(): Promise<TapPolicy | undefined>;
}

/**
 * An admin's delegated Graph client whose policy read comes from TapDesk's own app-only read when
 * that works, so cards show the policy even to admins whose role cannot read it. Everything else,
 * above all creating and deleting passes, stays the admin's own delegated call.
 */
export function withTenantPolicy(graph: TapGraph, source: PolicySource): TapGraph {
  const wrapped: TapGraph = {
    getUser: (idOrUpn, signal) => graph.getUser(idOrUpn, signal),
    findUsers: (search, limit, signal) => graph.findUsers(search, limit, signal),
    getManager: (userId, signal) => graph.getManager(userId, signal),
    getRoles: (userId, signal) => graph.getRoles(userId, signal),
    isMemberOf: (groupId, signal) => graph.isMemberOf(groupId, signal),
    listTaps: (userId, signal) => graph.listTaps(userId, signal),
    getTapPolicy: async (signal) => (await source.current()) ?? graph.getTapPolicy(signal),
    deleteTap: (userId, methodId, signal) => graph.deleteTap(userId, methodId, signal),
    createTap: (userId, body, signal) => graph.createTap(userId, body, signal),
    lookupUsers: (keys, signal) => graph.lookupUsers(keys, signal),
    createTaps: (items, signal) => graph.createTaps(items, signal),
    lookupManagers: (userIds, signal) => graph.lookupManagers(userIds, signal),
    ...(graph.getHireDate ? { getHireDate: (userId, signal) => graph.getHireDate!(userId, signal) } : {}),
    getMobilePhone: (userId, signal) => graph.getMobilePhone(userId, signal),
  };
  delegatedOf.set(wrapped, graph);
  return wrapped;
}

const delegatedOf = new WeakMap<TapGraph, TapGraph>();

/**
 * The policy as the admin's own role may read it (null when it may not). Who a policy applies to
 * (the ids of included and excluded groups) is shown only on this read: TapDesk's own read must not
 * tell anyone more than Entra would.
 */
export function ownTapPolicy(graph: TapGraph, signal?: AbortSignal): Promise<TapPolicy | null> {
  return (delegatedOf.get(graph) ?? graph).getTapPolicy(signal);
}
