import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cards/actions.js';
import { CLICK_RULES, type RequestKind, type RequestVerb } from '../../src/tap/click-rules.js';
import {
  actionData,
  APPROVALS_CHANNEL,
  botAdded,
  cardOf,
  click,
  inConversation,
  message,
  post,
} from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

// TapDesk's own rules hold whatever a client sends: a verb never acts on a request kind the click
// table has no row for, anyone with any directory role (eligible or scoped too) is privileged, the
// lifetime cap holds without the policy, and only approvers may reject. Real HTTP, sandbox, SQLite.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ TAP_MAX_LIFETIME_MINUTES: '60' });
  await post(h, botAdded(h, h.user('dana@contoso.com'), APPROVALS_CHANNEL));
});
afterAll(async () => h?.close());

const text = (value: unknown) => JSON.stringify(value);
const writes = async () =>
  (await sandboxState(h)).graphLog.filter((c) => c.method !== 'GET' && !c.path.includes('$batch')).length;

/** Sends a line and returns the first reply's card. */
async function say(upn: string, line: string): Promise<Record<string, unknown>> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user(upn), line));
  return cardOf(h.connector.sent()[before]!.activity);
}

/** The payload fields each verb's schema demands, so a refusal comes from the table, not from parsing. */
const EXTRA: Partial<Record<RequestVerb, Record<string, string>>> = {
  [VERBS.confirm]: { verification: 'callback' },
  [VERBS.onboardConfirm]: { verification: 'callback' },
  [VERBS.choose]: { userId: '00000000-0000-4000-8000-000000000000' },
  [VERBS.reject]: { rejectReason: 'not today' },
};

