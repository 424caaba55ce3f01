import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { newHireUpn } from '../../sandbox/new-hires.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxState } from '../helpers/sandbox-admin.js';

// Small limits so the test stays short; the defaults (20 per admin per hour, 3 per person per day,
// 100 per tenant per hour) work the same way.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    TAP_LIMIT_PER_ISSUER_PER_HOUR: '4',
    TAP_LIMIT_PER_TARGET_PER_DAY: '2',
    TAP_MAX_LIFETIME_MINUTES: '120',
  });
});
afterAll(async () => h?.close());

async function tryIssue(asUpn: string, targetUpn: string, extra = ''): Promise<string> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user(asUpn), `issue TAP for ${targetUpn}${extra}`));
  const reply = h.connector.sent()[before]!.activity;
  if (!JSON.stringify(reply).includes('tap.confirm')) return JSON.stringify(reply);
  const { requestId } = actionData(cardOf(reply), 'tap.confirm');
  const response = await post(
    h,
    click(h, h.user(asUpn), 'tap.confirm', { requestId, verification: 'callback' }),
  );
  return JSON.stringify(response.body);
}

describe('safety limits', () => {
  it('per person per day: the third pass for Alice is refused, saying which limit and when it resets', async () => {
    expect(await tryIssue('dana@contoso.com', 'alice@contoso.com')).toContain('Copy it now');
    expect(await tryIssue('dana@contoso.com', 'alice@contoso.com')).toContain('Copy it now');
    const third = await tryIssue('dana@contoso.com', 'alice@contoso.com');
    expect(third).toContain('LIMIT_TARGET_DAY');
    expect(third).toMatch(/resets at/);
  });

  it('per admin per hour: the fifth pass by Dana is refused; another admin is not affected', async () => {
    expect(await tryIssue('dana@contoso.com', 'bob@contoso.com')).toContain('Copy it now');
    expect(await tryIssue('dana@contoso.com', 'leo@contoso.com')).toContain('Copy it now');
    const fifth = await tryIssue('dana@contoso.com', 'carol@contoso.com');
    expect(fifth).toContain('LIMIT_ISSUER_HOUR');
    expect(await tryIssue('erin@contoso.com', 'carol@contoso.com')).toContain('Copy it now');
    // Dana's successful creates (Alice's second pass replaced her first, so count creates, not passes).
    const creates = (await sandboxState(h)).graphLog.filter(
      (c) => c.method === 'POST' && c.status === 201 && c.callerOid === h.user('dana@contoso.com').id,
    );
    expect(creates).toHaveLength(4);
  });

  it("TapDesk's lifetime cap applies below the tenant's, with a note on the card", async () => {
    const before = h.connector.sent().length;
    await post(h, message(h, h.user('erin@contoso.com'), 'issue TAP for leo@contoso.com for 6h'));
    const card = JSON.stringify(h.connector.sent()[before]!.activity);
    expect(card).toMatch(/caps passes at 2 hours/);
    expect(card).toContain('2 hours');
  });
});

describe('the default limit', () => {
  it('refuses the 21st issue by one admin within an hour', async () => {
    // Seven people without a directory role (kim, a Password Administrator, now needs approval).
    const d = await startHarness({}, { newHires: 1 });
    try {
      const targets = ['alice', 'alice.smith', 'bob', 'carol', 'leo', 'mallory']
        .map((u) => `${u}@contoso.com`)
        .concat(newHireUpn(1));
      const issueOnce = async (target: string) => {
        const before = d.connector.sent().length;
        await post(d, message(d, d.user('dana@contoso.com'), `issue TAP for ${target}`));
        const reply = d.connector.sent()[before]!.activity;
        if (!JSON.stringify(reply).includes('tap.confirm')) return JSON.stringify(reply);
        const { requestId } = actionData(cardOf(reply), 'tap.confirm');
        return JSON.stringify(
          (
            await post(
              d,
              click(d, d.user('dana@contoso.com'), 'tap.confirm', { requestId, verification: 'callback' }),
            )
          ).body,
        );
      };
      for (let i = 0; i < 20; i++)
        expect(await issueOnce(targets[i % targets.length]!)).toContain('Copy it now');
      expect(await issueOnce(targets[20 % targets.length]!)).toContain('LIMIT_ISSUER_HOUR');
    } finally {
      await d.close();
    }
  }, 120_000);
});
