import type { IncomingMessage } from 'node:http';

/** Bot Framework activities are a few KiB; anything near this is a mistake or an attack. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

/** A slow sender must not hold a socket and a half-read buffer for minutes. */
const READ_DEADLINE_MS = 10_000;

/** A 4xx (or 503) answered before the adapter runs; `detail` is never request content. */
export type Refusal = { status: number; reason: string; detail?: string };

/**
 * The cheap checks on headers alone, before a byte of the body is read. Only JSON without any
 * content coding: nothing is ever decompressed (a few KiB of gzip inflate to hundreds of MiB), no
 * multipart ever reaches the disk, and a cross-site HTML form (which can only send form or text
 * bodies without a CORS preflight) cannot drive the bot when inbound auth is off.
 */
export function refuseByHeaders(req: IncomingMessage): Refusal | null {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') return { status: 415, reason: 'content_encoding' };
  if (!isJsonUtf8(req.headers['content-type'])) return { status: 415, reason: 'content_type' };
  return null;
}

/** `application/json`, optionally with `charset=utf-8`, and nothing else. */
export function isJsonUtf8(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [media, ...params] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (media !== 'application/json') return false;
  return params.every((p) => p === '' || /^charset\s*=\s*"?utf-8"?$/.test(p));
}

/**
 * Reads the raw body with a byte cap and parses it as a JSON object. The cap is enforced on what
 * arrives, not on what Content-Length claims: reading stops at the first chunk past the limit,
 * whether the length was declared, understated (Node's parser never reads past it) or chunked.
 */
export async function readJsonObject(
  req: IncomingMessage,
  limit = MAX_ACTIVITY_BYTES,
): Promise<{ body: Record<string, unknown> } | Refusal> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return { status: 413, reason: 'too_large_declared' };
  const raw = await readCapped(req, limit);
  if ('status' in raw) return raw;
  try {
    const parsed: unknown = JSON.parse(raw.bytes.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return { body: parsed as Record<string, unknown> };
  } catch {
    // Falls through to the same refusal as valid JSON that is not an object.
  }
  return { status: 400, reason: 'not_a_json_object' };
}

function readCapped(req: IncomingMessage, limit: number): Promise<{ bytes: Buffer } | Refusal> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: { bytes: Buffer } | Refusal) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onError);
      // Stop pulling from the socket; the answer goes out with `Connection: close`.
      if ('status' in result) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return finish({ status: 413, reason: 'too_large' });
      chunks.push(chunk);
    };
    const onEnd = () => finish({ bytes: Buffer.concat(chunks, size) });
    const onError = () => finish({ status: 400, reason: 'aborted' });
    const timer = setTimeout(() => finish({ status: 408, reason: 'too_slow' }), READ_DEADLINE_MS);
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onError);
  });
}
