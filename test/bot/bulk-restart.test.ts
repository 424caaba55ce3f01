import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulkRepository } from '../../src/bulk/repository.js';
import { newHireUpn } from '../../sandbox/new-hires.js';
import { SqliteRowStore } from '../../src/store/sqlite.js';
import { actionData, cardOf, click, message, postTo } from '../helpers/activities.js';
import { createsPerUser, factsOf, waitFor } from '../helpers/bulk.js';
import { fileMessage } from '../helpers/files.js';
import { startProcessWorld, type ProcessWorld } from '../helpers/process-world.js';
import { putUserFile, sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

// TapDesk as its own OS process on a SQLite file, SIGKILLed while a bulk is being issued.
let w: ProcessWorld;
beforeAll(async () => {
  w = await startProcessWorld({ newHires: 100 });
});
afterAll(async () => w?.close());

const ENV = {
  STORE: 'sqlite',
  TAP_LIMIT_PER_ISSUER_PER_HOUR: '1000',
  TAP_LIMIT_TENANT_PER_HOUR: '1000',
  BULK_APPROVAL_ABOVE: '500',
  BULK_CONCURRENCY: '2',
  BULK_LEASE_SECONDS: '2',
};

describe('a bulk interrupted by a killed process', () => {
  it('after restart: nothing is sent again, and the report matches what Entra holds', async () => {
    const dbPath = join(w.dir, 'bulk.db');
    const env = { ...ENV, SQLITE_PATH: dbPath };
    const dana = w.user('dana@contoso.com');
    const users = Array.from({ length: 100 }, (_, i) => w.user(newHireUpn(i + 1)));
    const first = await w.startBot(env);
    // The first 40 have talked to TapDesk, so it can tell them about a pass on their account.
    const chatting = users.slice(0, 40);
    for (const user of chatting) await postTo(first.url, message(w, user, 'help'));
    const file = await putUserFile(
      w,
      'wave.csv',
      ['user', ...users.map((u) => u.userPrincipalName)].join('\n'),
    );
    await postTo(first.url, fileMessage(w, dana, file.attachment));
    const card = cardOf(w.connector.sent().at(-1)!.activity);
    expect(factsOf(card).Ready).toBe('100');
    const { bulkId } = actionData(card, 'bulk.confirm') as { bulkId: string };

    // Slow Graph down so the bulk is mid-way when the process dies, with batches in flight.
    await sandboxAdmin(w, 'POST', '/faults', { latencyMs: 400 });
    await postTo(first.url, click(w, dana, 'bulk.confirm', { bulkId }));
    const reader = SqliteRowStore.open(dbPath);
    const bulk = new BulkRepository(reader);
    const states = async () => {
      const job = (await bulk.get(bulkId))!.value;
      return (await bulk.chunks(job)).flatMap((c) =>
        c.value.items.map((i) => ({ id: i.target.id, state: i.state })),
      );
    };
    await waitFor('some passes issued', async () =>
      (await states()).filter((i) => i.state === 'issued').length >= 20 ? true : undefined,
    );
    await first.kill('SIGKILL');
    // Batches the dead process had sent still complete in the tenant.
    await waitFor(
      "the dead process's batches to finish",
      async () => (await sandboxState(w)).graphInFlight === 0,
    );
    await sandboxAdmin(w, 'POST', '/faults', { reset: true });
    const createsBefore = createsPerUser((await sandboxState(w)).graphLog);

    await w.startBot(env);
    const notice = await waitFor('the interrupted notice', () =>
      w.connector
        .proactive(`a:1:${dana.id}`)
        .find((c) => String(c.activity.text ?? '').includes('restarted while issuing')),
    );
    const job = (await bulk.get(bulkId))!.value;
    expect(job.state).toBe('interrupted');
    const r = job.result!;
    expect(r.issued + r.unknown + r.failed + r.notStarted).toBe(100);
    expect(r.issued).toBeGreaterThanOrEqual(20);
    expect(r.notStarted).toBeGreaterThan(0);
    expect(String(notice.activity.text)).toContain(`${r.issued} passes were created but lost`);

    const items = await states();
    const state = await sandboxState(w);
    const holders = new Set(state.passes.map((p) => p.userId));
    for (const item of items) {
      if (item.state === 'issued') expect(holders.has(item.id)).toBe(true);
      if (item.state === 'ready' || item.state === 'skipped') expect(holders.has(item.id)).toBe(false);
      if (holders.has(item.id)) expect(['issued', 'posting', 'unknown']).toContain(item.state);
    }
    // No user was ever sent two creates, and the restarted instance sent none.
    const creates = createsPerUser(state.graphLog);
    for (const user of users) expect((creates.get(user.id) ?? []).length).toBeLessThanOrEqual(1);
    expect([...creates.values()].flat().length).toBe([...createsBefore.values()].flat().length);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(createsPerUser((await sandboxState(w)).graphLog).size).toBe(creates.size);

    // The card now says what happened and offers to issue again for everyone whose pass nobody holds.
    const summary = w.connector
      .updates()
      .filter((u) => u.activity.attachments)
      .at(-1)!;
    const facts = factsOf(cardOf(summary.activity));
    expect(facts).toMatchObject({ Issued: String(r.issued), 'Not started': String(r.notStarted) });
    expect(JSON.stringify(summary.activity)).toContain(
      `Issue again for ${r.issued + r.unknown + r.notStarted}`,
    );

    // Every pass in Entra is someone's, held or not: those TapDesk can reach hear of theirs; nobody
    // else, and no new hire TapDesk cannot reach, is sent anything (no token after a restart: no managers).
    const toldOf = (user: (typeof users)[number]) =>
      w.connector
        .proactive(`a:1:${user.id}`)
        .some((c) => JSON.stringify(c.activity).includes('issued for your account'));
    const issuedIds = new Set(items.filter((i) => i.state === 'issued').map((i) => i.id));
    const owed = chatting.filter((u) => issuedIds.has(u.id));
    await waitFor('the notices to the reachable people', () => (owed.every(toldOf) ? true : undefined));
    expect(users.filter(toldOf).map((u) => u.id)).toEqual(owed.map((u) => u.id));
    await reader.close();
  }, 120_000);
});
