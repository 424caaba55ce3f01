import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newHireUpn } from '../../sandbox/new-hires.js';
import { AuditLog } from '../../src/audit/log.js';
import { actionData, cardOf, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import {
  acceptFile,
  clickBulk,
  createsPerUser,
  factsOf,
  passesByUser,
  queuedNoticesFor,
  sendCsv,
  sha256,
  waitFor,
} from '../helpers/bulk.js';
import { sandboxAdmin } from '../helpers/sandbox-admin.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(
    { TAP_LIMIT_PER_ISSUER_PER_HOUR: '1000', TAP_LIMIT_TENANT_PER_HOUR: '1000', BULK_APPROVAL_ABOVE: '100' },
    { newHires: 120 },
  );
});
afterAll(async () => h?.close());

/** 55 new hires plus five rows that must not get a pass, one of each kind. */
function waveCsv(first: number, count: number): string {
  const lines = ['user,lifetime,once,start'];
  for (let n = first; n < first + count; n += 1) lines.push(`${newHireUpn(n)},2h,yes,`);
  return lines.join('\r\n');
}

describe('bulk from a CSV file in the 1:1 chat', () => {
  it('60 rows with 5 bad ones: right counts, then only the 55 ready get exactly one pass, delivered as a file', async () => {
    const dana = h.user('dana@contoso.com');
    const csv = [
      waveCsv(1, 55),
      'nobody@contoso.com,,,',
      'judy@fabrikam.com,,,',
      'frank@contoso.com,,,',
      `${newHireUpn(1)},,,`,
      `${newHireUpn(56)},12h,,`,
    ].join('\r\n');
    const judy = h.sandbox.tenant.users.find((u) => u.userType === 'Guest')!;
    const reply = await sendCsv(
      h,
      dana,
      'wave.csv',
      csv.replace('judy@fabrikam.com', judy.userPrincipalName),
    );
    const facts = factsOf(cardOf(reply.activity));
    expect(facts).toMatchObject({
      Rows: '60',
      Ready: '55',
      'Not found': '1',
      Guest: '1',
      'Privileged (excluded from bulk)': '1',
      Duplicate: '1',
      'Outside policy': '1',
    });
    const text = JSON.stringify(reply.activity);
    expect(text).toContain('nobody@contoso.com');
    expect(text).toContain('Line 57');
    // Validation read everyone with $batch and issued nothing.
    expect((await passesByUser(h)).state.passes).toHaveLength(0);

    const started = await clickBulk(h, dana, reply, 'bulk.confirm');
    expect(started.status).toBe(200);
    const { rows } = await acceptFile(h, dana);
    expect(rows).toHaveLength(55);
    const { state, byUser } = await passesByUser(h);
    for (let n = 1; n <= 55; n += 1) {
      const user = h.user(newHireUpn(n));
      const passes = byUser.get(user.id) ?? [];
      expect(passes).toHaveLength(1);
      const row = rows.find((r) => r.user === user.userPrincipalName)!;
      expect(sha256(row.pass!)).toBe(passes[0]!.passSha256);
      expect(passes[0]!.lifetimeInMinutes).toBe(120);
      expect(passes[0]!.createdBy).toBe(dana.id);
    }
    expect(state.passes).toHaveLength(55);
    // 55 creates in three $batch requests, each user posted once.
    expect([...createsPerUser(state.graphLog).values()].every((s) => s.length === 1)).toBe(true);
    expect(
      h.graphCalls.filter(
        (c) =>
          c.url.endsWith('/$batch') && JSON.stringify(c.requestBody).includes('temporaryAccessPassMethods'),
      ).length,
    ).toBe(3);
    // The passes never reached the chat, the logs or the store.
    for (const row of rows.slice(0, 5)) {
      expect(h.connector.allText()).not.toContain(row.pass);
      expect(h.logLines.join('\n')).not.toContain(row.pass);
      expect(h.storageContains(row.pass!)).toBe(false);
    }
    const summary = await waitFor('the delivered summary', () =>
      h.connector.updates().find((u) => JSON.stringify(u.activity).includes('delivered to you as a file')),
    );
    expect(factsOf(cardOf(summary.activity))).toMatchObject({ Issued: '55', Failed: '0' });
  });
});

