import { describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cards/actions.js';
import { allowedTransitions, CLICK_RULES, ruleFor } from '../../src/tap/click-rules.js';
import type { TapRequest } from '../../src/tap/request.js';

const request = (kind: TapRequest['kind'], state: TapRequest['state']) => ({ kind, state }) as TapRequest;

describe('the click table', () => {
  it('has a row for every request verb and no creating verb outside issue and approval requests', () => {
    const requestVerbs = Object.values(VERBS).filter((v) => v.startsWith('tap.') || v === VERBS.activate);
    expect(Object.keys(CLICK_RULES).sort()).toEqual([...requestVerbs].sort());
    // The verbs that can create a pass: confirm (issue, pending) and approve (approval, awaiting).
    expect(allowedTransitions().filter((t) => t.verb === VERBS.confirm || t.verb === VERBS.approve)).toEqual([
      { verb: VERBS.confirm, kind: 'issue', state: 'pending' },
      { verb: VERBS.approve, kind: 'approval', state: 'awaiting' },
    ]);
  });

  it('refuses a confirm on a revoke request, and treats a request without kind as an issue', () => {
    expect(ruleFor(VERBS.confirm, request('revoke', 'pending'))).toBeUndefined();
    expect(ruleFor(VERBS.confirm, request(undefined, 'pending'))?.who).toBe('requester');
    expect(ruleFor(VERBS.reveal, request('issue', 'issued'))).toBeUndefined();
    expect(ruleFor(VERBS.revoke, request('issue', 'issued'))?.who).toBe('issuer');
  });
});
