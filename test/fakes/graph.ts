// A scripted, in-memory Microsoft Graph for unit tests of the core: one directory with users, roles,
// managers and at most one Temporary Access Pass per user, following
// reference/graph-tap-contract.md (§1 passes, §2 who may do it, §3 errors, §4 policy, §6 $batch).
// `tenant.asUser(oid)` is the TapGraph port as that signed-in admin would see it (delegated: their
// roles decide); `tenant.roleReader` is the app-only RoleReader. Every call is recorded, and any call
// can be made to fail next, as GraphFailure, the way src/graph/client.ts would throw it.
import { randomBytes, randomUUID } from 'node:crypto';
import { GraphFailure } from '../../src/graph/failure.js';
import {
  MAX_CREATES_PER_BATCH,
  MAX_LOOKUPS_PER_BATCH,
  MAX_MANAGER_READS_PER_BATCH,
  type BatchCreateResult,
  type CreateTapBody,
  type CreatedTap,
  type DirectoryRole,
  type DirectoryUser,
  type ManagerLookup,
  type TapGraph,
  type TapMethod,
  type TapPolicy,
  type UserLookup,
  type UserSearch,
} from '../../src/graph/port.js';
import type { HeldRole, RoleReader } from '../../src/graph/role-port.js';
import type { DeviceWriteGraph } from '../../src/graph/device-port.js';
import type { Clock } from '../../src/clock.js';

/** Role template ids (contract §2, and the roles the policy read needs, §4). */
export const ROLES = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  passwordAdministrator: '966707d0-3269-4727-9be2-8c3a10f19b9d',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  authenticationPolicyAdministrator: '0526716b-113d-4c15-b2c8-68e3c22b9f80',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
} as const;

const ROLE_NAMES: Record<string, string> = {
  [ROLES.globalAdministrator]: 'Global Administrator',
  [ROLES.privilegedAuthenticationAdministrator]: 'Privileged Authentication Administrator',
  [ROLES.authenticationAdministrator]: 'Authentication Administrator',
  [ROLES.helpdeskAdministrator]: 'Helpdesk Administrator',
  [ROLES.userAdministrator]: 'User Administrator',
  [ROLES.passwordAdministrator]: 'Password Administrator',
  [ROLES.globalReader]: 'Global Reader',
  [ROLES.authenticationPolicyAdministrator]: 'Authentication Policy Administrator',
  [ROLES.directoryReaders]: 'Directory Readers',
};

/** Who may create and delete passes for others (§2). */
const WRITERS: readonly string[] = [
  ROLES.authenticationAdministrator,
  ROLES.privilegedAuthenticationAdministrator,
  ROLES.globalAdministrator,
];
const READERS: readonly string[] = [...WRITERS, ROLES.globalReader];
const PRIVILEGED_WRITERS: readonly string[] = [
  ROLES.privilegedAuthenticationAdministrator,
  ROLES.globalAdministrator,
];
/** The only roles an Authentication Administrator's target may hold (§2). */
const LOW_ROLES: readonly string[] = [
  ROLES.authenticationAdministrator,
  ROLES.directoryReaders,
  '95e79109-95c0-4d8e-aee3-d01accf2d47b', // Guest Inviter
  '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b', // Message Center Reader
  ROLES.passwordAdministrator,
  '4a5d8f65-41da-4de4-8968-e035b65339cf', // Reports Reader
  '27460883-1df1-4691-b032-3b79643e5e63', // User Experience Success Manager
  '75934031-6c7e-415a-99d7-48dbd49e875e', // Usage Summary Reports Reader
];
/** Who may read the TAP policy (§4; the same list the sandbox chose). */
const POLICY_READERS: readonly string[] = [
  ROLES.globalReader,
  ROLES.globalAdministrator,
  ROLES.authenticationPolicyAdministrator,
  '5d6b6bb7-de71-4623-b4af-96380a352509', // Security Reader
  '194ae4cb-b126-40b2-bd5b-6091b380977d', // Security Administrator
];

