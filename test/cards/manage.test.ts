import { describe, expect, it } from 'vitest';
import {
  renderPassListCard,
  renderPassesCard,
  renderPolicyCard,
  renderRevokeConfirmCard,
  renderRevokedCard,
  type PassListCardData,
  type PolicyCardData,
} from '../../src/cards/render.js';
import { VERBS } from '../../src/cards/actions.js';
import { collectActions, expectWellFormedCard, REQUEST_ID, visibleStrings } from './card-checks.js';

const pass: NonNullable<PassListCardData['pass']> = {
  createdText: 'today at 09:58',
  startText: 'today at 10:00',
  expiresText: 'today at 18:00',
  lifetimeText: '8 hours',
  usableOnce: true,
  usable: true,
  reasonText: 'EnabledByPolicy',
};
const listData: PassListCardData = {
  targetName: 'Alice Wong',
  targetUpn: 'alice.wong@contoso.com',
  pass,
  revokeRequestId: REQUEST_ID,
};

const textOf = (card: Record<string, unknown>) => visibleStrings(card).join('\n');

describe('renderPassListCard', () => {
  it('shows the pass facts and a destructive Revoke button that carries only the request id', () => {
    const card = renderPassListCard(listData);
    expectWellFormedCard(card);
    const texts = textOf(card);
    expect(texts).toContain('Temporary Access Pass for Alice Wong');
    expect(texts).toContain('alice.wong@contoso.com');
    for (const expected of ['today at 09:58', 'today at 10:00', 'today at 18:00', '8 hours', 'One-time']) {
      expect(texts).toContain(expected);
    }
    expect(texts).toContain('Usable (allowed by the tenant policy)');
    expect(collectActions(card)).toEqual([
      {
        type: 'Action.Execute',
        title: 'Revoke',
        verb: VERBS.revoke,
        style: 'destructive',
        data: { requestId: REQUEST_ID },
      },
    ]);
  });

  it('has no actions at all when the caller may not revoke', () => {
    const card = renderPassListCard({ ...listData, revokeRequestId: null });
    expectWellFormedCard(card);
    expect(collectActions(card)).toEqual([]);
    expect(card['actions']).toBeUndefined();
  });

  it('says so when there is no pass, and offers nothing to revoke', () => {
    const card = renderPassListCard({ ...listData, pass: null });
    expectWellFormedCard(card);
    expect(textOf(card)).toContain('Alice Wong has no Temporary Access Pass.');
    expect(textOf(card)).not.toContain('Valid until');
    expect(collectActions(card)).toEqual([]);
  });

  it.each([
    [false, 'Expired', 'Not usable (expired)'],
    [false, 'OneTimeUsed', 'Not usable (already used once)'],
    [false, 'SomethingNew', 'Not usable (SomethingNew)'],
    [true, '', 'Usable'],
  ])('describes usable=%s reason %j as %j', (usable, reasonText, expected) => {
    const card = renderPassListCard({ ...listData, pass: { ...pass, usable, reasonText } });
    expectWellFormedCard(card);
    expect(visibleStrings(card)).toContain(expected);
  });
});

describe('renderRevokeConfirmCard', () => {
  const card = renderRevokeConfirmCard({
    requestId: REQUEST_ID,
    targetName: 'Alice Wong',
    targetUpn: 'alice.wong@contoso.com',
    createdText: 'today at 09:58',
    expiresText: 'today at 18:00',
    usableText: 'usable now',
    requesterName: 'Dana Reyes',
    requestExpiresText: '10:27',
  });

  it('asks the question with the facts and who asked', () => {
    expectWellFormedCard(card);
    const texts = textOf(card);
    expect(visibleStrings(card)[0]).toBe('Revoke the pass for Alice Wong?');
    for (const expected of ['alice.wong@contoso.com', 'today at 09:58', 'today at 18:00', 'usable now']) {
      expect(texts).toContain(expected);
    }
    expect(texts).toContain('Requested by Dana Reyes. This request expires at 10:27.');
  });

  it('offers a destructive Revoke and a Cancel without inputs', () => {
    const [revoke, cancel, ...rest] = collectActions(card);
    expect(rest).toEqual([]);
    expect(revoke).toEqual({
      type: 'Action.Execute',
      title: 'Revoke',
      verb: VERBS.revoke,
      style: 'destructive',
      data: { requestId: REQUEST_ID },
    });
    expect(cancel).toEqual({
      type: 'Action.Execute',
      title: 'Cancel',
      verb: VERBS.cancel,
      associatedInputs: 'none',
      data: { requestId: REQUEST_ID },
    });
  });
});

