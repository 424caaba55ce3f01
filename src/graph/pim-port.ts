/** A directory role the signed-in user is eligible to activate in PIM. */
export interface EligibleRole {
  /** The role definition id (a built-in role's template id). */
  roleDefinitionId: string;
  displayName: string;
  /** `/` tenant-wide, or `/administrativeUnits/{id}`. */
  directoryScopeId: string;
}

/** A self-activation, always for the signed-in user (`principalId` is their object id). */
export interface SelfActivation {
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  justification: string | undefined;
  durationMinutes: number;
  ticketNumber: string | undefined;
}

/** What Entra answered: `Granted`, `PendingApproval`, or another status of the request. */
export interface ActivationResult {
  id: string;
  status: string;
}

/** PIM for Entra roles, on behalf of the signed-in user only: what they may activate, and activating it. */
export interface PimGraph {
  /** The caller's own eligibilities (`filterByCurrentUser`); throws GraphFailure. */
  myEligibleRoles(signal?: AbortSignal): Promise<EligibleRole[]>;
  /** `selfActivate`; never retried. Throws GraphFailure with PIM's code and message on a refusal. */
  selfActivate(request: SelfActivation, signal?: AbortSignal): Promise<ActivationResult>;
}