/** Messages fixed by the contract (§3); the core matches some of them. */
export const MESSAGES = {
  accessDenied: 'Request Authorization failed',
  policyDenied:
    'Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass].',
  guest: 'Temporary Access Pass cannot be added to an external guest user.',
  lifetime: (min: number, max: number) =>
    `Invalid LifetimeInMinutes specified. The valid range between ${min} and ${max}.`,
  notFound: (id: string) =>
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
} as const;

export interface FakeUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string | null;
  userType: 'Member' | 'Guest';
  accountEnabled: boolean | null;
  department: string | null;
  jobTitle: string | null;
  /** Active, tenant-wide directory roles (template ids): what delegated reads and Entra's checks see. */
  roles: string[];
  /** PIM-eligible or administrative-unit-scoped roles: only the app-only RoleReader sees them. */
  heldElsewhere: Omit<HeldRole, 'displayName'>[];
  managerId: string | null;
  groups: string[];
  /** The directory's mobilePhone (free text), read only for SMS delivery. */
  mobilePhone?: string | null;
  /** Member or owner of a role-assignable group: an Authentication Administrator may not manage them. */
  inRoleAssignableGroup: boolean;
}

export type UserSpec = Partial<FakeUser> & { id: string };

/** A scripted failure: the status Graph answers, and whether the call took effect anyway. */
export interface FailureSpec {
  status: number;
  code?: string;
  message?: string;
  retryAfterSeconds?: number;
  /**
   * For writes whose outcome is unknown (0, 5xx): the write happened before the failure came back,
   * as when a create's response is lost. Default false.
   */
  applied?: boolean;
}

/** Failures as Graph (or the network) gives them. */
export const failures = {
  unavailable: (applied = false): FailureSpec => ({
    status: 503,
    code: 'serviceUnavailable',
    message: 'Service Unavailable',
    applied,
  }),
  timeout: (applied = false): FailureSpec => ({
    status: 0,
    code: 'timeout',
    message: 'Graph did not answer in time',
    applied,
  }),
  throttled: (retryAfterSeconds = 1): FailureSpec => ({
    status: 429,
    code: 'TooManyRequests',
    message: 'Too many requests',
    retryAfterSeconds,
  }),
  forbidden: (): FailureSpec => ({ status: 403, code: 'accessDenied', message: MESSAGES.accessDenied }),
  unauthorized: (): FailureSpec => ({
    status: 401,
    code: 'InvalidAuthenticationToken',
    message: 'Access token has expired or is not yet valid.',
  }),
  /** A $batch item Graph did not answer at all (status 0: the item may have run). */
  missingItem: (applied = false): FailureSpec => ({
    status: 0,
    code: 'missingBatchItem',
    message: 'Graph returned no response for batch item',
    applied,
  }),
};

/** The TapGraph, DeviceWriteGraph and RoleReader methods, by name. */
export type GraphMethod = keyof TapGraph | keyof DeviceWriteGraph | 'privilegedRolesOf';
type BatchMethod = 'lookupUsers' | 'createTaps' | 'lookupManagers';

export interface GraphCall {
  /** The signed-in admin's object id, or 'app' for the app-only role reader. */
  caller: string;
  method: GraphMethod;
  /** The arguments as passed, without the AbortSignal; deep copies. */
  args: unknown[];
  /** The status Graph answered: 200 for success, a GraphFailure's status, -1 for any other error. */
  status: number;
}

interface Scripted {
  method: GraphMethod;
  spec: FailureSpec;
  remaining: number;
  when?: (args: unknown[]) => boolean;
}

interface ScriptedItem {
  method: BatchMethod;
  key: string;
  spec: FailureSpec;
  remaining: number;
}

interface StoredPass {
  pass: CreatedTap;
  createdBy: string;
}

const DEFAULT_POLICY: TapPolicy = {
  state: 'enabled',
  defaultLifetimeInMinutes: 60,
  minimumLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  isUsableOnce: false,
  defaultLength: 8,
  includeTargets: [{ id: 'all_users', targetType: 'group' }],
  excludeTargets: [],
};

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const copy = <T>(value: T): T => structuredClone(value);

