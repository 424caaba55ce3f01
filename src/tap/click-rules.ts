import { VERBS } from '../cards/actions.js';
import type { RequestState, TapRequest } from './request.js';

export type RequestKind = NonNullable<TapRequest['kind']>;

/** The verbs whose payload names a stored request (bulk buttons name a bulk, with rules of their own). */
export type RequestVerb =
  | typeof VERBS.choose
  | typeof VERBS.confirm
  | typeof VERBS.onboardConfirm
  | typeof VERBS.cancel
  | typeof VERBS.revoke
  | typeof VERBS.reissue
  | typeof VERBS.approve
  | typeof VERBS.reject
  | typeof VERBS.reveal
  | typeof VERBS.activate
  | typeof VERBS.faceCheck;

/** Who may click: the person who asked, the person whose token created the pass, or a second admin. */
export type ClickerRole = 'requester' | 'issuer' | 'approver' | 'recipient';

interface Rule {
  states: readonly RequestState[];
  who: ClickerRole;
}

/**
 * The one table of which button may act on which kind of request in which state, and for whom.
 * A click whose verb has no row for the stored request's kind is refused before anything is read
 * or written; the mapped type makes the compiler demand a row for every verb.
 * (A confirm carrying a revoke request's id once created a pass with an empty body: no row here.)
 */
export const CLICK_RULES: { [V in RequestVerb]: Partial<Record<RequestKind, Rule>> } = {
  [VERBS.choose]: { issue: { states: ['choosing'], who: 'requester' } },
  [VERBS.confirm]: { issue: { states: ['pending'], who: 'requester' } },
  // An onboarding sets the device before the pass, so only its own Confirm may act on it.
  [VERBS.onboardConfirm]: { onboard: { states: ['pending'], who: 'requester' } },
  [VERBS.cancel]: {
    issue: { states: ['choosing', 'pending'], who: 'requester' },
    onboard: { states: ['pending'], who: 'requester' },
    approval: { states: ['awaiting'], who: 'requester' },
  },
  [VERBS.revoke]: {
    // A list/revoke card's pending revoke request, or the notice of a pass TapDesk issued.
    // A notice of a pass since replaced may still be clicked: the answer then says what is true.
    revoke: { states: ['pending'], who: 'requester' },
    issue: { states: ['issued', 'replaced'], who: 'issuer' },
    approval: { states: ['issued', 'replaced'], who: 'issuer' },
    onboard: { states: ['issued', 'replaced'], who: 'issuer' },
  },
  [VERBS.reissue]: {
    issue: { states: ['issued', 'revoked', 'replaced'], who: 'issuer' },
    approval: { states: ['issued', 'revoked', 'replaced'], who: 'issuer' },
  },
  [VERBS.approve]: { approval: { states: ['awaiting'], who: 'approver' } },
  [VERBS.reject]: { approval: { states: ['awaiting'], who: 'approver' } },
  // The requester (DELIVER_TO=requester), or the manager a pass was delivered to (deliverTo manager).
  [VERBS.reveal]: { approval: { states: ['issued'], who: 'recipient' } },
  // The refusal card's "Activate <role>": only its requester, while the request waits for the role.
  [VERBS.activate]: { issue: { states: ['choosing'], who: 'requester' } },
  // Face Check from the confirmation card, by whoever asked, while it can still be confirmed.
  [VERBS.faceCheck]: {
    issue: { states: ['pending'], who: 'requester' },
    onboard: { states: ['pending'], who: 'requester' },
  },
};

export const kindOf = (request: TapRequest): RequestKind => request.kind ?? 'issue';

/** The rule for this verb on this request, or undefined when the button does not apply to it at all. */
export function ruleFor(verb: RequestVerb, request: TapRequest): Rule | undefined {
  return CLICK_RULES[verb][kindOf(request)];
}

/** Every (verb, kind, state) the table allows; tests and the threat model enumerate it. */
export function allowedTransitions(): { verb: RequestVerb; kind: RequestKind; state: RequestState }[] {
  return (Object.keys(CLICK_RULES) as RequestVerb[]).flatMap((verb) =>
    (Object.entries(CLICK_RULES[verb]) as [RequestKind, Rule][]).flatMap(([kind, rule]) =>
      rule.states.map((state) => ({ verb, kind, state })),
    ),
  );
}
