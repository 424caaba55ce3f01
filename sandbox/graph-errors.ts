import { randomUUID } from 'node:crypto';
import { jsonResponse, type SandboxResponse } from './http.js';

/** Graph's OData error envelope with a fresh request-id, echoing the caller's client-request-id. */
export function graphError(
  status: number,
  code: string,
  message: string,
  clientRequestId: string | undefined,
  extraHeaders: Record<string, string> = {},
): SandboxResponse {
  const requestId = randomUUID();
  const innerError = {
    date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'request-id': requestId,
    'client-request-id': clientRequestId ?? requestId,
  };
  return jsonResponse(
    status,
    { error: { code, message, innerError } },
    { 'request-id': requestId, ...extraHeaders },
  );
}

/** The message Graph uses for an object id or UPN that does not resolve. */
export function notFoundMessage(id: string): string {
  return `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`;
}

/** Error messages fixed by the contract (graph-tap-contract.md §3). */
export const TapMessages = {
  accessDenied: 'Request Authorization failed',
  policyDenied:
    'Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass].',
  guest: 'Temporary Access Pass cannot be added to an external guest user.',
  lifetime: (min: number, max: number) =>
    `Invalid LifetimeInMinutes specified. The valid range between ${min} and ${max}.`,
} as const;
