// `list TAPs`: every pass TapDesk issued that is still outstanding, from its own records, checked in
// Entra as the caller, with a Revoke button per pass that is checked on click like every other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxState } from '../helpers/sandbox-admin.js';
import { graphAs } from '../helpers/sandbox-http.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { newHires: 10 });
});
afterAll(async () => h?.close());

async function ask(upn: string, text: string): Promise<Record<string, unknown>> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user(upn), text));
  expect(h.connector.sent().length).toBe(before + 1);
  return cardOf(h.connector.sent().at(-1)!.activity);
}

async function issue(upn: string, targetUpn: string): Promise<void> {
  const { requestId } = actionData(await ask(upn, `issue TAP for ${targetUpn}`), 'tap.confirm');
  const response = await post(
    h,
    click(h, h.user(upn), 'tap.confirm', { requestId, verification: 'callback' }),
  );
  expect(JSON.stringify(response.body)).toContain('Copy it now');
}

interface Row {
  title: string;
  facts: Record<string, string>;
  revokeRequestId?: string;
}

/** The rows of a `list TAPs` card: each container's heading, facts and Revoke button. */
function rowsOf(card: Record<string, unknown>): Row[] {
  const body = card.body as { type: string; items?: Record<string, unknown>[] }[];
  return body
    .filter((b) => b.type === 'Container')
    .map((c) => {
      const items = c.items!;
      const facts = (
        items.find((i) => i.type === 'FactSet')!.facts as { title: string; value: string }[]
      ).reduce((all, f) => ({ ...all, [f.title]: f.value }), {} as Record<string, string>);
      const actionSet = items.find((i) => i.type === 'ActionSet') as
        { actions: { data: { requestId: string } }[] } | undefined;
      return {
        title: items[0]!.text as string,
        facts,
        ...(actionSet ? { revokeRequestId: actionSet.actions[0]!.data.requestId } : {}),
      };
    });
}

const passesOf = async (upn: string) =>
  (await sandboxState(h)).passes.filter((p) => p.userPrincipalName === upn);

describe('list TAPs', () => {
  it('lists passes issued by two admins, newest first; a pass gone from Entra is shown as gone, without Revoke', async () => {
    await issue('dana@contoso.com', 'alice@contoso.com');
    await issue('dana@contoso.com', 'bob@contoso.com');
    await issue('erin@contoso.com', 'carol@contoso.com');
    await issue('erin@contoso.com', 'alice.smith@contoso.com');
    // Alice Smith's pass is deleted in Entra directly, outside TapDesk.
    const [smithPass] = await passesOf('alice.smith@contoso.com');
    const deleted = await graphAs(
      h.sandbox,
      'erin@contoso.com',
      'DELETE',
      `/users/${h.user('alice.smith@contoso.com').id}/authentication/temporaryAccessPassMethods/${smithPass!.id}`,
    );
    expect(deleted.status).toBe(204);

    const card = await ask('dana@contoso.com', 'list TAPs');
    const rows = rowsOf(card);
    const titleOf = (upn: string) => `${h.user(upn).displayName} (${upn})`;
    expect(rows.map((r) => r.title)).toEqual(
      ['alice.smith@contoso.com', 'carol@contoso.com', 'bob@contoso.com', 'alice@contoso.com'].map(titleOf),
    );
    expect(rows.map((r) => r.facts['Issued by'])).toEqual([
      'Erin Lee',
      'Erin Lee',
      'Dana Reyes',
      'Dana Reyes',
    ]);
    expect(rows[0]!.facts.Now).toMatch(/^Gone from Entra/);
    expect(rows[0]!.revokeRequestId).toBeUndefined();
    expect(rows.slice(1).every((r) => r.revokeRequestId && r.facts.Now.startsWith('Usable'))).toBe(true);
    expect(rows[2]!.facts['Valid until']).toBeTruthy();
    expect(JSON.stringify(card)).toContain('4 passes TapDesk issued are still outstanding');
  });

  it('`list TAPs mine` and `list passes` / `active passes`', async () => {
    const mine = rowsOf(await ask('dana@contoso.com', 'list TAPs mine'));
    expect(mine.map((r) => r.title)).toEqual(['Bob Kim (bob@contoso.com)', 'Alice Wong (alice@contoso.com)']);
    expect(rowsOf(await ask('erin@contoso.com', 'active passes'))).toHaveLength(4);
    expect(rowsOf(await ask('erin@contoso.com', 'list passes'))).toHaveLength(4);
    expect(rowsOf(await ask('erin@contoso.com', 'list my TAPs')).map((r) => r.facts['Issued by'])).toEqual([
      'Erin Lee',
      'Erin Lee',
    ]);
  });

  it('Revoke on one row: only its lister may click it, it deletes that pass, and a second click is refused', async () => {
    const rows = rowsOf(await ask('dana@contoso.com', 'list TAPs'));
    const bob = rows.find((r) => r.title.startsWith('Bob Kim'))!;
    const requestId = bob.revokeRequestId!;

    const mallory = await post(h, click(h, h.user('mallory@contoso.com'), 'tap.revoke', { requestId }));
    expect(JSON.stringify(mallory.body)).toContain('Only Dana Reyes');
    expect(await passesOf('bob@contoso.com')).toHaveLength(1);

    const revoked = await post(h, click(h, h.user('dana@contoso.com'), 'tap.revoke', { requestId }));
    expect(JSON.stringify(revoked.body)).toMatch(/Revoked by Dana Reyes/);
    expect(await passesOf('bob@contoso.com')).toHaveLength(0);
    expect(await passesOf('alice@contoso.com')).toHaveLength(1);
    const deletes = (await sandboxState(h)).graphLog.filter((c) => c.method === 'DELETE' && c.status === 204);
    expect(deletes.at(-1)!.callerOid).toBe(h.user('dana@contoso.com').id);

    const again = await post(h, click(h, h.user('dana@contoso.com'), 'tap.revoke', { requestId }));
    expect(JSON.stringify(again.body)).toContain('REQUEST_ALREADY_USED');

    // Bob's pass is no longer outstanding; the others are.
    const after = rowsOf(await ask('dana@contoso.com', 'list TAPs')).map((r) => r.title);
    expect(after).toHaveLength(3);
    expect(after.some((t) => t.startsWith('Bob Kim'))).toBe(false);
  });

  it('shows at most 10 and says how many more', async () => {
    for (let i = 1; i <= 10; i += 1)
      await issue('dana@contoso.com', `newhire${String(i).padStart(4, '0')}@contoso.com`);
    const card = await ask('dana@contoso.com', 'list TAPs');
    expect(rowsOf(card)).toHaveLength(10);
    expect(rowsOf(card)[0]!.title).toContain('newhire0010@contoso.com');
    expect(JSON.stringify(card)).toContain('and 3 more not shown');
  });

  it('refused to someone without an admin role; `list TAP for bob` still asks about one person', async () => {
    expect(JSON.stringify(await ask('mallory@contoso.com', 'list TAPs'))).toContain('TAP_ROLE_MISSING');
    const one = JSON.stringify(await ask('dana@contoso.com', 'list TAP for alice@contoso.com'));
    expect(one).toContain('Temporary Access Pass for Alice Wong');
  });
});
