import { describe, expect, it } from 'vitest';
import { parseAction, VERBS, type ActionRejection } from '../../src/cards/actions.js';
import { REQUEST_ID } from './card-checks.js';

const USER_ID = '0b9e4d7c-3f21-4a8e-b5c6-7d8e9f0a1b2c';

describe('parseAction: accepted payloads', () => {
  it('reads a confirm click with its inputs', () => {
    expect(
      parseAction(VERBS.confirm, { requestId: REQUEST_ID, verification: 'callback', ticket: ' INC-42/b ' }),
    ).toEqual({
      ok: true,
      action: { verb: 'tap.confirm', requestId: REQUEST_ID, verification: 'callback', ticket: 'INC-42/b' },
    });
  });

  it.each([undefined, '', '   '])('treats ticket %j as absent', (ticket) => {
    const data =
      ticket === undefined
        ? { requestId: REQUEST_ID, verification: 'manager' }
        : { requestId: REQUEST_ID, verification: 'manager', ticket };
    expect(parseAction(VERBS.confirm, data)).toEqual({
      ok: true,
      action: { verb: 'tap.confirm', requestId: REQUEST_ID, verification: 'manager', ticket: null },
    });
  });

  it('reads a cancel click and drops any inputs that rode along', () => {
    expect(
      parseAction(VERBS.cancel, { requestId: REQUEST_ID, verification: 'in-person', ticket: 'x' }),
    ).toEqual({
      ok: true,
      action: { verb: 'tap.cancel', requestId: REQUEST_ID },
    });
    expect(parseAction(VERBS.cancel, { requestId: REQUEST_ID })).toMatchObject({ ok: true });
  });

  it.each([VERBS.revoke, VERBS.reissue])('reads a %s click carrying only the request id', (verb) => {
    expect(parseAction(verb, { requestId: REQUEST_ID })).toEqual({
      ok: true,
      action: { verb, requestId: REQUEST_ID },
    });
  });

  it('names the revoke and reissue verbs as the cards use them', () => {
    expect(VERBS.revoke).toBe('tap.revoke');
    expect(VERBS.reissue).toBe('tap.reissue');
  });

  it('reads a choose click', () => {
    expect(parseAction(VERBS.choose, { requestId: REQUEST_ID, userId: USER_ID })).toEqual({
      ok: true,
      action: { verb: 'tap.choose', requestId: REQUEST_ID, userId: USER_ID },
    });
  });
});

describe('parseAction: rejected payloads', () => {
  const confirm = { requestId: REQUEST_ID, verification: 'video-photo-id' };
  const cases: Array<[string, string, unknown, ActionRejection]> = [
    ['an unknown verb', 'tap.issue', confirm, 'unknown_verb'],
    ['a verb in the wrong case', 'TAP.CONFIRM', confirm, 'unknown_verb'],
    ['data that is not an object', VERBS.confirm, 'requestId', 'data_not_object'],
    ['null data', VERBS.cancel, null, 'data_not_object'],
    ['array data', VERBS.cancel, [REQUEST_ID], 'data_not_object'],
    ['an extra key on confirm', VERBS.confirm, { ...confirm, userId: USER_ID }, 'unexpected_field'],
    ['a smuggled pass lifetime', VERBS.confirm, { ...confirm, lifetimeMinutes: 43200 }, 'unexpected_field'],
    [
      'an extra key on cancel',
      VERBS.cancel,
      { requestId: REQUEST_ID, upn: 'eve@contoso.com' },
      'unexpected_field',
    ],
    [
      'an extra key on choose',
      VERBS.choose,
      { requestId: REQUEST_ID, userId: USER_ID, verification: 'callback' },
      'unexpected_field',
    ],
    ['a non-uuid request id', VERBS.confirm, { ...confirm, requestId: '42' }, 'request_id_invalid'],
    ['a missing request id', VERBS.cancel, {}, 'request_id_invalid'],
    ['a numeric request id', VERBS.cancel, { requestId: 42 }, 'request_id_invalid'],
    [
      'a non-uuid user id',
      VERBS.choose,
      { requestId: REQUEST_ID, userId: 'alice@contoso.com' },
      'user_id_invalid',
    ],
    ['a missing verification', VERBS.confirm, { requestId: REQUEST_ID }, 'verification_missing'],
    [
      'an empty verification',
      VERBS.confirm,
      { requestId: REQUEST_ID, verification: '' },
      'verification_missing',
    ],
    [
      'an unknown verification',
      VERBS.confirm,
      { ...confirm, verification: 'trust-me' },
      'verification_invalid',
    ],
    [
      'a verification given as a title',
      VERBS.confirm,
      { ...confirm, verification: 'In person' },
      'verification_invalid',
    ],
    ['an over-long ticket', VERBS.confirm, { ...confirm, ticket: 'A'.repeat(65) }, 'ticket_too_long'],
    [
      'a ticket with markup',
      VERBS.confirm,
      { ...confirm, ticket: '[x](https://evil.example)' },
      'ticket_invalid',
    ],
    [
      'a ticket with a template expression',
      VERBS.confirm,
      { ...confirm, ticket: '${requestId}' },
      'ticket_invalid',
    ],
    ['a ticket with spaces inside', VERBS.confirm, { ...confirm, ticket: 'INC 42' }, 'ticket_invalid'],
    ['a non-string ticket', VERBS.confirm, { ...confirm, ticket: 42 }, 'ticket_invalid'],
    ['a revoke verb in the wrong case', 'TAP.REVOKE', { requestId: REQUEST_ID }, 'unknown_verb'],
    ['a verb that is not ours', 'tap.delete', { requestId: REQUEST_ID }, 'unknown_verb'],
    ['revoke data that is not an object', VERBS.revoke, REQUEST_ID, 'data_not_object'],
    ['null reissue data', VERBS.reissue, null, 'data_not_object'],
    ['a revoke missing its request id', VERBS.revoke, {}, 'request_id_invalid'],
    ['a revoke with a non-uuid request id', VERBS.revoke, { requestId: 'alice' }, 'request_id_invalid'],
    ['a reissue with a numeric request id', VERBS.reissue, { requestId: 7 }, 'request_id_invalid'],
    [
      'a revoke naming the user to revoke',
      VERBS.revoke,
      { requestId: REQUEST_ID, userId: USER_ID },
      'unexpected_field',
    ],
    [
      'a revoke with inputs riding along',
      VERBS.revoke,
      { requestId: REQUEST_ID, verification: 'callback' },
      'unexpected_field',
    ],
    [
      'a reissue with a smuggled lifetime',
      VERBS.reissue,
      { requestId: REQUEST_ID, lifetimeMinutes: 43200 },
      'unexpected_field',
    ],
    [
      'a reissue with a prototype key',
      VERBS.reissue,
      JSON.parse('{"requestId":"x","__proto__":{}}'),
      'unexpected_field',
    ],
  ];
  it.each(cases)('rejects %s', (_name, verb, data, reason) => {
    expect(parseAction(verb, data)).toEqual({ ok: false, reason });
  });

  it('accepts a 64-character ticket', () => {
    expect(parseAction(VERBS.confirm, { ...confirm, ticket: 'A'.repeat(64) })).toMatchObject({ ok: true });
  });
});