describe('the click table', () => {
  it('refuses every verb on every request kind it has no row for, and writes nothing', async () => {
    // One stored request of each kind, each asked by Dana (so "who" never explains a refusal).
    const issue = actionData(await say('dana@contoso.com', 'issue TAP for leo@contoso.com'), 'tap.confirm');
    await post(
      h,
      click(h, h.user('erin@contoso.com'), 'tap.confirm', { ...issue, verification: 'callback' }),
    );
    const leoPass = actionData(await say('dana@contoso.com', 'issue TAP for bob@contoso.com'), 'tap.confirm');
    await post(
      h,
      click(h, h.user('dana@contoso.com'), 'tap.confirm', { ...leoPass, verification: 'callback' }),
    );
    const revoke = actionData(await say('dana@contoso.com', 'revoke TAP for bob@contoso.com'), 'tap.revoke');
    await say('dana@contoso.com', 'request TAP for alice@contoso.com reason: lost phone');
    const approvalCard = h.connector.proactive(APPROVALS_CHANNEL).at(-1)!.activity;
    const approval = actionData(cardOf(approvalCard), 'tap.approve');
    const pending = actionData(
      await say('dana@contoso.com', 'issue TAP for mallory@contoso.com'),
      'tap.confirm',
    );
    // Owen holds the Intune role onboarding needs; a wrong verb is refused before the clicker is.
    const onboarding = actionData(
      await say('owen@contoso.com', 'onboard carol@contoso.com on 5CG3301ABC'),
      'onboard.confirm',
    );
    const ids: Record<RequestKind, string> = {
      onboard: onboarding.requestId as string,
      issue: pending.requestId as string,
      revoke: revoke.requestId as string,
      approval: approval.requestId as string,
    };
    const before = await writes();
    let checked = 0;
    for (const verb of Object.keys(CLICK_RULES) as RequestVerb[]) {
      for (const kind of Object.keys(ids) as RequestKind[]) {
        if (CLICK_RULES[verb][kind]) continue;
        const data = { requestId: ids[kind], ...EXTRA[verb] };
        const activity = click(h, h.user('dana@contoso.com'), verb, data);
        const where =
          verb === VERBS.approve || verb === VERBS.reject
            ? inConversation(activity, APPROVALS_CHANNEL)
            : activity;
        const answer = text((await post(h, where)).body);
        expect(answer, `${verb} on a ${kind} request`).toContain('CLICK_NOT_ALLOWED');
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
    expect(await writes()).toBe(before);
    // The requests are untouched: each still works with its own button.
    const ok = await post(h, click(h, h.user('dana@contoso.com'), 'tap.revoke', { requestId: ids.revoke }));
    expect(text(ok.body)).toContain('Revoked by Dana');
  });

  it('a confirm carrying a revoke request id creates no pass (it once created one with an empty body)', async () => {
    const issue = actionData(await say('dana@contoso.com', 'issue TAP for carol@contoso.com'), 'tap.confirm');
    await post(
      h,
      click(h, h.user('dana@contoso.com'), 'tap.confirm', { ...issue, verification: 'callback' }),
    );
    const revoke = actionData(
      await say('dana@contoso.com', 'revoke TAP for carol@contoso.com'),
      'tap.revoke',
    );
    const before = await writes();
    const answer = await post(
      h,
      click(h, h.user('dana@contoso.com'), 'tap.confirm', {
        requestId: revoke.requestId,
        verification: 'callback',
      }),
    );
    expect(text(answer.body)).toContain('CLICK_NOT_ALLOWED');
    expect(await writes()).toBe(before);
  });
});

describe('privileged people', () => {
  it('someone only eligible for Global Administrator (PIM) is privileged: no direct pass', async () => {
    const card = text(await say('dana@contoso.com', 'issue TAP for paul@contoso.com'));
    expect(card).toContain('TAP_TARGET_PRIVILEGED');
    expect(card).toContain('eligible Global Administrator');
  });

  it('someone holding a role over an administrative unit is privileged: no direct pass', async () => {
    const card = text(await say('erin@contoso.com', 'issue TAP for quinn@contoso.com'));
    expect(card).toContain('TAP_TARGET_PRIVILEGED');
    expect(card).toContain('Helpdesk Administrator (administrative unit)');
  });

  it('a request for an eligible admin needs a privileged approver', async () => {
    await say('harry@contoso.com', 'request TAP for paul@contoso.com reason: new phone');
    const approval = cardOf(h.connector.proactive(APPROVALS_CHANNEL).at(-1)!.activity);
    expect(text(approval)).toContain(
      'only a Privileged Authentication Administrator or Global Administrator',
    );
  });
});

describe('the lifetime cap', () => {
  it('holds when the clicker cannot read the policy and named no lifetime (Entra default 480 min)', async () => {
    await sandboxAdmin(h, 'POST', '/policy', { defaultLifetimeInMinutes: 480 });
    try {
      const card = actionData(
        await say('dana@contoso.com', 'issue TAP for alice.smith@contoso.com'),
        'tap.confirm',
      );
      await post(
        h,
        click(h, h.user('dana@contoso.com'), 'tap.confirm', { ...card, verification: 'callback' }),
      );
      const pass = (await sandboxState(h)).passes.find(
        (p) => p.userPrincipalName === 'alice.smith@contoso.com',
      );
      expect(pass?.lifetimeInMinutes).toBeLessThanOrEqual(60);
    } finally {
      await sandboxAdmin(h, 'POST', '/policy', { defaultLifetimeInMinutes: 60 });
    }
  });
});

describe('rejecting', () => {
  it('is refused to someone who could not approve; the request stays open for approvers', async () => {
    await say('harry@contoso.com', 'request TAP for gina@contoso.com reason: lost phone');
    const { requestId } = actionData(
      cardOf(h.connector.proactive(APPROVALS_CHANNEL).at(-1)!.activity),
      'tap.reject',
    );
    const inChannel = (upn: string, reason: string) =>
      post(
        h,
        inConversation(
          click(h, h.user(upn), 'tap.reject', { requestId, rejectReason: reason }),
          APPROVALS_CHANNEL,
        ),
      );
    const byMallory = await inChannel('mallory@contoso.com', '[Re-verify](https://evil.example) here');
    expect(text(byMallory.body)).toContain('approve');
    expect(text(byMallory.body)).not.toContain('Rejected by');
    const byErin = await inChannel('erin@contoso.com', 'not verified');
    expect(text(byErin.body)).toContain('Rejected by Erin');
  });
});

describe('open approval requests', () => {
  it('are bounded per requester; a decision makes room again', async () => {
    // Harry (service desk) may already have one open from the tests above; the bound is ten.
    const ask = () => say('harry@contoso.com', 'request TAP for leo@contoso.com reason: new laptop');
    let refused = '';
    for (let i = 0; i < 12 && !refused; i += 1) {
      const card = text(await ask());
      if (card.includes('APPROVAL_TOO_MANY_OPEN')) refused = card;
    }
    expect(refused).toContain('most one person may have open at once');
    const { requestId } = actionData(
      cardOf(h.connector.proactive(APPROVALS_CHANNEL).at(-1)!.activity),
      'tap.reject',
    );
    const rejected = await post(
      h,
      inConversation(
        click(h, h.user('erin@contoso.com'), 'tap.reject', { requestId, rejectReason: 'duplicate' }),
        APPROVALS_CHANNEL,
      ),
    );
    expect(text(rejected.body)).toContain('Rejected by Erin');
    expect(text(await ask())).toContain('Waiting for approval');
  });
});
