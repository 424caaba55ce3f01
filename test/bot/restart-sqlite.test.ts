import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/log.js';
import { SqliteRowStore } from '../../src/store/sqlite.js';
import { RequestRepository } from '../../src/tap/request-repository.js';
import { click, postTo } from '../helpers/activities.js';
import { startProcessWorld, type ProcessWorld } from '../helpers/process-world.js';
import { sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

// TapDesk runs as its own OS process on a SQLite file and is SIGKILLed mid-flow.
let w: ProcessWorld;
beforeAll(async () => {
  w = await startProcessWorld();
});
afterAll(async () => w?.close());

const confirm = (url: string, requestId: string) =>
  postTo(url, click(w, w.user('dana@contoso.com'), 'tap.confirm', { requestId, verification: 'callback' }));

describe('restart safety on SQLite', () => {
  it('card shown → SIGKILL → restart on the same file → Confirm issues exactly one pass', async () => {
    const env = { STORE: 'sqlite', SQLITE_PATH: join(w.dir, 'first.db') };
    const first = await w.startBot(env);
    const requestId = await w.showCard(first, 'dana@contoso.com', 'issue TAP for alice@contoso.com for 2h');
    await first.kill('SIGKILL');

    const second = await w.startBot(env);
    expect(JSON.stringify((await confirm(second.url, requestId)).body)).toContain('Copy it now');
    expect(await w.passesFor('alice@contoso.com')).toHaveLength(1);
    expect(JSON.stringify((await confirm(second.url, requestId)).body)).toContain('REQUEST_ALREADY_USED');
    expect(await w.passesFor('alice@contoso.com')).toHaveLength(1);
  });

  it('killed between "request marked used" and Graph\'s reply → after restart: outcome unknown, never re-issued', async () => {
    const dbPath = join(w.dir, 'second.db');
    const bot = await w.startBot({ STORE: 'sqlite', SQLITE_PATH: dbPath });
    const requestId = await w.showCard(bot, 'dana@contoso.com', 'issue TAP for bob@contoso.com');
    // Only the create is slow: Confirm's re-read of the card's facts answers at once.
    await sandboxAdmin(w, 'POST', '/faults', { latencyMs: 3_000, failWritesOnly: true });
    const inFlight = confirm(bot.url, requestId).catch(() => undefined);

    // Kill the process once the claim is durable in the file and before Graph answers.
    const reader = SqliteRowStore.open(dbPath);
    const requests = new RequestRepository(reader);
    await waitFor(async () => (await requests.get(requestId))?.value.state === 'issuing');
    // The claim, the re-read of the card's facts and the audit row precede the POST; wait until the
    // POST sits in the sandbox's 3 s latency window, so Graph has the create when the bot dies: the
    // dangerous case.
    const audit = new AuditLog(reader, () => new Date());
    await waitFor(async () =>
      (await audit.forTarget(w.user('bob@contoso.com').id, 10)).some((e) => e.type === 'request.confirmed'),
    );
    await waitFor(async () => (await sandboxState(w)).graphInFlight >= 1);
    await bot.kill('SIGKILL');
    await inFlight;
    // The sandbox still completes the create the dead process sent.
    await waitFor(async () => (await sandboxState(w)).graphInFlight === 0);
    await sandboxAdmin(w, 'POST', '/faults', { reset: true });
    expect(await w.passesFor('bob@contoso.com')).toHaveLength(1);

    const restarted = await w.startBot({ STORE: 'sqlite', SQLITE_PATH: dbPath });
    await sandboxAdmin(w, 'POST', '/clock', { advanceMinutes: 1 });
    const text = JSON.stringify((await confirm(restarted.url, requestId)).body);
    expect(text).toContain('TAP_OUTCOME_UNKNOWN');
    expect(text).toContain('list TAP for bob@contoso.com');
    expect(await w.passesFor('bob@contoso.com')).toHaveLength(1);
    expect((await requests.get(requestId))?.value.state).toBe('unknown');
    const events = await new AuditLog(reader, () => new Date()).forTarget(w.user('bob@contoso.com').id, 10);
    expect(events.map((e) => e.type)).toEqual([
      'tap.outcome_unknown',
      'request.confirmed',
      'request.created',
    ]);
    await reader.close();
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
