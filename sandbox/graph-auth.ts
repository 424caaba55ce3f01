import type { SandboxContext } from './context.js';
import { graphAudiences } from './context.js';
import type { FixtureClientApp, FixtureUser } from './fixture.js';
import { graphError } from './graph-errors.js';
import type { SandboxResponse } from './http.js';

/** A delegated call: the signed-in user and the delegated scopes (`scp`) in their token. */
export interface DelegatedCaller {
  kind: 'delegated';
  user: FixtureUser;
  scopes: Set<string>;
  /** The client the token was issued to (`azp`): Intune throttles per app, delegated calls included. */
  appId: string;
  /** How the user signed in (`amr`) and the authentication contexts satisfied (`acrs`): PIM's rules read them. */
  amr?: string[];
  acrs?: string[];
}

/** An app-only call: the app, its service principal and the application permissions (`roles`). */
export interface AppCaller {
  kind: 'app';
  app: FixtureClientApp;
  servicePrincipalId: string;
  roles: Set<string>;
}

/** Whoever a Graph call acts as. App callers have no user, no directory role and no `/me`. */
export type Caller = DelegatedCaller | AppCaller;

/** The object id a call is logged under: the user's, or the app's service principal's. */
export function callerObjectId(caller: Caller): string {
  return caller.kind === 'delegated' ? caller.user.id : caller.servicePrincipalId;
}

/** The signed-in user, or undefined for an app-only call. */
export function signedInUser(caller: Caller): FixtureUser | undefined {
  return caller.kind === 'delegated' ? caller.user : undefined;
}