describe('throttling', () => {
  it('30% of creates answered 429: every ready user still gets exactly one pass', async () => {
    const erin = h.user('erin@contoso.com');
    await sandboxAdmin(h, 'POST', '/faults', { failRate: 0.3, failStatus: 429, failWritesOnly: true });
    try {
      const reply = await sendCsv(h, erin, 'throttled.csv', waveCsv(61, 50));
      expect(factsOf(cardOf(reply.activity)).Ready).toBe('50');
      await clickBulk(h, erin, reply, 'bulk.confirm');
      const { rows } = await acceptFile(h, erin);
      expect(rows).toHaveLength(50);
      const { state, byUser } = await passesByUser(h);
      const creates = createsPerUser(state.graphLog);
      let throttled = 0;
      for (let n = 61; n <= 110; n += 1) {
        const user = h.user(newHireUpn(n));
        expect(byUser.get(user.id)).toHaveLength(1);
        const statuses = creates.get(user.id) ?? [];
        // Re-sent only after a 429, and exactly one create succeeded.
        expect(statuses.filter((s) => s === 201)).toHaveLength(1);
        expect(statuses.filter((s) => s !== 201 && s !== 429)).toHaveLength(0);
        throttled += statuses.filter((s) => s === 429).length;
      }
      expect(throttled).toBeGreaterThan(5);
      // The card followed the run, but never more often than every 2 s.
      const progress = h.connector
        .updates()
        .filter(
          (u) => u.conversationId === `a:1:${erin.id}` && JSON.stringify(u.activity).includes('Issuing:'),
        );
      expect(progress.length).toBeGreaterThan(0);
      for (let i = 1; i < progress.length; i += 1)
        expect(progress[i]!.at - progress[i - 1]!.at).toBeGreaterThanOrEqual(1_950);
    } finally {
      await sandboxAdmin(h, 'POST', '/faults', { reset: true });
    }
  });
});

describe('notices for the people who got a pass', () => {
  it('those TapDesk can reach hear who issued their pass, their manager once for all; the others are not chased', async () => {
    // Frank: a bulk of his own, so the file offered in his chat is this one's.
    const frank = h.user('frank@contoso.com');
    const carol = h.user('carol@contoso.com');
    const graphCallsBefore = h.graphCalls.length;
    const [reachable, newHire, another] = [111, 112, 113].map((n) => h.user(newHireUpn(n)));
    // Only someone who has talked to TapDesk has a 1:1 chat it can post into. Carol manages new hires.
    await post(h, message(h, reachable!, 'help'));
    await post(h, message(h, carol, 'help'));
    const reply = await sendCsv(
      h,
      frank,
      'three.csv',
      ['user', ...[111, 112, 113].map(newHireUpn)].join('\n'),
    );
    await clickBulk(h, frank, reply, 'bulk.confirm');
    const { rows } = await acceptFile(h, frank);
    expect(rows).toHaveLength(3);

    const told = await waitFor('the notice to the reachable new hire', () =>
      h.connector
        .proactive(`a:1:${reachable!.id}`)
        .find((c) =>
          JSON.stringify(c.activity).includes('Temporary Access Pass was issued for your account'),
        ),
    );
    expect(JSON.stringify(told.activity)).toContain('by Frank Ortiz');
    // An empty list is no answer yet: waitFor stops at the first truthy value.
    const toCarol = await waitFor('the notice to their manager', () => {
      const found = h.connector
        .proactive(`a:1:${carol.id}`)
        .filter((c) => JSON.stringify(c.activity).includes('of your reports got a Temporary Access Pass'));
      return found.length > 0 ? found : undefined;
    });
    expect(toCarol).toHaveLength(1);
    expect(JSON.stringify(toCarol[0]!.activity)).toContain(
      '3 of your reports got a Temporary Access Pass from Frank Ortiz',
    );
    for (const n of [111, 112, 113])
      expect(JSON.stringify(toCarol[0]!.activity)).toContain(`New Hire ${String(n).padStart(4, '0')}`);
    for (const row of rows)
      expect(JSON.stringify([told.activity, toCarol[0]!.activity])).not.toContain(row.pass);
    for (const silent of [newHire!, another!])
      expect(h.connector.calls.filter((c) => c.conversationId === `a:1:${silent.id}`)).toHaveLength(0);
    const { bulkId } = actionData(cardOf(reply.activity), 'bulk.confirm');
    await waitFor(
      'every notice of this bulk handled',
      async () => (await queuedNoticesFor(h, String(bulkId))) === 0,
    );
    const audit = await new AuditLog(h.store, () => new Date()).recent(200);
    expect(audit.filter((e) => e.type.startsWith('notice.'))).toEqual([]);
    // The managers were read in one $batch of three GETs, with Frank's token.
    const managerReads = h.graphCalls
      .slice(graphCallsBefore)
      .filter((c) => JSON.stringify(c.requestBody ?? '').includes('/manager?'));
    expect(managerReads).toHaveLength(1);
  });
});
