import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request as the sandbox handlers see it: decoded path, query, lower-cased headers, raw body text. */
export interface SandboxRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string | undefined;
  remoteAddress: string;
}

/** A response before it is written: JSON bodies are objects, `undefined` means no body (204). */
export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const maxBodyBytes = 1_000_000;

/** Reads a Node request into a SandboxRequest; bodies over 1 MB are refused. */
export async function readRequest(req: IncomingMessage): Promise<SandboxRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new Error('request body too large');
    chunks.push(chunk);
  }
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: chunks.length > 0 ? Buffer.concat(chunks).toString('utf8') : undefined,
    remoteAddress: req.socket.remoteAddress ?? '',
  };
}

/** A JSON response with `Content-Type: application/json`. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): SandboxResponse {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body };
}

/** Writes a SandboxResponse to the socket. */
export function writeResponse(res: ServerResponse, response: SandboxResponse): void {
  const text = response.body === undefined ? '' : JSON.stringify(response.body);
  res.writeHead(response.status, { ...response.headers, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Parses a JSON body; returns `undefined` for a missing body and a marker for malformed text. */
export function parseJsonBody(body: string | undefined): { ok: true; value: unknown } | { ok: false } {
  if (body === undefined || body.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Header lookup that ignores case (batch items carry headers in any case). */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
