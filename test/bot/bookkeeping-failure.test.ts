import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxState } from '../helpers/sandbox-admin.js';
import type { RowWrite } from '../../src/store/port.js';
import { SqliteRowStore } from '../../src/store/sqlite.js';

/** A store whose write of the final "issued" state fails, as a storage outage right after Graph answered. */
class FailsOnIssued extends SqliteRowStore {
  override async replace<T>(
    table: string,
    partition: string,
    key: string,
    value: T,
    etag: string,
  ): Promise<string> {
    if ((value as { state?: string }).state === 'issued') throw new Error('storage unavailable');
    return super.replace(table, partition, key, value, etag);
  }

  /** The outcome is written in a unit of work with its trail and notices: that unit fails the same way. */
  override async commit(writes: readonly RowWrite[]): Promise<string[]> {
    if (writes.some((w) => w.op === 'replace' && (w.value as { state?: string }).state === 'issued'))
      throw new Error('storage unavailable');
    return super.commit(writes);
  }
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { store: (path) => FailsOnIssued.open(path) as FailsOnIssued });
});
afterAll(async () => h?.close());

describe('storage fails after Graph created the pass', () => {
  it('the admin still gets the pass, the failure is logged, and the request can never issue again', async () => {
    const dana = h.user('dana@contoso.com');
    await post(h, message(h, dana, 'issue TAP for alice@contoso.com'));
    const { requestId } = actionData(cardOf(h.connector.sent()[0]!.activity), 'tap.confirm');
    const response = await post(h, click(h, dana, 'tap.confirm', { requestId, verification: 'callback' }));
    expect(JSON.stringify(response.body)).toContain('Copy it now');
    expect(h.logLines.some((l) => l.includes('"event":"tap.record_failed"'))).toBe(true);

    const again = await post(h, click(h, dana, 'tap.confirm', { requestId, verification: 'callback' }));
    expect(JSON.stringify(again.body)).toContain('REQUEST_ALREADY_USED');
    expect((await sandboxState(h)).passes).toHaveLength(1);
  });
});
