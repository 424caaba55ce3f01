import { createHash } from 'node:crypto';
import type { SandboxContext } from './context.js';
import { teamsClientId } from './context.js';
import type { FixtureUser } from './fixture.js';

/** Test-only knobs for an SSO assertion; the defaults give what Teams would hand the bot. */
export interface SsoTokenOverrides {
  /** Audience to put in the assertion instead of the app's SSO resource. */
  audience?: string;
  /** Lifetime in seconds from now; negative gives an already expired assertion. Default 3600. */
  lifetimeSeconds?: number;
}

/** Entra's `sub` is pairwise per app; a hash of app and user imitates that. */
export function pairwiseSubject(appId: string, userId: string): string {
  return createHash('sha256').update(`${appId}:${userId}`).digest('base64url').slice(0, 43);
}

/** Signs the SSO assertion Teams would give the bot for this user. */
export async function issueSsoAssertion(
  ctx: SandboxContext,
  user: FixtureUser,
  overrides: SsoTokenOverrides = {},
): Promise<string> {
  const claims = {
    oid: user.id,
    tid: ctx.tenantId,
    sub: pairwiseSubject(teamsClientId, user.id),
    upn: user.userPrincipalName,
    preferred_username: user.userPrincipalName,
    name: user.displayName,
    scp: ctx.app.ssoScope,
    azp: teamsClientId,
    azpacr: '0',
    // How they signed in: OBO carries it into the Graph token, where PIM's MFA rule reads it.
    amr: user.amr ?? ['pwd', 'mfa'],
  };
  return ctx.signer.sign(
    claims,
    overrides.audience ?? ctx.app.ssoResource,
    overrides.lifetimeSeconds ?? 3600,
  );
}

/** Validates the body of `POST /_sandbox/sso-token`. */
export function parseSsoRequest(input: unknown): { user: string; overrides: SsoTokenOverrides } | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const { user, audience, lifetimeSeconds } = input as Record<string, unknown>;
  if (typeof user !== 'string' || user === '') return undefined;
  if (audience !== undefined && typeof audience !== 'string') return undefined;
  if (
    lifetimeSeconds !== undefined &&
    (typeof lifetimeSeconds !== 'number' || !Number.isFinite(lifetimeSeconds))
  )
    return undefined;
  return { user, overrides: { audience, lifetimeSeconds } };
}
