import { describe, expect, it } from 'vitest';
import type { AuditEvent, AuditEventType } from '../../src/audit/event.js';
import { describeAuditEvent } from '../../src/cards/render.js';

const NOW = new Date('2026-11-22T13:30:00Z');
const ZONE = 'Europe/Berlin';

function event(type: AuditEventType, extra: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: 'evt-1',
    at: '2026-11-22T13:05:00Z',
    type,
    requestId: 'req-1',
    actor: { oid: 'oid-dana', name: 'Dana Reyes' },
    target: { id: 'user-1', userPrincipalName: 'alice.wong@contoso.com', displayName: 'Alice Wong' },
    ...extra,
  };
}

describe('describeAuditEvent', () => {
  it('describes an issued pass with every detail', () => {
    const row = describeAuditEvent(
      event('tap.issued', {
        verification: 'callback',
        lifetimeMinutes: 120,
        isUsableOnce: true,
        ticket: 'INC-1',
        methodId: '8f3c2b1a-0d4e-4f5a-9b6c-7d8e9f0a1b2c',
        startDateTime: '2026-11-22T13:05:00Z',
        expiresAt: '2026-11-22T15:05:00Z',
      }),
      ZONE,
      NOW,
    );
    expect(row).toStrictEqual({
      whenText: '14:05 CET',
      what: 'Issued',
      actorName: 'Dana Reyes',
      targetText: 'Alice Wong (alice.wong@contoso.com)',
      details: 'verified: Call-back to a number on file, 2 hours, one-time, ticket INC-1, method 8f3c2b1a…',
    });
  });

  it.each<[AuditEventType, Partial<AuditEvent>, string]>([
    ['request.created', {}, 'Requested'],
    ['request.confirmed', {}, 'Confirmed'],
    ['request.cancelled', {}, 'Cancelled'],
    ['request.expired', {}, 'Expired'],
    ['tap.issued', {}, 'Issued'],
    ['tap.failed', { code: 'TAP_POLICY_EXCLUDED' }, 'Failed (TAP_POLICY_EXCLUDED)'],
    ['tap.failed', {}, 'Failed'],
    ['tap.outcome_unknown', {}, 'Outcome unknown'],
    ['tap.revoked', {}, 'Revoked'],
  ])('describes %s %j as %s', (type, extra, what) => {
    expect(describeAuditEvent(event(type, extra), ZONE, NOW).what).toBe(what);
  });

  it('shows the code in the details unless the failure already shows it', () => {
    expect(describeAuditEvent(event('tap.failed', { code: 'X' }), ZONE, NOW).details).toBe('');
    expect(
      describeAuditEvent(event('tap.outcome_unknown', { code: 'GRAPH_TIMEOUT' }), ZONE, NOW).details,
    ).toBe('code GRAPH_TIMEOUT');
  });

  it('reads multi-use, long lifetimes, unknown verification values and short method ids', () => {
    const row = describeAuditEvent(
      event('tap.revoked', {
        verification: 'carrier-pigeon',
        lifetimeMinutes: 1530,
        isUsableOnce: false,
        methodId: 'abc',
      }),
      ZONE,
      NOW,
    );
    expect(row.details).toBe('verified: carrier-pigeon, 1 day 1 hour 30 minutes, multi-use, method abc');
  });

  it('gives the date for another day and uses the given zone', () => {
    const at = '2026-11-20T08:00:00Z';
    expect(describeAuditEvent(event('tap.issued', { at }), ZONE, NOW).whenText).toBe('Fri 20 Nov, 09:00 CET');
    expect(describeAuditEvent(event('tap.issued', { at }), 'UTC', NOW).whenText).toBe(
      'Fri 20 Nov, 08:00 UTC',
    );
    // An unknown zone falls back to UTC rather than failing.
    expect(describeAuditEvent(event('tap.issued'), 'Not/AZone', NOW).whenText).toBe('13:05 UTC');
  });

  it('survives malformed or partial stored rows', () => {
    expect(describeAuditEvent(event('tap.issued', { at: 'yesterday' }), ZONE, NOW).whenText).toBe(
      'yesterday',
    );
    const noTarget = describeAuditEvent(event('request.created', { target: null }), ZONE, NOW);
    expect(noTarget.targetText).toBe('');
    expect(noTarget.details).toBe('');
    const upnOnly = { id: 'u', userPrincipalName: 'bob@contoso.com', displayName: ' ' };
    expect(describeAuditEvent(event('tap.issued', { target: upnOnly }), ZONE, NOW).targetText).toBe(
      'bob@contoso.com',
    );
    const idOnly = { id: 'user-9', userPrincipalName: '', displayName: '' };
    expect(describeAuditEvent(event('tap.issued', { target: idOnly }), ZONE, NOW).targetText).toBe('user-9');
    const nameless = { oid: 'oid-x', name: '' };
    expect(describeAuditEvent(event('tap.issued', { actor: nameless }), ZONE, NOW).actorName).toBe('oid-x');
    const future = event('tap.issued', { type: 'tap.reissued' as AuditEventType });
    expect(describeAuditEvent(future, ZONE, NOW).what).toBe('tap.reissued');
  });
});
