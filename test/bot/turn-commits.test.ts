import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowStore } from '../../src/store/port.js';
import { SqliteRowStore } from '../../src/store/sqlite.js';
import { AzureTablesRowStore } from '../../src/store/tables.js';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { countingStore, isSchedulerWrite, type CountedWrite } from '../helpers/counting-store.js';

// How many durable commits a turn costs, counted at the store port while real HTTP turns run through
// /api/messages: a Confirm click at most two (the claim before Graph, the outcome after), an issue
// message at most one (the request). Each single-row write is a commit, and so is each unit of work.

interface Counted {
  h: Harness;
  writes: CountedWrite[];
}

/** The commits made while `turn` ran, leaving out the notice scheduler's own timer work. */
async function commitsOf(c: Counted, turn: () => Promise<void>): Promise<CountedWrite[]> {
  const from = c.writes.length;
  await turn();
  return c.writes.slice(from).filter((w) => !isSchedulerWrite(w));
}

function turnCases(name: string, setup: () => Promise<Counted>) {
  describe(`commits per turn (${name})`, () => {
    let c: Counted;
    beforeAll(async () => {
      c = await setup();
    }, 60_000);
    afterAll(async () => c?.h.close());

    const issueAndConfirm = async (upn: string) => {
      const dana = c.h.user('dana@contoso.com');
      let requestId = '';
      let cardId = '';
      const messageCommits = await commitsOf(c, async () => {
        const turn = await post(c.h, message(c.h, dana, `issue TAP for ${upn} for 2h`));
        expect(turn.status).toBe(200);
        const sent = c.h.connector.sent().at(-1)!;
        requestId = actionData(cardOf(sent.activity), 'tap.confirm').requestId as string;
        cardId = sent.assignedId;
      });
      const clickCommits = await commitsOf(c, async () => {
        const clicked = await post(
          c.h,
          click(c.h, dana, 'tap.confirm', { requestId, verification: 'callback' }, { replyToId: cardId }),
        );
        expect(JSON.stringify(clicked.body)).toContain('Copy it now');
      });
      return { messageCommits, clickCommits };
    };

    it('an issue message turn makes at most one commit, a Confirm click at most two', async () => {
      // The first turn of a conversation also stores where to reach it; the second shows the steady state.
      await issueAndConfirm('alice@contoso.com');
      const { messageCommits, clickCommits } = await issueAndConfirm('bob@contoso.com');
      expect(
        messageCommits.map((w) => w.method),
        JSON.stringify(messageCommits),
      ).toEqual(['commit']);
      expect(
        clickCommits.map((w) => w.method),
        JSON.stringify(clickCommits),
      ).toEqual(['commit', 'commit']);
      // The claim leads the first commit, the outcome the second; the notices ride with the outcome.
      const [claim, outcome] = clickCommits as [CountedWrite, CountedWrite];
      expect(claim.rows[0]).toMatch(/^requests\//);
      expect(claim.rows.some((r) => r.startsWith('audit/'))).toBe(true);
      expect(outcome.rows[0]).toBe(claim.rows[0]);
      expect(outcome.rows.filter((r) => r.startsWith('notices/')).length).toBeGreaterThanOrEqual(3);
    });
  });
}

turnCases('SQLite', async () => {
  let writes: CountedWrite[] = [];
  const h = await startHarness(
    {},
    {
      store: (path) => {
        const counted = countingStore(SqliteRowStore.open(path));
        writes = counted.writes;
        return counted.store;
      },
    },
  );
  return { h, writes };
});

let azurite: Azurite | undefined;
afterAll(async () => azurite?.stop());

turnCases('Azure Tables on Azurite', async () => {
  azurite = await startAzurite();
  const tables: RowStore = await AzureTablesRowStore.connect({
    connectionString: azurite.connectionString,
    tablePrefix: `c${randomBytes(4).toString('hex')}`,
    allowInsecureConnection: true,
  });
  const counted = countingStore(tables);
  const h = await startHarness({}, { botStore: counted.store });
  return { h, writes: counted.writes };
});