describe('renderRevokedCard', () => {
  it('records who revoked whose pass and when, with no buttons', () => {
    const card = renderRevokedCard({
      revokerName: 'Dana Reyes',
      targetName: 'Alice Wong',
      targetUpn: 'alice.wong@contoso.com',
      atText: '10:12',
    });
    expectWellFormedCard(card);
    expect(collectActions(card)).toEqual([]);
    expect(card['actions']).toBeUndefined();
    const texts = textOf(card);
    expect(texts).toContain('Revoked by Dana Reyes at 10:12.');
    expect(texts).toContain('Alice Wong (alice.wong@contoso.com)');
  });
});

describe('renderPolicyCard', () => {
  const policy: PolicyCardData = {
    state: 'enabled',
    defaultLifetimeText: '1 hour',
    minimumLifetimeText: '10 minutes',
    maximumLifetimeText: '8 hours',
    oneTimeText: 'one-time or multi-use',
    length: 8,
    includeText: 'all users',
    excludeText: 'nobody',
  };

  it('shows every setting and no buttons', () => {
    const card = renderPolicyCard(policy);
    expectWellFormedCard(card);
    expect(collectActions(card)).toEqual([]);
    const texts = visibleStrings(card);
    for (const expected of [
      'Enabled',
      '1 hour',
      '10 minutes',
      '8 hours',
      'one-time or multi-use',
      '8 characters',
      'all users',
      'nobody',
    ]) {
      expect(texts).toContain(expected);
    }
  });

  it('warns when the policy is disabled', () => {
    const card = renderPolicyCard({ ...policy, state: 'disabled' });
    expectWellFormedCard(card);
    expect(visibleStrings(card)).toContain('Disabled');
    expect(JSON.stringify(card)).toContain('"color":"Attention"');
  });

  it.each([Number.NaN, -1, 2.5, 1e9])('shows a dash for an odd length %d', (length) => {
    const card = renderPolicyCard({ ...policy, length });
    expectWellFormedCard(card);
    expect(textOf(card)).not.toContain('characters');
  });
});

describe('renderPassesCard', () => {
  const row = (n: number, revokeRequestId: string | null) => ({
    targetName: `Person ${n}`,
    targetUpn: `person${n}@contoso.com`,
    issuerName: 'Dana Reyes',
    issuedText: 'today at 09:58',
    expiresText: 'today at 18:00',
    usableOnce: false,
    statusText: revokeRequestId ? 'Usable' : 'Gone from Entra',
    revokeRequestId,
  });

  it('shows every row with who issued it and its expiry, and a Revoke carrying only its own request id', () => {
    const card = renderPassesCard({
      mine: false,
      more: 0,
      hidden: 0,
      rows: [row(1, REQUEST_ID), row(2, null)],
    });
    expectWellFormedCard(card);
    const texts = textOf(card);
    for (const expected of [
      'Person 1 (person1@contoso.com)',
      'Dana Reyes',
      'today at 18:00',
      'Gone from Entra',
    ])
      expect(texts).toContain(expected);
    expect(texts).toContain('2 passes TapDesk issued are still outstanding');
    const actions = collectActions(card);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ verb: VERBS.revoke, data: { requestId: REQUEST_ID } });
    expect(texts).not.toContain('more not shown');
  });

  it('says how many more there are, and words an empty list of your own', () => {
    expect(
      textOf(renderPassesCard({ mine: false, more: 7, hidden: 0, rows: [row(1, REQUEST_ID)] })),
    ).toContain('…and 7 more not shown');
    const empty = textOf(renderPassesCard({ mine: true, more: 0, hidden: 0, rows: [] }));
    expect(empty).toContain('No pass you issued is outstanding.');
    expect(empty).not.toMatch(/[<>]/);
  });

  it('counts the passes left out because the caller may not read them, naming no one', () => {
    const none = textOf(renderPassesCard({ mine: false, more: 0, hidden: 0, rows: [row(1, REQUEST_ID)] }));
    expect(none).not.toContain('left out');
    const two = textOf(renderPassesCard({ mine: false, more: 0, hidden: 2, rows: [row(1, REQUEST_ID)] }));
    expect(two).toContain('2 more are left out: your role cannot read those people’s passes in Entra.');
  });

  it('neutralises names that came from the directory', () => {
    const card = renderPassesCard({
      mine: false,
      more: 0,
      hidden: 0,
      rows: [{ ...row(1, REQUEST_ID), targetName: '[click](https://evil.example) ${requestId}' }],
    });
    expect(textOf(card)).not.toMatch(/\]\(|:\/\//);
  });
});