/**
 * The tenant: directory, policy, passes, the call log and the failure script. Its clock stamps
 * passes and decides their usability; share it with the core's deps so both agree on "now".
 */
export class FakeTenant {
  readonly users = new Map<string, FakeUser>();
  readonly passes = new Map<string, StoredPass>();
  policy: TapPolicy = copy(DEFAULT_POLICY);
  readonly calls: GraphCall[] = [];
  private readonly script: Scripted[] = [];
  private readonly itemScript: ScriptedItem[] = [];
  private readonly hooks: { method: GraphMethod; run: (args: unknown[]) => void | Promise<void> }[] = [];
  private codeSeq = 0;

  constructor(readonly clock: Clock) {}

  /** Adds (or replaces) a user; unspecified fields are those of an enabled member without roles. */
  addUser(spec: UserSpec): FakeUser {
    const name = spec.displayName ?? spec.id;
    const user: FakeUser = {
      userPrincipalName: `${spec.id}@contoso.com`,
      displayName: name,
      mail: null,
      userType: 'Member',
      accountEnabled: true,
      department: null,
      jobTitle: null,
      roles: [],
      heldElsewhere: [],
      managerId: null,
      groups: [],
      inRoleAssignableGroup: false,
      ...spec,
    };
    user.mail ??= user.userPrincipalName;
    this.users.set(user.id, user);
    return user;
  }

