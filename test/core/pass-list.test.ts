// `list TAPs`: what TapDesk issued and is still outstanding, as the caller may see it in Entra.
import { describe, expect, it } from 'vitest';
import { listOutstandingPasses } from '../../src/tap/pass-list.js';
import type { Person } from '../../src/tap/request.js';
import { coreWorld, PEOPLE, type CoreWorld } from '../fakes/core.js';
import { failures } from '../fakes/graph.js';
import { conversationOf, issued } from './steps.js';

const { alice, erin, tom } = PEOPLE;

const list = (w: CoreWorld, requester: Person, scope: 'all' | 'mine' = 'all') =>
  listOutstandingPasses(w.deps, w.graphOf(requester), {
    requester,
    timeZone: 'UTC',
    conversationId: conversationOf(requester),
    scope,
  });

describe('listOutstandingPasses', () => {
  it('a pass the caller may not read in Entra is left out and only counted', async () => {
    const w = coreWorld();
    await issued(w, alice, tom);
    const seen = await list(w, erin);
    expect(seen).toMatchObject({ kind: 'list', hidden: 0, more: 0 });
    expect(seen.kind === 'list' && seen.rows.map((r) => r.request.target?.id)).toEqual([tom.oid]);

    w.tenant.fail('listTaps', failures.forbidden());
    const hidden = await list(w, erin);
    expect(hidden).toMatchObject({ kind: 'list', rows: [], hidden: 1, more: 0 });
  });

  it('mine: only the caller’s own issues', async () => {
    const w = coreWorld();
    await issued(w, alice, tom);
    expect(await list(w, erin, 'mine')).toMatchObject({ kind: 'list', rows: [], hidden: 0 });
    const own = await list(w, alice, 'mine');
    expect(own.kind === 'list' && own.rows).toHaveLength(1);
  });
});
