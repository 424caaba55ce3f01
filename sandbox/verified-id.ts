// The Verified ID Request Service's createPresentationRequest (contract §4): the token check, the body
// validation, and the 201 answer. The person's phone is played through `POST /_sandbox/verified-id/present`
// (verified-id-present.ts).
import { randomUUID } from 'node:crypto';
import type { SandboxContext } from './context.js';
import { jsonResponse, parseJsonBody, type SandboxRequest, type SandboxResponse } from './http.js';
import { refuseVerifiedIdCaller, verifiedIdError } from './verified-id-auth.js';
import { sandboxQrDataUri } from './verified-id-qr.js';
import { parsePresentationRequest } from './verified-id-request.js';

/** How long a presentation request can be opened on the phone [inferred: the service's `expiry`]. */
const REQUEST_LIFETIME_MS = 5 * 60_000;

const CREATE_PATH = /^\/(v1\.0|beta)\/verifiableCredentials\/createPresentationRequest\/?$/i;

/** True for the Request Service's paths (both `/v1.0/` and `/beta/`, contract §4.6 rule 6). */
export function isVerifiedIdRequest(path: string): boolean {
  return CREATE_PATH.test(path);
}

/** `POST /{v1.0|beta}/verifiableCredentials/createPresentationRequest`. */
export async function handleVerifiedIdRequest(
  ctx: SandboxContext,
  req: SandboxRequest,
): Promise<SandboxResponse> {
  if (req.method !== 'POST')
    return verifiedIdError(404, { code: 'notFound', message: `No ${req.method} operation at ${req.path}.` });
  const refused = await refuseVerifiedIdCaller(ctx, req);
  if (refused) return refused;
  const parsed = parseJsonBody(req.body);
  if (!parsed.ok)
    return verifiedIdError(400, {
      code: 'badOrMissingField',
      message: 'The body is not valid JSON.',
      target: '',
    });
  const result = parsePresentationRequest(parsed.value, ctx.fixture.verifiedId?.authority);
  if (!result.ok)
    return verifiedIdError(400, {
      code: 'badOrMissingField',
      message: result.message,
      target: result.target,
    });
  const requestId = randomUUID();
  const now = ctx.clock.now();
  const expiry = new Date(now.getTime() + REQUEST_LIFETIME_MS);
  const token = JSON.parse(
    Buffer.from((req.headers.authorization ?? '').split('.')[1] ?? '', 'base64url').toString(),
  ) as {
    appid?: string;
  };
  ctx.state.presentations.set(requestId, {
    requestId,
    spec: result.spec,
    appId: token.appid ?? '',
    createdAt: now,
    expiry,
    status: 'created',
    callbacks: [],
  });
  const url = `openid-vc://?request_uri=${ctx.origin}/v1.0/${ctx.tenantId}/verifiableCredentials/presentationRequests/${requestId}`;
  return jsonResponse(201, {
    requestId,
    url,
    expiry: Math.floor(expiry.getTime() / 1000),
    ...(result.spec.includeQRCode ? { qrCode: sandboxQrDataUri(url) } : {}),
  });
}
