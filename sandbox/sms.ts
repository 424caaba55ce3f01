import { createHash, randomUUID } from 'node:crypto';
import type { SandboxContext } from './context.js';
import { jsonResponse, parseJsonBody, type SandboxRequest, type SandboxResponse } from './http.js';

/** The audience of Entra tokens for Azure Communication Services (scope `https://communication.azure.com//.default`). */
export const ACS_AUDIENCE = 'https://communication.azure.com';
const API_VERSION = '2021-03-07';
const E164 = /^\+[1-9]\d{7,14}$/;

/** One SMS the sandbox "sent": where, from whom, when, and the SHA-256 of every pass it carried. */
export interface OutboxEntry {
  channel: 'sms';
  to: string;
  from: string;
  at: string;
  passes: string[];
  messageId: string;
}

/** A fault a test arms for the next sends: the whole call fails, or the recipient is refused inside a 202. */
export interface SmsFault {
  status?: number;
  recipientStatus?: number;
  count: number;
}

const acsError = (status: number, code: string, message: string, extra: Record<string, string> = {}) =>
  jsonResponse(status, { error: { code, message } }, extra);

export const isSmsRequest = (path: string) => /^\/sms\/?$/i.test(path);

/**
 * Azure Communication Services' `POST /sms?api-version=2021-03-07` (contract §5.4): an Entra bearer
 * token for ACS from an identity that holds a role on the resource (fixture `communication.smsSenders`),
 * a `from` the resource owns, 1–100 E.164 recipients each with a repeatability id (a repeated id is
 * `rejected`), per-recipient results inside a 202. Accepted messages land in the outbox, recorded with
 * the SHA-256 of each live pass whose code they contain, never the text.
 */
export async function handleSms(ctx: SandboxContext, req: SandboxRequest): Promise<SandboxResponse> {
  if (req.method !== 'POST') return acsError(405, 'MethodNotAllowed', 'Only POST is supported.');
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!bearer) return acsError(401, 'Unauthorized', 'Missing bearer token or HMAC signature.');
  const verified = await ctx.signer.verify(bearer, [ACS_AUDIENCE, `${ACS_AUDIENCE}/`]);
  if (!verified.ok) return acsError(401, 'Unauthorized', `The access token is invalid (${verified.reason}).`);
  const caller = String(verified.claims.azp ?? verified.claims.appid ?? '');
  const senders = ctx.fixture.communication?.smsSenders ?? [];
  if (verified.claims.tid !== ctx.tenantId || !senders.includes(caller))
    return acsError(403, 'Forbidden', 'The caller holds no role on this Communication Services resource.');
  if (req.query.get('api-version') !== API_VERSION)
    return acsError(400, 'InvalidApiVersion', `Use api-version=${API_VERSION}.`);
  const parsed = parseJsonBody(req.body ?? '');
  const body = (parsed.ok ? parsed.value : undefined) as
    { from?: unknown; smsRecipients?: unknown; message?: unknown } | undefined;
  const owned = ctx.fixture.communication?.smsFrom;
  if (!body || typeof body.message !== 'string' || body.message.length === 0)
    return acsError(400, 'BadRequest', 'message is required.');
  if (typeof body.from !== 'string' || body.from !== owned)
    return acsError(400, 'BadRequest', 'from must be a phone number owned by this resource.');
  const recipients = Array.isArray(body.smsRecipients) ? body.smsRecipients : [];
  if (recipients.length < 1 || recipients.length > 100)
    return acsError(400, 'BadRequest', 'smsRecipients must hold 1 to 100 recipients.');
  const state = ctx.state;
  const fault = state.takeSmsFault();
  if (fault?.status)
    return acsError(fault.status, 'ServiceUnavailable', 'Sandbox fault injection.', { 'Retry-After': '1' });
  const value = recipients.map((r: { to?: unknown; repeatabilityRequestId?: unknown }) => {
    const to = typeof r?.to === 'string' ? r.to : '';
    if (!E164.test(to))
      return { to, httpStatusCode: 400, successful: false, errorMessage: 'Invalid To phone number format.' };
    const id = typeof r.repeatabilityRequestId === 'string' ? r.repeatabilityRequestId : '';
    if (!id || state.smsRepeatabilityIds.has(id))
      return {
        to,
        httpStatusCode: 409,
        repeatabilityResult: 'rejected',
        successful: false,
        errorMessage: 'Repeated request.',
      };
    state.smsRepeatabilityIds.add(id);
    if (fault?.recipientStatus)
      return {
        to,
        httpStatusCode: fault.recipientStatus,
        repeatabilityResult: 'accepted',
        successful: false,
        errorMessage: 'Sandbox fault injection.',
      };
    const messageId = `Outgoing_${randomUUID()}`;
    state.outbox.push({
      channel: 'sms',
      to,
      from: body.from as string,
      at: ctx.clock.now().toISOString(),
      passes: passesIn(ctx, body.message as string),
      messageId,
    });
    return { to, messageId, httpStatusCode: 202, repeatabilityResult: 'accepted', successful: true };
  });
  return jsonResponse(202, { value });
}

/** The SHA-256 of every stored pass whose code the text contains. */
function passesIn(ctx: SandboxContext, text: string): string[] {
  return [...ctx.state.passes.values()]
    .filter((p) => text.includes(p.code))
    .map((p) => createHash('sha256').update(p.code).digest('hex'));
}

/** `POST /_sandbox/faults/sms {status?, recipientStatus?, count?}`: arms a fault for the next sends. */
export function parseSmsFault(body: Record<string, unknown>): SmsFault | string {
  const { status, recipientStatus, count = 1 } = body;
  const okStatus = (v: unknown) => v === undefined || (typeof v === 'number' && v >= 400 && v <= 599);
  if (
    !okStatus(status) ||
    !okStatus(recipientStatus) ||
    (status === undefined) === (recipientStatus === undefined)
  )
    return 'Expected {"status":4xx|5xx} or {"recipientStatus":4xx|5xx}, and optionally "count".';
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1)
    return '"count" must be a positive integer.';
  return {
    ...(status ? { status: status as number } : {}),
    ...(recipientStatus ? { recipientStatus: recipientStatus as number } : {}),
    count,
  };
}
