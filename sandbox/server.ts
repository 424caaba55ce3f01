import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { handleAdminRequest } from './admin-api.js';
import type { SandboxCertificates } from './certs.js';
import type { SandboxContext } from './context.js';
import { handleFileRequest, isFileRequest } from './files-http.js';
import { handleGraphRequest } from './graph-service.js';
import {
  jsonResponse,
  readRequest,
  writeResponse,
  type SandboxRequest,
  type SandboxResponse,
} from './http.js';
import { handleTokenService } from './token-service.js';
import { handleVerifiedIdRequest, isVerifiedIdRequest } from './verified-id.js';
import { handleSms, isSmsRequest } from './sms.js';

/** Minimal pino-compatible logger the sandbox accepts (it never logs pass codes or tokens). */
export interface SandboxLogger {
  error(obj: object, msg?: string): void;
}

async function dispatch(ctx: SandboxContext, req: SandboxRequest): Promise<SandboxResponse> {
  // The Verified ID Request Service shares the /v1.0/ prefix with Graph, so it is routed first.
  if (isVerifiedIdRequest(req.path)) return handleVerifiedIdRequest(ctx, req);
  if (/^\/v1\.0(\/|$)/i.test(req.path)) {
    const response = await handleGraphRequest(ctx, req);
    // Graph stamps every response with request-id and echoes client-request-id.
    const headers: Record<string, string> = { 'request-id': randomUUID(), ...response.headers };
    if (req.headers['client-request-id']) headers['client-request-id'] = req.headers['client-request-id'];
    return { ...response, headers };
  }
  if (/^\/_sandbox(\/|$)/i.test(req.path)) return handleAdminRequest(ctx, req);
  // Azure Communication Services' SMS API, at the sandbox origin (ACS_ENDPOINT in sandbox mode).
  if (isSmsRequest(req.path)) return handleSms(ctx, req);
  const token = await handleTokenService(ctx, req);
  return (
    token ?? jsonResponse(404, { error: { code: 'notFound', message: `No sandbox endpoint at ${req.path}` } })
  );
}

/** Starts the HTTPS server on 127.0.0.1 (never all interfaces) and resolves with its port. */
export async function listenSandbox(
  certs: SandboxCertificates,
  port: number,
  getContext: () => SandboxContext,
  logger?: SandboxLogger,
): Promise<{ server: Server; port: number }> {
  const server = createServer({ key: certs.serverKeyPem, cert: certs.serverCertPem }, (req, res) => {
    const fail = (error: unknown) => {
      logger?.error({ event: 'sandbox.request_failed', err: error }, 'sandbox request failed');
      if (!res.headersSent)
        writeResponse(res, jsonResponse(500, { error: { code: 'sandboxError', message: String(error) } }));
      else res.destroy();
    };
    // File URLs carry raw bytes (up to 10 MB), so they skip the JSON request reader.
    if (isFileRequest(req.url)) {
      handleFileRequest(getContext(), req, res).catch(fail);
      return;
    }
    readRequest(req)
      .then((request) => dispatch(getContext(), request))
      .then((response) => writeResponse(res, response))
      .catch(fail);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}