  user(id: string): FakeUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`FakeTenant: no user ${id}`);
    return user;
  }

  /** The signed-in admin `oid`'s view of Graph (delegated calls, their roles decide). */
  asUser(oid: string): TapGraph {
    this.user(oid);
    return new FakeGraph(this, oid);
  }

  /** The app-only reader of active, eligible and scoped roles. */
  readonly roleReader: RoleReader = {
    privilegedRolesOf: (userId, signal) =>
      this.run('app', 'privilegedRolesOf', [userId], signal, () => {
        const user = this.find(userId);
        if (!user) throw failure(404, 'Request_ResourceNotFound', MESSAGES.notFound(userId));
        return [
          ...user.roles.map((r) => held(r, 'active', '/')),
          ...user.heldElsewhere.map((h) => held(h.roleTemplateId, h.assignment, h.scope)),
        ];
      }),
  };

  // --- scripting -------------------------------------------------------------------------------

  /** The next `times` calls of `method` (those `when` accepts) fail with `spec`. */
  fail(
    method: GraphMethod,
    spec: FailureSpec,
    options: { times?: number; when?: (args: unknown[]) => boolean } = {},
  ): this {
    this.script.push({ method, spec, remaining: options.times ?? 1, when: options.when });
    return this;
  }

  /** Inside a `$batch`, the next `times` items for `key` (user id or UPN) fail with `spec`. */
  failItem(method: BatchMethod, key: string, spec: FailureSpec, times = 1): this {
    this.itemScript.push({ method, key, spec, remaining: times });
    return this;
  }

  /** Runs `run` once, just before the next call of `method` is answered (e.g. another admin acts). */
  beforeNext(method: GraphMethod, run: (args: unknown[]) => void | Promise<void>): this {
    this.hooks.push({ method, run });
    return this;
  }

  /** Recorded calls, of one method if given. */
  callsOf(method?: GraphMethod): GraphCall[] {
    return method ? this.calls.filter((c) => c.method === method) : [...this.calls];
  }

  /** How many passes were asked of Graph: single creates plus every item of batch creates. */
  createsSent(): number {
    return this.calls.reduce(
      (n, c) =>
        n + (c.method === 'createTap' ? 1 : c.method === 'createTaps' ? (c.args[0] as unknown[]).length : 0),
      0,
    );
  }

  // --- directory state -------------------------------------------------------------------------

  /** The user's current pass as Graph holds it (code included), or undefined. */
  passOf(userId: string): CreatedTap | undefined {
    const stored = this.passes.get(this.user(userId).id);
    return stored ? copy(stored.pass) : undefined;
  }

  /** Gives the user a pass issued outside TapDesk (the portal, a script); replaces any pass. */
  givePass(userId: string, options: Partial<CreatedTap> & { createdBy?: string } = {}): CreatedTap {
    const { createdBy = 'portal', ...fields } = options;
    const user = this.user(userId);
    const now = this.clock.now().toISOString();
    const pass: CreatedTap = {
      id: randomUUID(),
      temporaryAccessPass: this.newCode(),
      createdDateTime: now,
      startDateTime: now,
      lifetimeInMinutes: this.policy.defaultLifetimeInMinutes,
      isUsableOnce: this.policy.isUsableOnce,
      isUsable: true,
      methodUsabilityReason: 'EnabledByPolicy',
      ...fields,
    };
    this.passes.set(user.id, { pass, createdBy });
    return copy(pass);
  }

  // --- the calls -------------------------------------------------------------------------------

  /** @internal One call: record it, run hooks, apply the script, then the contract. */
  async run<T>(
    caller: string,
    method: GraphMethod,
    args: unknown[],
    signal: AbortSignal | undefined,
    answer: () => T | Promise<T>,
  ): Promise<T> {
    const call: GraphCall = { caller, method, args: copy(args), status: 200 };
    this.calls.push(call);
    await Promise.resolve();
    try {
      if (signal?.aborted) throw failure(0, 'timeout', 'Graph did not answer in time');
      const hook = this.hooks.findIndex((h) => h.method === method);
      if (hook !== -1) await this.hooks.splice(hook, 1)[0]!.run(args);
      const scripted = this.script.find(
        (s) => s.method === method && s.remaining > 0 && (!s.when || s.when(args)),
      );
      if (scripted) {
        scripted.remaining -= 1;
        if (scripted.spec.applied) await answer();
        throw fromSpec(scripted.spec);
      }
      return await answer();
    } catch (error) {
      call.status = error instanceof GraphFailure ? error.status : -1;
      throw error;
    }
  }

  /** @internal A scripted failure for this batch item, if any. */
  itemFailure(method: BatchMethod, key: string): FailureSpec | undefined {
    const scripted = this.itemScript.find((s) => s.method === method && s.remaining > 0 && same(s.key, key));
    if (!scripted) return undefined;
    scripted.remaining -= 1;
    return scripted.spec;
  }

  /** @internal By object id or UPN, case-insensitive, as Graph resolves `/users/{id or UPN}`. */
  find(idOrUpn: string): FakeUser | undefined {
    for (const user of this.users.values())
      if (same(user.id, idOrUpn) || same(user.userPrincipalName, idOrUpn)) return user;
    return undefined;
  }

  /** @internal */
  hasRole(user: FakeUser, roles: readonly string[]): boolean {
    return user.roles.some((r) => roles.includes(r));
  }

  /** @internal §2: may `caller` create or delete passes for `target`? */
  mayManage(caller: FakeUser, target: FakeUser): boolean {
    if (caller.id === target.id) return false;
    if (this.hasRole(caller, PRIVILEGED_WRITERS)) return true;
    if (!this.hasRole(caller, [ROLES.authenticationAdministrator])) return false;
    return target.roles.every((r) => LOW_ROLES.includes(r)) && !target.inRoleAssignableGroup;
  }

  /** @internal The create, as Entra decides it for this caller (§1–§4); throws the refusal. */
  create(caller: FakeUser, ref: string, body: CreateTapBody): CreatedTap {
    if (!this.hasRole(caller, WRITERS)) throw forbidden();
    const target = this.find(ref);
    if (!target) throw failure(404, 'Request_ResourceNotFound', MESSAGES.notFound(ref));
    if (!this.mayManage(caller, target)) throw forbidden();
    if (target.userType === 'Guest' || /#EXT#@/i.test(target.userPrincipalName))
      throw failure(400, 'badRequest', MESSAGES.guest);
    const policy = this.policy;
    if (!this.policyAllows(target)) throw failure(400, 'badRequest', MESSAGES.policyDenied);
    if (policy.isUsableOnce && body.isUsableOnce === false)
      throw failure(400, 'badRequest', MESSAGES.policyDenied);
    const min = Math.max(10, policy.minimumLifetimeInMinutes);
    const max = Math.min(43200, policy.maximumLifetimeInMinutes);
    const lifetime = body.lifetimeInMinutes ?? policy.defaultLifetimeInMinutes;
    if (!Number.isInteger(lifetime)) throw failure(400, 'BadRequest', 'Invalid lifetimeInMinutes');
    if (lifetime < min || lifetime > max) throw failure(400, 'badRequest', MESSAGES.lifetime(min, max));
    const now = this.clock.now();
    let start = now;
    if (body.startDateTime !== undefined) {
      start = new Date(body.startDateTime);
      if (Number.isNaN(start.getTime())) throw failure(400, 'BadRequest', 'Invalid startDateTime');
    }
    const pass: CreatedTap = {
      id: randomUUID(),
      temporaryAccessPass: this.newCode(),
      createdDateTime: now.toISOString(),
      startDateTime: start.toISOString(),
      lifetimeInMinutes: lifetime,
      isUsableOnce: body.isUsableOnce ?? policy.isUsableOnce,
      ...this.usability(start, lifetime),
    };
    // One pass per user: a create replaces the old pass without any conflict (§1).
    this.passes.set(target.id, { pass, createdBy: caller.id });
    return copy(pass);
  }

  /** @internal A stored pass as a read sees it: no code (§1), usability as of now. */
  view(stored: StoredPass): TapMethod {
    const p = stored.pass;
    return {
      id: p.id,
      createdDateTime: p.createdDateTime,
      startDateTime: p.startDateTime,
      lifetimeInMinutes: p.lifetimeInMinutes,
      isUsableOnce: p.isUsableOnce,
      ...this.usability(new Date(p.startDateTime), p.lifetimeInMinutes),
    };
  }

  private usability(start: Date, lifetime: number) {
    const now = this.clock.now().getTime();
    if (this.policy.state !== 'enabled')
      return { isUsable: false, methodUsabilityReason: 'DisabledByPolicy' };
    if (now < start.getTime()) return { isUsable: false, methodUsabilityReason: 'NotYetValid' };
    if (now >= start.getTime() + lifetime * 60_000)
      return { isUsable: false, methodUsabilityReason: 'Expired' };
    return { isUsable: true, methodUsabilityReason: 'EnabledByPolicy' };
  }

  private policyAllows(user: FakeUser): boolean {
    const hit = (t: { id: string; targetType: string }) =>
      t.id === 'all_users' || same(t.id, user.id) || user.groups.some((g) => same(g, t.id));
    if (this.policy.state !== 'enabled') return false;
    if (!(this.policy.includeTargets ?? []).some(hit)) return false;
    return !(this.policy.excludeTargets ?? []).some(hit);
  }

  /** A fresh code of the policy's length; unique, so a test can tell two passes apart by their codes. */
  private newCode(): string {
    this.codeSeq += 1;
    const unique = `${this.codeSeq}${randomBytes(24).toString('base64url')}`;
    return unique.slice(0, Math.max(this.policy.defaultLength, String(this.codeSeq).length + 4));
  }
}

