import type { DirectoryUser, TapGraph } from '../graph/port.js';

export type Resolution =
  | { kind: 'one'; user: DirectoryUser }
  | { kind: 'many'; users: DirectoryUser[]; more: number }
  | { kind: 'none' };

/** At most this many people are offered on a choice card; more means "type more of the name". */
export const MAX_CHOICES = 10;
const SEARCH_LIMIT = 50;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FULL_UPN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function fromList(users: DirectoryUser[]): Resolution | undefined {
  if (users.length === 1) return { kind: 'one', user: users[0]! };
  if (users.length > 1) {
    return {
      kind: 'many',
      users: users.slice(0, MAX_CHOICES),
      more: Math.max(0, users.length - MAX_CHOICES),
    };
  }
  return undefined;
}

/**
 * Finds the person an admin means, in Graph, as that admin: exact object id or UPN first, then a
 * UPN or mail prefix ("alice@contoso", "alice"), then a display name prefix ("Alice Wong").
 */
export async function resolveTarget(graph: TapGraph, who: string, signal?: AbortSignal): Promise<Resolution> {
  const text = who.trim();
  if (GUID.test(text) || FULL_UPN.test(text)) {
    const exact = await graph.getUser(text, signal);
    if (exact) return { kind: 'one', user: exact };
  }
  if (!/\s/.test(text)) {
    const byPrefix = fromList(await graph.findUsers({ by: 'upnOrMailPrefix', text }, SEARCH_LIMIT, signal));
    if (byPrefix) return byPrefix;
  }
  return (
    fromList(await graph.findUsers({ by: 'displayNamePrefix', text }, SEARCH_LIMIT, signal)) ?? {
      kind: 'none',
    }
  );
}
