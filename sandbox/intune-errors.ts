import { randomUUID } from 'node:crypto';
import type { GraphCall } from './graph-call.js';
import { jsonResponse, type SandboxResponse } from './http.js';

/** Intune's support id is all zeros in every observed envelope (next-wave §3.5). */
const operationId = '00000000-0000-0000-0000-000000000000';
/** Stands for the Intune front end that answered; clients must not parse it [sandbox choice]. */
const fefUrl = 'https://fef.msua09.manage.microsoft.com/DeviceEnrollmentFE';

/** Messages of Intune's answers that the contract fixes (next-wave §3.5). */
export const IntuneMessages = {
  missingScope: (scopes: readonly string[]) =>
    `Application is not authorized to perform this operation. Application must have one of the following scopes: ${scopes.join(', ')}`,
  appOnlyWithoutPermissions:
    'Application is not authorized to perform this operation as called in app only context but does not have application permissions configured.',
  userNotAuthorized: 'User is not authorized to perform this operation',
} as const;

/**
 * Intune's "FEF" error: Graph's envelope whose `error.message` is itself a JSON document (CRLF line
 * breaks, two-space indent) carrying the text, the operation and activity ids and the front-end URL.
 * The activity id is the response's request-id. `retryAfterSeconds` fills `RetryAfter` and the header.
 */
export function fefError(
  call: GraphCall,
  status: number,
  code: string,
  text: string,
  retryAfterSeconds?: number,
): SandboxResponse {
  const requestId = randomUUID();
  const query = call.query.toString();
  const inner = {
    _version: 3,
    Message: `${text} - Operation ID (for customer support): ${operationId} - Activity ID: ${requestId} - Url: ${fefUrl}${call.path}${query ? `?${query}` : ''}`,
    CustomApiErrorPhrase: '',
    RetryAfter: retryAfterSeconds ?? null,
    ErrorSourceService: '',
    HttpHeaders: '{}',
  };
  const innerError = {
    date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'request-id': requestId,
    'client-request-id': call.clientRequestId ?? requestId,
  };
  const headers: Record<string, string> = { 'request-id': requestId };
  if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
  return jsonResponse(
    status,
    { error: { code, message: JSON.stringify(inner, null, 2).replace(/\n/g, '\r\n'), innerError } },
    headers,
  );
}
