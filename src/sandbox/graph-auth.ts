import type { SandboxContext } from './context.js';
import { graphAudiences } from './context.js';
import type { FixtureUser } from './fixture.js';
import { graphError } from './graph-errors.js';
import type { SandboxResponse } from './http.js';

/** The signed-in user behind a Graph call and the delegated scopes in their token. */
export interface Caller {
  user: FixtureUser;
  scopes: Set<string>;
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
  writeTap: ['UserAuthenticationMethod.ReadWrite.All', 'UserAuthMethod-TAP.ReadWrite.All'],
  readTap: [
    'UserAuthenticationMethod.ReadWrite.All',
    'UserAuthMethod-TAP.ReadWrite.All',
    'UserAuthenticationMethod.Read.All',
    'UserAuthMethod-TAP.Read.All',
  ],
  readPolicy: ['Policy.Read.All', 'Policy.ReadWrite.AuthenticationMethod'],
} as const;

/** True when the caller's token carries any of the scopes (case-insensitive, as Entra treats them). */
export function hasAnyScope(caller: Caller, anyOf: readonly string[]): boolean {
  return anyOf.some((s) => caller.scopes.has(s.toLowerCase()));
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
  const { tid, oid, scp } = verified.claims;
  if (tid !== ctx.tenantId) return unauthorized('Access token validation failure. Invalid tenant.');
  const user = typeof oid === 'string' ? ctx.directory.findUser(oid) : undefined;
  if (!user) return unauthorized('Access token validation failure. The user in the token does not exist.');
  const scopes = new Set(
    String(scp ?? '')
      .split(' ')
      .filter(Boolean)
      .map((s) => s.toLowerCase()),
  );
  return { user, scopes };
}

/** True when `authenticateGraphCall` produced an error response rather than a caller. */
export function isResponse(value: Caller | SandboxResponse): value is SandboxResponse {
  return 'status' in value;
}
