/** What the core needs from Microsoft Graph, always on behalf of one signed-in admin. */
export interface DirectoryUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  userType: string | null;
  accountEnabled: boolean | null;
  department: string | null;
  jobTitle: string | null;
}

export interface DirectoryRole {
  roleTemplateId: string;
  displayName: string;
}

export interface TapMethod {
  id: string;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: string;
}

/** Only the create response carries the code; it must go straight to the clicker and nowhere else. */
export interface CreatedTap extends TapMethod {
  temporaryAccessPass: string;
}

export interface TapPolicy {
  state: 'enabled' | 'disabled';
  defaultLifetimeInMinutes: number;
  minimumLifetimeInMinutes: number;
  maximumLifetimeInMinutes: number;
  isUsableOnce: boolean;
  defaultLength: number;
  includeTargets?: { id: string; targetType: string }[];
  excludeTargets?: { id: string; targetType: string }[];
}

export interface CreateTapBody {
  startDateTime?: string;
  lifetimeInMinutes?: number;
  isUsableOnce?: boolean;
}

export type UserSearch = { by: 'upnOrMailPrefix'; text: string } | { by: 'displayNamePrefix'; text: string };

export interface TapGraph {
  /** The user by object id or UPN, or null when Graph answers 404. */
  getUser(idOrUpn: string, signal?: AbortSignal): Promise<DirectoryUser | null>;
  findUsers(search: UserSearch, limit: number, signal?: AbortSignal): Promise<DirectoryUser[]>;
  getManager(userId: string, signal?: AbortSignal): Promise<DirectoryUser | null>;
  /** Active directory roles of a user, or of the caller with 'me'. */
  getRoles(userId: string | 'me', signal?: AbortSignal): Promise<DirectoryRole[]>;
  /** True when the caller (me) is a member of the group, directly or through nested groups. */
  isMemberOf(groupId: string, signal?: AbortSignal): Promise<boolean>;
  listTaps(userId: string, signal?: AbortSignal): Promise<TapMethod[]>;
  /** The tenant TAP policy, or null when the caller may not read it (common for helpdesk admins). */
  getTapPolicy(signal?: AbortSignal): Promise<TapPolicy | null>;
  /** Deletes one pass by its method id; false when it was already gone (404). */
  deleteTap(userId: string, methodId: string, signal?: AbortSignal): Promise<boolean>;
  /** Creates (and thereby replaces) the user's pass. Never retried: see graph-tap-contract §1. */
  createTap(userId: string, body: CreateTapBody, signal?: AbortSignal): Promise<CreatedTap>;
}
