import type { DirectoryUser, TapMethod, TapPolicy } from '../graph/port.js';

/**
 * What a confirmation or approval card showed about the person, kept with the request so a click
 * can tell whether it still holds. `passId` is undefined when the asker could not read passes.
 */
export interface ShownFacts {
  passId?: string | null;
  accountEnabled: boolean | null;
  privileged: boolean;
  /** The policy the plan was made against, as a fingerprint; null when it could not be read. */
  policy: string | null;
}

/** The facts as read now, with what a change message needs to name. */
export interface LiveFacts extends ShownFacts {
  pass?: TapMethod | null;
}

/** The parts of the policy that decide a plan and who it applies to. */
export function policyFingerprint(policy: TapPolicy | null): string | null {
  if (!policy) return null;
  const { state, minimumLifetimeInMinutes, maximumLifetimeInMinutes, defaultLifetimeInMinutes } = policy;
  return JSON.stringify([
    state,
    minimumLifetimeInMinutes,
    maximumLifetimeInMinutes,
    defaultLifetimeInMinutes,
    policy.isUsableOnce,
    policy.includeTargets ?? [],
    policy.excludeTargets ?? [],
  ]);
}

export function factsOf(
  user: DirectoryUser,
  pass: TapMethod | null | undefined,
  privileged: boolean,
  policy: TapPolicy | null,
): LiveFacts {
  return {
    ...(pass === undefined ? {} : { passId: pass?.id ?? null, pass }),
    accountEnabled: user.accountEnabled,
    privileged,
    policy: policyFingerprint(policy),
  };
}

/** Drops what a live read carries only for messages, so the snapshot stored with a request stays small. */
export const snapshot = ({ pass: _pass, ...shown }: LiveFacts): ShownFacts => shown;

/**
 * What changed between the card and now, each worded for the admin; empty when the card still holds.
 * The policy counts only when both readings exist (an asker or approver may not read it). A pass the asker could not read
 * (a manager may not) is news only if it was created after the card was shown (`shownAt`).
 */
export function changesSince(
  shown: ShownFacts,
  now: LiveFacts,
  when: (iso: string) => string,
  shownAt: string,
): string[] {
  const changes: string[] = [];
  const unread = shown.passId === undefined;
  const newSince = !!now.pass && Date.parse(now.pass.createdDateTime) > Date.parse(shownAt);
  if (now.passId !== undefined && shown.passId !== now.passId && (!unread || newSince)) {
    if (now.pass)
      changes.push(
        `They got another pass since (created ${when(now.pass.createdDateTime)}); a new one would replace it.`,
      );
    else if (shown.passId)
      changes.push('The pass the card said would be replaced is gone (revoked or expired).');
  }
  if (shown.accountEnabled !== now.accountEnabled)
    changes.push(now.accountEnabled === false ? 'Their account was disabled.' : 'Their account was enabled.');
  if (!shown.privileged && now.privileged) changes.push('They now hold a directory role.');
  if (shown.privileged && !now.privileged) changes.push('They no longer hold a directory role.');
  // Who could read the policy may differ (requester and approver): only two readings can differ.
  if (shown.policy !== null && now.policy !== null && shown.policy !== now.policy)
    changes.push("The tenant's Temporary Access Pass policy changed.");
  return changes;
}
