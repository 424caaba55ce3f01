import { describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cards/actions.js';
import { allowedTransitions, CLICK_RULES, ruleFor } from '../../src/tap/click-rules.js';
import type { TapRequest } from '../../src/tap/request.js';

const request = (kind: TapRequest['kind'], state: TapRequest['state']) => ({ kind, state }) as TapRequest;

describe('the click table', () => {
  it('has a row for every request verb and no creating verb outside issue and approval requests', () => {
    const requestVerbs = Object.values(VERBS).filter(
      (v) => v.startsWith('tap.') || v === VERBS.onboardConfirm,
    );
    expect(Object.keys(CLICK_RULES).sort()).toEqual([...requestVerbs].sort());
    // The verbs that can create a pass: confirm (issue, pending), onboarding's confirm (onboard,
    // pending) and approve (approval, awaiting).
    const creating = new Set<string>([VERBS.confirm, VERBS.onboardConfirm, VERBS.approve]);
    expect(allowedTransitions().filter((t) => creating.has(t.verb))).toEqual([
      { verb: VERBS.confirm, kind: 'issue', state: 'pending' },
      { verb: VERBS.onboardConfirm, kind: 'onboard', state: 'pending' },
      { verb: VERBS.approve, kind: 'approval', state: 'awaiting' },
    ]);
  });

  it('refuses a confirm on a revoke request, and treats a request without kind as an issue', () => {
    expect(ruleFor(VERBS.confirm, request('revoke', 'pending'))).toBeUndefined();
    expect(ruleFor(VERBS.confirm, request(undefined, 'pending'))?.who).toBe('requester');
    expect(ruleFor(VERBS.reveal, request('issue', 'issued'))).toBeUndefined();
    expect(ruleFor(VERBS.revoke, request('issue', 'issued'))?.who).toBe('issuer');
    // An onboarding sets the device before the pass: the issue Confirm never acts on one.
    expect(ruleFor(VERBS.confirm, request('onboard', 'pending'))).toBeUndefined();
    expect(ruleFor(VERBS.onboardConfirm, request('issue', 'pending'))).toBeUndefined();
    expect(ruleFor(VERBS.reissue, request('onboard', 'issued'))).toBeUndefined();
  });
});
