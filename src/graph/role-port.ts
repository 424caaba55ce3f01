/** A directory role a user holds or may activate, as an app-only read of role management sees it. */
export interface HeldRole {
  /** The built-in role's template id; a custom role's definition id. */
  roleTemplateId: string;
  displayName: string;
  /** `active`: assigned now (including PIM activations); `eligible`: PIM, can be activated. */
  assignment: 'active' | 'eligible';
  /** The directory scope: `/` tenant-wide, or `/administrativeUnits/{id}`. */
  scope: string;
}

/** Reads a user's privileged roles, active and eligible, at any scope. */
export interface RoleReader {
  /** Throws GraphFailure (src/graph/failure.ts) when Graph or the token service refuses or fails. */
  privilegedRolesOf(userId: string, signal?: AbortSignal): Promise<HeldRole[]>;
}