/** Scope sets per kind of Graph operation (any one of them suffices). */
export const Scopes = {
  readUsers: [
    'User.ReadBasic.All',
    'User.Read.All',
    'User.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ],
  readUsersFull: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readSelf: [
    'User.Read',
    'User.ReadWrite',
    'User.ReadBasic.All',
    'User.Read.All',
    'User.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ],
  // Create and delete on other users (contract next-wave §1.2, §1.5): only the ReadWrite.All scopes.
  writeTap: ['UserAuthenticationMethod.ReadWrite.All', 'UserAuthMethod-TAP.ReadWrite.All'],
  // List and get on other users: any TAP or authentication-method scope with `.All` reach.
  readTap: [
    'UserAuthenticationMethod.ReadWrite.All',
    'UserAuthMethod-TAP.ReadWrite.All',
    'UserAuthenticationMethod.Read.All',
    'UserAuthMethod-TAP.Read.All',
  ],
  // The TAP method configuration (next-wave §1.4): least Policy.Read.AuthenticationMethod.
  readPolicy: [
    'Policy.Read.AuthenticationMethod',
    'Policy.ReadWrite.AuthenticationMethod',
    'Policy.Read.All',
  ],
  // roleManagement/directory/roleAssignments (next-wave §2.2).
  readRoleAssignments: [
    'RoleManagement.Read.Directory',
    'RoleManagement.Read.All',
    'Directory.Read.All',
    'RoleManagement.ReadWrite.Directory',
    'Directory.ReadWrite.All',
  ],
  // roleManagement/directory/roleEligibilityScheduleInstances (next-wave §2.1).
  readRoleEligibilities: [
    'RoleEligibilitySchedule.Read.Directory',
    'RoleEligibilitySchedule.ReadWrite.Directory',
    'RoleManagement.Read.All',
    'RoleManagement.Read.Directory',
    'RoleManagement.ReadWrite.Directory',
  ],
  // roleAssignmentScheduleInstances (next-wave §2.2).
  readRoleAssignmentSchedules: [
    'RoleAssignmentSchedule.Read.Directory',
    'RoleManagement.Read.Directory',
    'RoleManagement.Read.All',
    'RoleAssignmentSchedule.ReadWrite.Directory',
    'RoleManagement.ReadWrite.Directory',
  ],
  // POST roleAssignmentScheduleRequests (next-wave §2.3): least RoleAssignmentSchedule.ReadWrite.Directory.
  writeRoleAssignmentSchedules: [
    'RoleAssignmentSchedule.ReadWrite.Directory',
    'RoleAssignmentSchedule.Remove.Directory',
    'RoleEligibilitySchedule.Remove.Directory',
    'RoleManagement.ReadWrite.Directory',
  ],
  // Windows Autopilot device identities (next-wave §3.1): reads take either, the three actions ReadWrite.
  readAutopilot: ['DeviceManagementServiceConfig.Read.All', 'DeviceManagementServiceConfig.ReadWrite.All'],
  writeAutopilot: ['DeviceManagementServiceConfig.ReadWrite.All'],
} as const;

/**
 * Application permissions per kind of operation, for app-only tokens (`roles`). Directory reads take the
 * `.All` application permissions; `User.Read` and other self-only scopes do not exist for apps.
 */
export const AppPermissions = {
  readUsers: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readUsersFull: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  // Create: the two ReadWrite.All permissions (next-wave §1.2); delete: the same two.
  writeTap: ['UserAuthenticationMethod.ReadWrite.All', 'UserAuthMethod-TAP.ReadWrite.All'],
  readTap: [
    'UserAuthenticationMethod.ReadWrite.All',
    'UserAuthMethod-TAP.ReadWrite.All',
    'UserAuthenticationMethod.Read.All',
    'UserAuthMethod-TAP.Read.All',
  ],
  readPolicy: Scopes.readPolicy,
  readRoleAssignments: Scopes.readRoleAssignments,
  readRoleEligibilities: Scopes.readRoleEligibilities,
  readRoleAssignmentSchedules: Scopes.readRoleAssignmentSchedules,
  writeRoleAssignmentSchedules: Scopes.writeRoleAssignmentSchedules,
  // The same names exist as application permissions (next-wave §3.1).
  readAutopilot: Scopes.readAutopilot,
  writeAutopilot: Scopes.writeAutopilot,
} as const;

/**
 * True when a DELEGATED caller's token carries any of the scopes (case-insensitive, as Entra treats
 * them). Always false for app-only callers: their permissions are checked with {@link hasAnyAppPermission}.
 */
export function hasAnyScope(caller: Caller, anyOf: readonly string[]): boolean {
  return caller.kind === 'delegated' && anyOf.some((s) => caller.scopes.has(s.toLowerCase()));
}

/** True when an APP-ONLY caller's token carries any of the application permissions. */
export function hasAnyAppPermission(caller: Caller, anyOf: readonly string[]): boolean {
  return caller.kind === 'app' && anyOf.some((s) => caller.roles.has(s.toLowerCase()));
}

/** The permission check of one operation: delegated scopes for users, application permissions for apps. */
export function permits(
  caller: Caller,
  delegated: readonly string[],
  application: readonly string[],
): boolean {
  return caller.kind === 'delegated'
    ? hasAnyScope(caller, delegated)
    : hasAnyAppPermission(caller, application);
}

const rejectionMessages: Record<string, string> = {
  malformed: 'IDX14100: JWT is not well formed, there are no dots (.).',
  signature: 'Access token validation failure. Invalid signature.',
  expired: 'Lifetime validation failed, the token is expired.',
  notYetValid: 'Lifetime validation failed, the token is not yet valid.',
  audience: 'Access token validation failure. Invalid audience.',
  issuer: 'Access token validation failure. Invalid issuer.',
};

/** Checks the bearer token of a Graph request; returns the caller or a 401 envelope. */
export async function authenticateGraphCall(
  ctx: SandboxContext,
  authorization: string | undefined,
  clientRequestId: string | undefined,
): Promise<Caller | SandboxResponse> {
  const unauthorized = (message: string) =>
    graphError(401, 'InvalidAuthenticationToken', message, clientRequestId, {
      'WWW-Authenticate': `Bearer realm="", authorization_uri="${ctx.origin}/${ctx.tenantId}/oauth2/v2.0/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    });
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!bearer?.[1]) return unauthorized('Access token is empty.');
  const verified = await ctx.signer.verify(bearer[1], graphAudiences);
  if (!verified.ok)
    return unauthorized(rejectionMessages[verified.reason] ?? 'Access token validation failure.');
  const { tid, oid, scp, idtyp, azp, roles } = verified.claims;
  if (tid !== ctx.tenantId) return unauthorized('Access token validation failure. Invalid tenant.');
  if (idtyp === 'app') {
    const appId = String(azp ?? '').toLowerCase();
    const app = ctx.fixture.apps.find((a) => a.appId.toLowerCase() === appId);
    if (!app || oid !== ctx.directory.servicePrincipalId(app.appId))
      return unauthorized('Access token validation failure. The application in the token does not exist.');
    const granted = Array.isArray(roles) ? roles.map((r) => String(r).toLowerCase()) : [];
    return { kind: 'app', app, servicePrincipalId: String(oid), roles: new Set(granted) };
  }
  const user = typeof oid === 'string' ? ctx.directory.findUser(oid) : undefined;
  if (!user) return unauthorized('Access token validation failure. The user in the token does not exist.');
  const scopes = new Set(
    String(scp ?? '')
      .split(' ')
      .filter(Boolean)
      .map((s) => s.toLowerCase()),
  );
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return {
    kind: 'delegated',
    user,
    scopes,
    appId: String(azp ?? '').toLowerCase(),
    amr: list(verified.claims.amr),
    acrs: list(verified.claims.acrs),
  };
}

/** True when `authenticateGraphCall` produced an error response rather than a caller. */
export function isResponse(value: Caller | SandboxResponse): value is SandboxResponse {
  return 'status' in value;
}
