import { describe, expect, it } from 'vitest';
import {
  renderAccountNoticeCard,
  renderExpiredNoticeCard,
  renderExpiringNoticeCard,
  renderIssuedNoticeCard,
  renderReportsNoticeCard,
  renderRevokedNoticeCard,
} from '../../src/cards/render.js';
import { VERBS } from '../../src/cards/actions.js';
import { collectActions, expectWellFormedCard, REQUEST_ID, visibleStrings } from './card-checks.js';

const textOf = (card: Record<string, unknown>) => visibleStrings(card).join('\n');
const REVOKE_NOW = {
  type: 'Action.Execute',
  title: 'Revoke now',
  verb: VERBS.revoke,
  style: 'destructive',
  data: { requestId: REQUEST_ID },
};
const REISSUE = {
  type: 'Action.Execute',
  title: 'Issue a new one',
  verb: VERBS.reissue,
  data: { requestId: REQUEST_ID },
};

describe('renderIssuedNoticeCard', () => {
  it('tells the issuer when the pass expires and offers Revoke now and Issue a new one', () => {
    const card = renderIssuedNoticeCard({
      requestId: REQUEST_ID,
      targetName: 'Alice Wong',
      targetUpn: 'alice.wong@contoso.com',
      expiresText: '14:05',
      usableOnce: true,
    });
    expectWellFormedCard(card);
    expect(visibleStrings(card)[0]).toBe('Pass for Alice Wong expires at 14:05');
    expect(textOf(card)).toContain('alice.wong@contoso.com');
    expect(textOf(card)).toContain('One-time');
    expect(collectActions(card)).toEqual([REVOKE_NOW, REISSUE]);
  });
});

describe('renderAccountNoticeCard', () => {
  const base = {
    issuerName: 'Dana Reyes',
    atText: '10:05',
    verificationTitle: 'Call-back to a number on file',
  };

  it('tells the person about a pass for their account, with no buttons', () => {
    const card = renderAccountNoticeCard({ ...base, forWhom: 'you' });
    expectWellFormedCard(card);
    expect(collectActions(card)).toEqual([]);
    expect(card['actions']).toBeUndefined();
    expect(visibleStrings(card)).toContain(
      'A Temporary Access Pass was issued for your account by Dana Reyes at 10:05 ' +
        '(verification: Call-back to a number on file). Not expected? Contact the helpdesk.',
    );
  });

  it('tells the manager whose account it was', () => {
    const card = renderAccountNoticeCard({ ...base, forWhom: 'Alice Wong' });
    expectWellFormedCard(card);
    expect(textOf(card)).toContain("issued for Alice Wong's account by Dana Reyes at 10:05");
    expect(collectActions(card)).toEqual([]);
  });
});

describe('renderReportsNoticeCard', () => {
  it("tells a manager about a bulk's passes for their reports: the first 10 names and how many more", () => {
    const reportNames = Array.from({ length: 12 }, (_, i) => `New Hire ${i + 1}`);
    const card = renderReportsNoticeCard({ reportNames, issuerName: 'Dana Reyes', atText: '10:05' });
    expectWellFormedCard(card);
    expect(collectActions(card)).toEqual([]);
    expect(textOf(card)).toContain(
      '12 of your reports got a Temporary Access Pass from Dana Reyes at 10:05 (bulk issuance): ' +
        'New Hire 1, New Hire 2, New Hire 3, New Hire 4, New Hire 5, New Hire 6, New Hire 7, New Hire 8, ' +
        'New Hire 9, New Hire 10 and 2 more. Not expected? Contact the helpdesk.',
    );
  });
});

describe('renderExpiringNoticeCard', () => {
  it.each([
    [15, 'in 15 minutes'],
    [1, 'in 1 minute'],
    [0, 'in less than a minute'],
    [-3, 'in less than a minute'],
    [Number.NaN, 'in less than a minute'],
  ])('says %d minutes left as %j, with both buttons', (minutesLeft, words) => {
    const card = renderExpiringNoticeCard({
      requestId: REQUEST_ID,
      targetName: 'Alice Wong',
      expiresText: '14:05',
      minutesLeft,
    });
    expectWellFormedCard(card);
    expect(textOf(card)).toContain(`expires at 14:05, ${words}.`);
    expect(collectActions(card)).toEqual([REVOKE_NOW, REISSUE]);
  });
});

describe('renderExpiredNoticeCard', () => {
  it('says the pass expired and offers only Issue a new one', () => {
    const card = renderExpiredNoticeCard({
      requestId: REQUEST_ID,
      targetName: 'Alice Wong',
      expiredText: '14:05',
      statusText: 'It was never used.',
    });
    expectWellFormedCard(card);
    expect(textOf(card)).toContain('The Temporary Access Pass for Alice Wong expired at 14:05.');
    expect(textOf(card)).toContain('It was never used.');
    expect(collectActions(card)).toEqual([REISSUE]);
  });
});

describe('renderRevokedNoticeCard', () => {
  const base = { revokerName: 'Dana Reyes', targetName: 'Alice Wong', atText: '10:12' };

  it('tells the person their pass was revoked, with no buttons', () => {
    const card = renderRevokedNoticeCard({ ...base, forWhom: 'you' });
    expectWellFormedCard(card);
    expect(collectActions(card)).toEqual([]);
    expect(textOf(card)).toContain('Your Temporary Access Pass was revoked by Dana Reyes at 10:12.');
    expect(textOf(card)).toContain('Contact the helpdesk');
  });

  it('tells the issuer whose pass was revoked', () => {
    const card = renderRevokedNoticeCard({ ...base, forWhom: 'Sam Issuer' });
    expectWellFormedCard(card);
    expect(collectActions(card)).toEqual([]);
    expect(textOf(card)).toContain(
      'The Temporary Access Pass for Alice Wong was revoked by Dana Reyes at 10:12.',
    );
  });
});
