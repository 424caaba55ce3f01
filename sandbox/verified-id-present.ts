// `POST /_sandbox/verified-id/present`: plays the person's phone for a presentation request. The
// sandbox then calls the request's callback URL with its callback headers, in order: request_retrieved,
// then presentation_verified (claims, Face Check score) or presentation_error (contract §4.4, §4.6).
import { createHash } from 'node:crypto';
import type { SandboxContext } from './context.js';
import type { FixtureUser } from './fixture.js';
import { jsonResponse, type SandboxResponse } from './http.js';
import { meetsConstraints } from './verified-id-request.js';
import type { StoredPresentation } from './verified-id-state.js';

const adminError = (status: number, code: string, message: string) =>
  jsonResponse(status, { error: { code, message } });

/** The claims of a VerifiedEmployee credential as the sandbox issues them from the directory. */
function employeeClaims(user: FixtureUser): Record<string, string> {
  const [givenName = '', ...rest] = user.displayName.split(' ');
  return {
    revocationId: user.userPrincipalName,
    displayName: user.displayName,
    givenName,
    surname: rest.join(' '),
    jobTitle: user.jobTitle ?? '',
    mail: user.mail ?? user.userPrincipalName,
    preferredLanguage: 'en-US',
  };
}

type PresentBody = { requestId: string; holder?: string } & (
  { score: number } | { error: { code: string; message: string } }
);

function parsePresentBody(body: Record<string, unknown>): PresentBody | string {
  const usage =
    'Expected {"requestId":"…","score":0-100} or {"requestId":"…","error":"<code>"}, optionally with "holder":"<upn or object id>".';
  if (typeof body.requestId !== 'string') return usage;
  if (body.holder !== undefined && typeof body.holder !== 'string') return usage;
  const holder = body.holder as string | undefined;
  if (typeof body.score === 'number' && body.error === undefined) {
    if (!Number.isFinite(body.score) || body.score < 0 || body.score > 100) return usage;
    return { requestId: body.requestId, holder, score: body.score };
  }
  if (body.score === undefined && typeof body.error === 'string' && body.error !== '')
    return {
      requestId: body.requestId,
      holder,
      error: { code: body.error, message: `The presentation failed (${body.error}).` },
    };
  if (body.score === undefined && typeof body.error === 'object' && body.error !== null) {
    const e = body.error as Record<string, unknown>;
    if (typeof e.code === 'string' && typeof e.message === 'string')
      return { requestId: body.requestId, holder, error: { code: e.code, message: e.message } };
  }
  return usage;
}

/** Posts one callback with exactly the request's callback headers; the HTTP status, or null when unreachable. */
async function sendCallback(p: StoredPresentation, body: Record<string, unknown>): Promise<number | null> {
  const payload = {
    requestId: p.requestId,
    requestStatus: body.requestStatus,
    state: p.spec.callback.state,
    ...body,
  };
  try {
    const response = await fetch(p.spec.callback.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...p.spec.callback.headers },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return null;
  }
}

/** What the phone ends with: the verified presentation, or the error the service reports. */
function outcomeOf(
  ctx: SandboxContext,
  p: StoredPresentation,
  holder: FixtureUser,
  body: PresentBody,
): Record<string, unknown> {
  if ('error' in body) return { requestStatus: 'presentation_error', error: body.error };
  const claims = employeeClaims(holder);
  // The service enforces the constraints: another person's credential does not satisfy them [inferred: code].
  if (!meetsConstraints(claims, p.spec.constraints))
    return {
      requestStatus: 'presentation_error',
      error: {
        code: 'claimValidationError',
        message: 'The presented credential does not meet the constraints of the request.',
      },
    };
  const fc = p.spec.faceCheck;
  if (fc && body.score < fc.matchConfidenceThreshold)
    return {
      requestStatus: 'presentation_error',
      error: {
        code: 'claimValidationError',
        message: 'Match confidence score failing to meet the threshold.',
      },
    };
  const issuer = ctx.fixture.verifiedId!.authority;
  const issued = new Date(ctx.clock.now().getTime() - 30 * 86_400_000);
  return {
    requestStatus: 'presentation_verified',
    subject: `did:web:wallet.sandbox.invalid:${createHash('sha256').update(holder.id).digest('hex').slice(0, 32)}`,
    verifiedCredentialsData: [
      {
        issuer,
        type: ['VerifiableCredential', p.spec.credentialType],
        claims,
        credentialState: { revocationStatus: 'VALID' },
        domainValidation: { url: `https://${issuer.replace(/^did:web:/, '')}/` },
        issuanceDate: issued.toISOString(),
        expirationDate: new Date(issued.getTime() + 365 * 86_400_000).toISOString(),
        ...(fc ? { faceCheck: { matchConfidenceScore: body.score, sourcePhotoQuality: 'HIGH' } } : {}),
      },
    ],
  };
}

/** Handles `POST /_sandbox/verified-id/present`. */
export async function presentToVerifiedId(
  ctx: SandboxContext,
  raw: Record<string, unknown>,
): Promise<SandboxResponse> {
  const body = parsePresentBody(raw);
  if (typeof body === 'string') return adminError(400, 'badRequest', body);
  const p = ctx.state.presentations.get(body.requestId);
  if (!p) return adminError(404, 'notFound', `No presentation request ${body.requestId}.`);
  if (p.status !== 'created')
    return adminError(
      409,
      'alreadyPresented',
      `Presentation request ${p.requestId} was already answered (${p.status}).`,
    );
  if (ctx.clock.now() > p.expiry)
    return adminError(
      409,
      'expired',
      `Presentation request ${p.requestId} expired at ${p.expiry.toISOString()}.`,
    );
  const verifiedId = ctx.fixture.verifiedId;
  if (!verifiedId)
    return adminError(409, 'noCredentials', 'The sandbox tenant issues no Verified ID credentials.');
  // By default the person the constraints name opens the request; `holder` makes someone else do so.
  const holder = body.holder
    ? ctx.directory.findUser(body.holder)
    : ctx.fixture.users.find(
        (u) => verifiedId.holders.includes(u.id) && meetsConstraints(employeeClaims(u), p.spec.constraints),
      );
  if (!holder)
    return adminError(
      404,
      'notFound',
      body.holder ? `No sandbox user ${body.holder}.` : 'No credential holder meets the constraints.',
    );
  const holdsCredential =
    verifiedId.holders.includes(holder.id) &&
    p.spec.credentialType === verifiedId.credentialType &&
    (p.spec.acceptedIssuers.length === 0 ||
      p.spec.acceptedIssuers.some((i) => i.toLowerCase() === verifiedId.authority.toLowerCase()));
  if (!holdsCredential)
    return adminError(
      409,
      'noCredential',
      `${holder.userPrincipalName} has no ${p.spec.credentialType} credential this request accepts in Microsoft Authenticator.`,
    );
  p.presentedBy = holder.id;
  p.status = 'request_retrieved';
  p.callbacks.push({
    requestStatus: 'request_retrieved',
    httpStatus: await sendCallback(p, { requestStatus: 'request_retrieved' }),
  });
  const outcome = outcomeOf(ctx, p, holder, body);
  p.status = outcome.requestStatus as StoredPresentation['status'];
  p.callbacks.push({ requestStatus: p.status, httpStatus: await sendCallback(p, outcome) });
  return jsonResponse(200, {
    requestId: p.requestId,
    status: p.status,
    callbacks: p.callbacks.map((c) => ({ ...c })),
  });
}