/** TapGraph as one signed-in admin sees it. */
class FakeGraph implements TapGraph {
  constructor(
    private readonly tenant: FakeTenant,
    readonly callerOid: string,
  ) {}

  private get me(): FakeUser {
    return this.tenant.user(this.callerOid);
  }

  private run<T>(method: GraphMethod, args: unknown[], signal: AbortSignal | undefined, answer: () => T) {
    return this.tenant.run(this.callerOid, method, args, signal, answer);
  }

  getUser(idOrUpn: string, signal?: AbortSignal): Promise<DirectoryUser | null> {
    return this.run('getUser', [idOrUpn], signal, () => {
      const user = this.tenant.find(idOrUpn);
      return user ? directoryUser(user) : null;
    });
  }

  findUsers(search: UserSearch, limit: number, signal?: AbortSignal): Promise<DirectoryUser[]> {
    return this.run('findUsers', [search, limit], signal, () => {
      const prefix = search.text.toLowerCase();
      const hit = (u: FakeUser) =>
        search.by === 'upnOrMailPrefix'
          ? u.userPrincipalName.toLowerCase().startsWith(prefix) || !!u.mail?.toLowerCase().startsWith(prefix)
          : u.displayName.toLowerCase().startsWith(prefix);
      return [...this.tenant.users.values()].filter(hit).slice(0, limit).map(directoryUser);
    });
  }

