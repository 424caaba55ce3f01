import { randomUUID } from 'node:crypto';
import type { SandboxContext } from './context.js';
import { jsonResponse, type SandboxRequest, type SandboxResponse } from './http.js';

/** The Verified ID Request Service's app id: app-only tokens are asked for `{this}/.default` (contract §4.1). */
export const VERIFIED_ID_RESOURCE = '3db474b9-6a0c-4840-96ac-1fceb342124f';

/** Roles that allow creating a presentation request: the broad one, or the granular one (contract §4.1). */
const PRESENT_ROLES = ['VerifiableCredential.Create.All', 'VerifiableCredential.Create.PresentRequest'];

const OUTER: Record<number, { code: string; message: string }> = {
  400: { code: 'badRequest', message: 'The request is invalid.' },
  401: { code: 'unauthorized', message: 'The request is not authorized.' },
  403: { code: 'forbidden', message: 'Missing permissions to fulfill this request.' },
  404: { code: 'notFound', message: 'The resource was not found.' },
};

/** The Request Service's error envelope (contract §4.5): outer code by HTTP status, inner code and target. */
export function verifiedIdError(
  status: 400 | 401 | 403 | 404,
  inner: { code: string; message: string; target?: string },
): SandboxResponse {
  const outer = OUTER[status]!;
  return jsonResponse(status, {
    requestId: randomUUID(),
    date: new Date().toUTCString(),
    mscv: randomUUID().slice(0, 16),
    error: { ...outer, innererror: inner },
  });
}

/**
 * The bearer token check (contract §4.6 rule 1): signed by this tenant, audience the Request Service,
 * an app-only token whose roles include a presentation role. Undefined when the call may proceed.
 */
export async function refuseVerifiedIdCaller(
  ctx: SandboxContext,
  req: SandboxRequest,
): Promise<SandboxResponse | undefined> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!bearer)
    return verifiedIdError(401, { code: 'tokenError', message: 'The Authorization header is missing.' });
  const verified = await ctx.signer.verify(bearer, [VERIFIED_ID_RESOURCE]);
  if (!verified.ok)
    return verifiedIdError(401, {
      code: 'tokenError',
      message: `The access token is invalid (${verified.reason}).`,
    });
  const roles = verified.claims.roles;
  const held = Array.isArray(roles) ? roles.map(String) : [];
  if (verified.claims.tid !== ctx.tenantId || !held.some((r) => PRESENT_ROLES.includes(r)))
    return verifiedIdError(403, {
      code: 'tokenError',
      message: `The access token has none of the roles ${PRESENT_ROLES.join(', ')}.`,
    });
  return undefined;
}
