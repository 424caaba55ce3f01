import { randomUUID } from 'node:crypto';
import { jsonResponse, type SandboxResponse } from './http.js';

/** An Entra-style token endpoint error: `AADSTSnnnn: message` plus trace and correlation ids. */
export function oauthError(
  status: number,
  error: string,
  aadsts: number,
  message: string,
  correlationId: string | undefined,
): SandboxResponse {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
  const description = `AADSTS${aadsts}: ${message} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`;
  return jsonResponse(
    status,
    {
      error,
      error_description: description,
      error_codes: [aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlation,
    },
    { 'Cache-Control': 'no-store' },
  );
}