  getMobilePhone(userId: string, signal?: AbortSignal): Promise<string | null> {
    return this.run('getMobilePhone', [userId], signal, () => this.tenant.find(userId)?.mobilePhone ?? null);
  }

  getManager(userId: string, signal?: AbortSignal): Promise<DirectoryUser | null> {
    return this.run('getManager', [userId], signal, () => {
      const managerId = this.tenant.find(userId)?.managerId;
      const manager = managerId ? this.tenant.find(managerId) : undefined;
      return manager ? directoryUser(manager) : null;
    });
  }

  getRoles(userId: string | 'me', signal?: AbortSignal): Promise<DirectoryRole[]> {
    return this.run('getRoles', [userId], signal, () => {
      const user = userId === 'me' ? this.me : this.tenant.find(userId);
      if (!user) throw failure(404, 'Request_ResourceNotFound', MESSAGES.notFound(userId));
      return user.roles.map(directoryRole);
    });
  }

  isMemberOf(groupId: string, signal?: AbortSignal): Promise<boolean> {
    return this.run('isMemberOf', [groupId], signal, () => this.me.groups.some((g) => same(g, groupId)));
  }

  listTaps(userId: string, signal?: AbortSignal): Promise<TapMethod[]> {
    return this.run('listTaps', [userId], signal, () => {
      if (!this.tenant.hasRole(this.me, READERS)) throw forbidden();
      const user = this.tenant.find(userId);
      if (!user) throw failure(404, 'Request_ResourceNotFound', MESSAGES.notFound(userId));
      const stored = this.tenant.passes.get(user.id);
      return stored ? [this.tenant.view(stored)] : [];
    });
  }

  getTapPolicy(signal?: AbortSignal): Promise<TapPolicy | null> {
    return this.run('getTapPolicy', [], signal, () =>
      // The client turns Graph's 403 into null (src/graph/client.ts).
      this.tenant.hasRole(this.me, POLICY_READERS) ? copy(this.tenant.policy) : null,
    );
  }

  deleteTap(userId: string, methodId: string, signal?: AbortSignal): Promise<boolean> {
    return this.run('deleteTap', [userId, methodId], signal, () => {
      if (!this.tenant.hasRole(this.me, WRITERS)) throw forbidden();
      const user = this.tenant.find(userId);
      // The client turns Graph's 404 (no such user or method) into false.
      if (!user) return false;
      if (!this.tenant.mayManage(this.me, user)) throw forbidden();
      const stored = this.tenant.passes.get(user.id);
      if (!stored || !same(stored.pass.id, methodId)) return false;
      this.tenant.passes.delete(user.id);
      return true;
    });
  }

  createTap(userId: string, body: CreateTapBody, signal?: AbortSignal): Promise<CreatedTap> {
    return this.run('createTap', [userId, body], signal, () => this.tenant.create(this.me, userId, body));
  }

  async lookupUsers(keys: string[], signal?: AbortSignal): Promise<UserLookup[]> {
    checkBatch(keys, MAX_LOOKUPS_PER_BATCH, 'lookup');
    return this.run('lookupUsers', [keys], signal, () =>
      keys.map((key): UserLookup => {
        const scripted = this.tenant.itemFailure('lookupUsers', key);
        if (scripted) return { key, ok: false, failure: fromSpec(scripted) };
        const user = this.tenant.find(key);
        return user
          ? { key, ok: true, user: directoryUser(user), roles: user.roles.map(directoryRole) }
          : { key, ok: true, user: null, roles: [] };
      }),
    );
  }

