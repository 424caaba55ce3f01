import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxAdmin } from '../helpers/sandbox-admin.js';

const CANARY = 'Au7!dTq2';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const dana = h.user('dana@contoso.com');
  await sandboxAdmin(h, 'POST', '/next-pass', { value: CANARY });
  await post(h, message(h, dana, 'issue TAP for alice@contoso.com for 2h once'));
  const { requestId } = actionData(cardOf(h.connector.sent().at(-1)!.activity), 'tap.confirm');
  await post(h, click(h, dana, 'tap.confirm', { requestId, verification: 'callback', ticket: 'INC-42' }));
  await post(h, message(h, dana, 'issue TAP for bob@contoso.com'));
  const bob = actionData(cardOf(h.connector.sent().at(-1)!.activity), 'tap.cancel');
  await post(h, click(h, dana, 'tap.cancel', bob));
});
afterAll(async () => h?.close());

async function ask(upn: string, text: string): Promise<string> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user(upn), text));
  expect(h.connector.sent().length).toBe(before + 1);
  return JSON.stringify(h.connector.sent().at(-1)!.activity);
}

describe('the audit trail', () => {
  it('`audit for alice` shows who requested, confirmed and issued, with verification and ticket', async () => {
    const text = await ask('dana@contoso.com', 'audit for alice@contoso.com');
    for (const expected of [
      'Alice Wong',
      'Dana Reyes',
      'Issued',
      'Confirmed',
      'Requested',
      'INC-42',
      'Call-back',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('Bob Kim');
    expect(text).not.toContain(CANARY);
  });

  it('`audit last 20` shows the tenant timeline newest first, including the cancellation', async () => {
    const text = await ask('dana@contoso.com', 'audit last 20');
    expect(text).toContain('Cancelled');
    expect(text.indexOf('Cancelled')).toBeLessThan(text.indexOf('Issued'));
  });

  it('people without an admin role are refused', async () => {
    expect(await ask('mallory@contoso.com', 'audit last 20')).toContain('AUDIT_NOT_ALLOWED');
    expect(await ask('harry@contoso.com', 'audit for alice@contoso.com')).toContain('AUDIT_NOT_ALLOWED');
  });

  it('bad input says what to type instead', async () => {
    expect(await ask('dana@contoso.com', 'audit last 5000')).toMatch(/1.{1,6}100/);
  });

  it('`npm run audit:export` writes the whole trail as CSV, without the pass', () => {
    h.store.checkpoint();
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/audit/export-cli.ts'], {
      env: { ...process.env, STORE: 'sqlite', SQLITE_PATH: h.dbPath },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,at,type,requestId,actorOid/);
    // Alice and Carol never chatted with the bot, so their "a pass was issued" notices are audited as undeliverable.
    const types = lines
      .slice(1)
      .map((l) => l.split(',')[2])
      .filter((t) => !t!.startsWith('notice.'));
    expect(types).toEqual([
      'request.cancelled',
      'request.created',
      'tap.issued',
      'request.confirmed',
      'request.created',
    ]);
    expect(run.stdout).toContain('INC-42');
    expect(run.stdout).not.toContain(CANARY);
    expect(run.stderr).toMatch(/wrote \d+ events/);
  });
});
