import { describe, expect, it } from 'vitest';
import { managersOf } from '../../src/bulk/managers.js';
import { GraphFailure } from '../../src/graph/failure.js';
import type { DirectoryUser, ManagerLookup, TapGraph } from '../../src/graph/port.js';
import { items } from './fixtures.js';

const person = (id: string) =>
  ({ id, displayName: `Manager ${id}`, userPrincipalName: `${id}@contoso.com` }) as DirectoryUser;
const throttled = () => new GraphFailure(429, 'TooManyRequests', 'slow down', 0.01, undefined);

/** A Graph whose lookupManagers answers from `answer` per user id, and counts the batches it saw. */
function graphAnswering(answer: (userId: string, call: number) => ManagerLookup) {
  const batches: string[][] = [];
  const graph = {
    lookupManagers: async (ids: string[]) => {
      batches.push(ids);
      return ids.map((id) => answer(id, batches.length));
    },
  } as unknown as TapGraph;
  return { graph, batches };
}

const targets = items(45).map((i) => i.target);

describe('managersOf', () => {
  it('reads in batches of 20 and groups reports by manager; people without one are left out', async () => {
    const { graph, batches } = graphAnswering((userId) => {
      const n = Number(userId.slice(3));
      return { userId, ok: true, manager: n % 3 === 0 ? null : person(n % 3 === 1 ? 'm1' : 'm2') };
    });
    const { byManager, unread } = await managersOf(graph, targets, 2);
    expect(batches.map((b) => b.length)).toEqual([20, 20, 5]);
    expect(unread).toBe(0);
    expect(byManager.map((m) => [m.manager.id, m.reports.length]).sort()).toEqual([
      ['m1', 15],
      ['m2', 15],
    ]);
  });

  it('re-reads only the throttled people after Retry-After; gives up on others after a few tries', async () => {
    const { graph, batches } = graphAnswering((userId, call) => {
      if (userId === 'id-0' && call === 1) return { userId, ok: false, failure: throttled() };
      if (userId === 'id-1') return { userId, ok: false, failure: throttled() };
      if (userId === 'id-2')
        return {
          userId,
          ok: false,
          failure: new GraphFailure(403, 'Authorization_RequestDenied', 'no', undefined, undefined),
        };
      return { userId, ok: true, manager: person('m1') };
    });
    const { byManager, unread } = await managersOf(graph, targets.slice(0, 5), 1);
    // id-0 read again once; id-1 throttled every time (4 tries); id-2 refused once.
    expect(batches).toEqual([['id-0', 'id-1', 'id-2', 'id-3', 'id-4'], ['id-0', 'id-1'], ['id-1'], ['id-1']]);
    expect(unread).toBe(2);
    expect(byManager[0]!.reports.map((r) => r.id)).toEqual(['id-0', 'id-3', 'id-4']);
  });

  it('a whole batch that fails counts its people as unread instead of throwing', async () => {
    const graph = {
      lookupManagers: async () => {
        throw new GraphFailure(503, 'serviceNotAvailable', 'down', undefined, undefined);
      },
    } as unknown as TapGraph;
    expect(await managersOf(graph, targets, 2)).toEqual({ byManager: [], unread: 45 });
  });
});