  async createTaps(
    items: { userId: string; body: CreateTapBody }[],
    signal?: AbortSignal,
  ): Promise<BatchCreateResult[]> {
    checkBatch(
      items.map((i) => i.userId),
      MAX_CREATES_PER_BATCH,
      'create',
    );
    // Refused before anything is sent: a second create for one user would replace the first pass.
    const seen = new Set<string>();
    for (const { userId } of items) {
      if (seen.has(userId.toLowerCase())) throw new Error(`Duplicate user id in one $batch: ${userId}`);
      seen.add(userId.toLowerCase());
    }
    return this.run('createTaps', [items], signal, () =>
      items.map(({ userId, body }): BatchCreateResult => {
        const scripted = this.tenant.itemFailure('createTaps', userId);
        try {
          if (scripted && !scripted.applied) throw fromSpec(scripted);
          const pass = this.tenant.create(this.me, userId, body);
          if (scripted) throw fromSpec(scripted);
          return { userId, ok: true, pass };
        } catch (error) {
          if (!(error instanceof GraphFailure)) throw error;
          return { userId, ok: false, failure: error };
        }
      }),
    );
  }

  async lookupManagers(userIds: string[], signal?: AbortSignal): Promise<ManagerLookup[]> {
    checkBatch(userIds, MAX_MANAGER_READS_PER_BATCH, 'manager read');
    return this.run('lookupManagers', [userIds], signal, () =>
      userIds.map((userId): ManagerLookup => {
        const scripted = this.tenant.itemFailure('lookupManagers', userId);
        if (scripted) return { userId, ok: false, failure: fromSpec(scripted) };
        const managerId = this.tenant.find(userId)?.managerId;
        const manager = managerId ? this.tenant.find(managerId) : undefined;
        return { userId, ok: true, manager: manager ? directoryUser(manager) : null };
      }),
    );
  }
}

/** The port's limits on one `$batch`, checked before anything is sent (as src/graph/batch.ts does). */
function checkBatch(keys: string[], max: number, what: string): void {
  if (keys.length === 0) throw new Error(`A $batch needs at least one ${what}`);
  if (keys.length > max) throw new Error(`A $batch takes at most ${max} ${what}s, got ${keys.length}`);
  if (keys.some((k) => typeof k !== 'string' || k.trim() === ''))
    throw new Error(`A ${what} needs a non-empty user id`);
}

function failure(status: number, code: string, message: string, retryAfterSeconds?: number): GraphFailure {
  return new GraphFailure(status, code, message, retryAfterSeconds, `fake-${randomUUID()}`);
}

const forbidden = () => failure(403, 'accessDenied', MESSAGES.accessDenied);

function fromSpec(spec: FailureSpec): GraphFailure {
  return failure(
    spec.status,
    spec.code ?? 'scripted',
    spec.message ?? `scripted ${spec.status}`,
    spec.retryAfterSeconds,
  );
}

function directoryUser(u: FakeUser): DirectoryUser {
  return {
    id: u.id,
    displayName: u.displayName,
    userPrincipalName: u.userPrincipalName,
    mail: u.mail,
    userType: u.userType,
    accountEnabled: u.accountEnabled,
    department: u.department,
    jobTitle: u.jobTitle,
  };
}

const directoryRole = (roleTemplateId: string): DirectoryRole => ({
  roleTemplateId,
  displayName: ROLE_NAMES[roleTemplateId] ?? roleTemplateId,
});

const held = (roleTemplateId: string, assignment: HeldRole['assignment'], scope: string): HeldRole => ({
  roleTemplateId,
  displayName: ROLE_NAMES[roleTemplateId] ?? roleTemplateId,
  assignment,
  scope,
});
