import type { GraphFailure } from './failure.js';

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

/** One bulk lookup: the user (null when Graph answers 404) and their active directory roles. */
export type UserLookup =
  | { key: string; ok: true; user: DirectoryUser | null; roles: DirectoryRole[] }
  | { key: string; ok: false; failure: GraphFailure };

/** One create of a bulk `$batch`: the pass, or its failure (with `outcomeUnknown`, the pass may exist). */
export type BatchCreateResult =
  { userId: string; ok: true; pass: CreatedTap } | { userId: string; ok: false; failure: GraphFailure };

/** Graph takes at most 20 requests per `$batch`; a lookup needs two (user and roles). */
export const MAX_LOOKUPS_PER_BATCH = 10;
/** Graph takes at most 20 requests per `$batch`; a create needs one. */
export const MAX_CREATES_PER_BATCH = 20;
/** Graph takes at most 20 requests per `$batch`; a manager read needs one. */
export const MAX_MANAGER_READS_PER_BATCH = 20;

/** A user's manager from a `$batch` read: null when they have none (Graph answers 404). */
export type ManagerLookup =
  | { userId: string; ok: true; manager: DirectoryUser | null }
  | { userId: string; ok: false; failure: GraphFailure };

export interface TapGraph {
  /** The user by object id or UPN, or null when Graph answers 404. */
  getUser(idOrUpn: string, signal?: AbortSignal): Promise<DirectoryUser | null>;
  /** The person's `employeeHireDate` (ISO), null when unset; read only for joiners (Lifecycle Workflows). */
  getHireDate?(userId: string, signal?: AbortSignal): Promise<string | null>;
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
  /**
   * Looks up at most 10 users (by object id or UPN) in one `$batch`: GET /users/{key}?$select=… and
   * GET /users/{key}/transitiveMemberOf/microsoft.graph.directoryRole?$select=displayName,roleTemplateId.
   * Per-key failures (e.g. 429 with retryAfterSeconds) come back as ok:false; retrying is the caller's
   * job, because Graph SDKs never retry items inside a batch. A failure of the whole POST throws
   * GraphFailure. Results are in the order of `keys`.
   */
  lookupUsers(keys: string[], signal?: AbortSignal): Promise<UserLookup[]>;
  /**
   * Creates passes for at most 20 users in ONE `$batch` POST that is never retried (a retried create
   * replaces a pass already handed out). Per-item failures come back as ok:false with a GraphFailure
   * (status, code, retryAfterSeconds): 429 means Graph did not run that item. If the whole POST fails it
   * throws a GraphFailure; `outcomeUnknown` (status 0 or >= 500) then means any item may have run.
   * Results are in the order of `items`. Duplicate user ids in one call are refused with an Error before
   * anything is sent, since the second create would silently replace the first pass.
   */
  createTaps(
    items: { userId: string; body: CreateTapBody }[],
    signal?: AbortSignal,
  ): Promise<BatchCreateResult[]>;
  /**
   * The managers of at most 20 users (object ids) in one `$batch`: GET /users/{id}/manager?$select=….
   * Per-user failures come back as ok:false; results are in the order of `userIds`.
   */
  lookupManagers(userIds: string[], signal?: AbortSignal): Promise<ManagerLookup[]>;
  /** The person's directory `mobilePhone` as typed in Entra (free text), or null when there is none. */
  getMobilePhone(userId: string, signal?: AbortSignal): Promise<string | null>;
}
