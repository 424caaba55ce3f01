import { describe, expect, it } from 'vitest';
import { parseAction, VERBS } from '../../src/cards/actions.js';
import type { TapRequest } from '../../src/tap/request.js';
import { approversCard, handOffCard, revealCard, trackingCard } from '../../src/cards/approval-views.js';
import { collectActions, expectWellFormedCard, REQUEST_ID, visibleStrings } from './card-checks.js';

const now = new Date('2026-11-22T10:00:00Z');
const dana = { oid: '11111111-1111-4111-8111-111111111111', name: 'Dana Reyes' };

function approval(overrides: Partial<TapRequest> = {}): TapRequest {
  return {
    id: REQUEST_ID,
    kind: 'approval',
    state: 'awaiting',
    createdAt: '2026-11-22T09:58:00Z',
    expiresAt: '2026-11-22T10:58:00Z',
    requester: { oid: '22222222-2222-4222-8222-222222222222', name: 'Carol Diaz' },
    timeZone: 'UTC',
    conversationId: 'a:1:carol',
    query: 'alice@contoso.com',
    asked: { utcOffsetMinutes: 0 },
    target: {
      id: '33333333-3333-4333-8333-333333333333',
      displayName: 'Alice Wong',
      userPrincipalName: 'alice@contoso.com',
      department: 'Finance',
    },
    plan: { lifetimeMinutes: 120, isUsableOnce: true },
    approval: {
      reason: 'lost phone',
      basis: 'manager',
      notes: [],
      needs: 'authentication',
      approversConversationId: '19:approvals@thread.tacv2',
      deliverTo: 'approver',
    },
    ...overrides,
  };
}

const verbsOf = (card: Record<string, unknown>) =>
  collectActions(card)
    .filter((a) => a['type'] === 'Action.Execute')
    .map((a) => a['verb']);
const textOf = (card: Record<string, unknown>) => visibleStrings(card).join('\n');

describe('approval cards', () => {
  it('the approvers’ card offers Approve and Reject (with a required reason box) while awaiting', () => {
    const card = approversCard(approval(), now);
    expectWellFormedCard(card);
    expect(verbsOf(card)).toEqual([VERBS.approve, VERBS.reject]);
    const input = JSON.stringify(card);
    expect(input).toContain('"id":"rejectReason"');
    expect(input).toContain('"isRequired":true');
    expect(input).toContain('"maxLength":200');
    const text = textOf(card);
    for (const expected of ['Alice Wong', 'Carol Diaz (their manager)', 'lost phone', '2 hours', '10:58'])
      expect(text).toContain(expected);
    expect(text).toContain('shows it only to you');
  });

  it('says who may approve a privileged target, and lists refusals', () => {
    const card = approversCard(
      approval({
        approval: {
          ...approval().approval!,
          needs: 'privileged',
          refusals: [{ by: dana, code: 'APPROVER_NOT_PRIVILEGED', at: '2026-11-22T09:59:00Z' }],
        },
      }),
      now,
    );
    expectWellFormedCard(card);
    expect(textOf(card)).toContain('only a Privileged Authentication Administrator or Global Administrator');
    expect(textOf(card)).toContain('Dana Reyes could not approve');
  });

  it.each([
    [
      'issued',
      { outcome: { at: now.toISOString(), expiresAt: '2026-11-22T12:00:00Z' } },
      'Approved by Dana Reyes',
    ],
    ['rejected', {}, 'Rejected by Dana Reyes at'],
    ['cancelled', {}, 'Cancelled by Carol Diaz'],
    ['expired', {}, 'without a decision'],
    ['unknown', {}, 'Nobody will retry it'],
    [
      'failed',
      { outcome: { at: now.toISOString(), problemCode: 'TAP_POLICY_EXCLUDED' } },
      'TAP_POLICY_EXCLUDED',
    ],
  ] as const)('a %s request shows its outcome and no buttons', (state, extra, expected) => {
    const request = approval({
      state,
      ...extra,
      approval: {
        ...approval().approval!,
        decidedBy: dana,
        decidedAt: '2026-11-22T10:01:00Z',
        rejectReason: 'no',
      },
    });
    for (const card of [approversCard(request, now), trackingCard(request, now)]) {
      expectWellFormedCard(card);
      expect(verbsOf(card)).toEqual([]);
      expect(textOf(card)).toContain(expected);
    }
  });

  it('the tracking card offers Cancel; the reveal card Reveal; the hand-off card Approve only', () => {
    expect(verbsOf(trackingCard(approval(), now))).toEqual([VERBS.cancel]);
    const issued = approval({ state: 'issued', outcome: { at: now.toISOString() } });
    const ready = revealCard(issued, now, { kind: 'ready' });
    expectWellFormedCard(ready);
    expect(verbsOf(ready)).toEqual([VERBS.reveal]);
    expect(textOf(ready)).toContain('before 10:15');
    expect(verbsOf(revealCard(issued, now, { kind: 'revealed', at: now }))).toEqual([]);
    const handOff = handOffCard(approval(), now);
    expectWellFormedCard(handOff);
    expect(verbsOf(handOff)).toEqual([VERBS.approve]);
  });

  it('a reason and names typed by people cannot become links or template expressions', () => {
    const card = approversCard(
      approval({
        approval: { ...approval().approval!, reason: '[click](https://evil.example) ${x} **now**' },
      }),
      now,
    );
    expectWellFormedCard(card);
    const text = textOf(card);
    expect(text).not.toContain('](http');
    expect(text).not.toContain('${');
    expect(text).not.toContain('**now');
  });
});

describe('approval clicks', () => {
  it('approve and reveal carry only the request id; reject carries its reason', () => {
    expect(parseAction(VERBS.approve, { requestId: REQUEST_ID })).toEqual({
      ok: true,
      action: { verb: 'tap.approve', requestId: REQUEST_ID },
    });
    expect(parseAction(VERBS.approve, { requestId: REQUEST_ID, rejectReason: 'stray input' })).toMatchObject({
      ok: true,
    });
    expect(parseAction(VERBS.reveal, { requestId: REQUEST_ID })).toMatchObject({ ok: true });
    expect(parseAction(VERBS.reject, { requestId: REQUEST_ID, rejectReason: ' not verified ' })).toEqual({
      ok: true,
      action: { verb: 'tap.reject', requestId: REQUEST_ID, reason: 'not verified' },
    });
  });

  it.each([
    ['a blank reason', VERBS.reject, { requestId: REQUEST_ID, rejectReason: '   ' }, 'reason_missing'],
    ['no reason', VERBS.reject, { requestId: REQUEST_ID }, 'reason_missing'],
    [
      'a 201-character reason',
      VERBS.reject,
      { requestId: REQUEST_ID, rejectReason: 'x'.repeat(201) },
      'reason_invalid',
    ],
    [
      'a target smuggled into approve',
      VERBS.approve,
      { requestId: REQUEST_ID, userId: REQUEST_ID },
      'unexpected_field',
    ],
    ['a pass smuggled into reveal', VERBS.reveal, { requestId: REQUEST_ID, pass: 'x' }, 'unexpected_field'],
  ] as const)('refuses %s', (_name, verb, data, reason) => {
    expect(parseAction(verb, data)).toEqual({ ok: false, reason });
  });
});
