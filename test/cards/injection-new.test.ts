import { describe, expect, it } from 'vitest';
import {
  renderAccountNoticeCard,
  renderReportsNoticeCard,
  renderExpiredNoticeCard,
  renderExpiringNoticeCard,
  renderIssuedNoticeCard,
  renderPassListCard,
  renderPolicyCard,
  renderRevokeConfirmCard,
  renderRevokedCard,
  renderRevokedNoticeCard,
  type AdaptiveCardJson,
} from '../../src/cards/render.js';
import { renderBulkCard, type BulkCardData } from '../../src/cards/bulk.js';
import { expectWellFormedCard, REQUEST_ID, visibleStrings } from './card-checks.js';

/** Every text of a bulk card from `evil` (file names, problems and names come from people). */
const bulkCardData = (evil: string, buttons: BulkCardData['buttons']): BulkCardData => ({
  bulkId: REQUEST_ID,
  heading: evil,
  status: evil,
  tone: 'neutral',
  facts: [{ title: evil, value: evil }],
  peopleHeading: evil,
  people: [evil, evil],
  problemsHeading: evil,
  problems: [evil],
  notes: [evil],
  footer: evil,
  buttons,
});

const EVIL = '${requestId} [click](https://evil.example) **bold** <b>x</b> www.evil.example';
const ZERO_WIDTH = /\u200b/g;
const LINK_SYNTAX = /\]\(|<[a-z]|:\/\/|www\./i;

// Every user-controlled string of every card is the same hostile text; the cards are built
// from a function of that text so that each field can be checked on its own too.
const CARDS: Record<string, (evil: string) => AdaptiveCardJson> = {
  'pass list': (evil) =>
    renderPassListCard({
      targetName: evil,
      targetUpn: evil,
      pass: {
        createdText: evil,
        startText: evil,
        expiresText: evil,
        lifetimeText: evil,
        usableOnce: false,
        usable: false,
        reasonText: evil,
      },
      revokeRequestId: REQUEST_ID,
    }),
  'pass list without a pass': (evil) =>
    renderPassListCard({ targetName: evil, targetUpn: evil, pass: null, revokeRequestId: null }),
  'revoke confirm': (evil) =>
    renderRevokeConfirmCard({
      requestId: REQUEST_ID,
      targetName: evil,
      targetUpn: evil,
      createdText: evil,
      expiresText: evil,
      usableText: evil,
      requesterName: evil,
      requestExpiresText: evil,
    }),
  revoked: (evil) =>
    renderRevokedCard({ revokerName: evil, targetName: evil, targetUpn: evil, atText: evil }),
  policy: (evil) =>
    renderPolicyCard({
      state: 'enabled',
      defaultLifetimeText: evil,
      minimumLifetimeText: evil,
      maximumLifetimeText: evil,
      oneTimeText: evil,
      length: 8,
      includeText: evil,
      excludeText: evil,
    }),
  'issued notice': (evil) =>
    renderIssuedNoticeCard({
      requestId: REQUEST_ID,
      targetName: evil,
      targetUpn: evil,
      expiresText: evil,
      usableOnce: true,
    }),
  'account notice to the person': (evil) =>
    renderAccountNoticeCard({ forWhom: 'you', issuerName: evil, atText: evil, verificationTitle: evil }),
  'account notice to the manager': (evil) =>
    renderAccountNoticeCard({ forWhom: evil, issuerName: evil, atText: evil, verificationTitle: evil }),
  'bulk card for the requester': (evil) =>
    renderBulkCard(bulkCardData(evil, { issue: evil, reissue: evil, cancel: true })),
  'bulk card for the approvers': (evil) =>
    renderBulkCard(bulkCardData(evil, { approve: true, reject: true })),
  "manager's notice about a bulk's reports": (evil) =>
    renderReportsNoticeCard({ reportNames: [evil, evil], issuerName: evil, atText: evil }),
  'expiring notice': (evil) =>
    renderExpiringNoticeCard({ requestId: REQUEST_ID, targetName: evil, expiresText: evil, minutesLeft: 5 }),
  'expired notice': (evil) =>
    renderExpiredNoticeCard({ requestId: REQUEST_ID, targetName: evil, expiredText: evil, statusText: evil }),
  'revoked notice to the person': (evil) =>
    renderRevokedNoticeCard({ forWhom: 'you', revokerName: evil, targetName: evil, atText: evil }),
  'revoked notice to the issuer': (evil) =>
    renderRevokedNoticeCard({ forWhom: evil, revokerName: evil, targetName: evil, atText: evil }),
};

describe('user-controlled text on the pass, policy and notice cards', () => {
  it.each(Object.keys(CARDS))('neutralises every field of the %s card', (name) => {
    const card = CARDS[name]!(EVIL);
    expectWellFormedCard(card);
    const texts = visibleStrings(card);
    // Visually unchanged: without the invisible breaks, the hostile text is there as typed.
    expect(texts.some((text) => text.replace(ZERO_WIDTH, '').includes(EVIL))).toBe(true);
    for (const text of texts) {
      expect(text).not.toMatch(LINK_SYNTAX);
      expect(text).not.toContain('${');
      expect(text).not.toContain('**');
    }
    // The request id appears only in action data, never substituted into what people see.
    expect(texts.join('\n')).not.toContain(REQUEST_ID);
  });

  it.each(Object.keys(CARDS))('caps an enormous value on the %s card', (name) => {
    const card = CARDS[name]!('x'.repeat(20_000));
    expectWellFormedCard(card);
    expect(JSON.stringify(card).length).toBeLessThan(12_000);
  });
});
