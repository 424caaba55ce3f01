import type { Dispatcher } from 'undici';

export class FileTransferError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileTransferError';
  }
}

/** Hosts where Teams keeps chat files (OneDrive/SharePoint), per national cloud. */
const SHAREPOINT_SUFFIXES = [
  '.sharepoint.com',
  '.sharepoint.us',
  '.sharepoint.de',
  '.sharepoint.cn',
  '.sharepoint-mil.us',
];

/**
 * Download and upload links arrive in activities, which anyone able to post to the bot can forge; the
 * bot only ever fetches from Teams' file storage (or the sandbox that stands in for it), never from
 * an arbitrary host of the sender's choosing.
 */
export function fileHostPolicy(sandboxUrl: string | undefined): (url: URL) => boolean {
  if (sandboxUrl) {
    const sandbox = new URL(sandboxUrl);
    return (url) => url.protocol === 'https:' && url.host === sandbox.host;
  }
  return (url) =>
    url.protocol === 'https:' && url.port === '' && SHAREPOINT_SUFFIXES.some((s) => url.hostname.endsWith(s));
}

/** OneDrive upload sessions take chunks in multiples of 320 KiB (except the last). */
const UPLOAD_CHUNK_BYTES = 327_680 * 4;
const UPLOAD_ATTEMPTS = 3;
const TIMEOUT_MS = 20_000;

/** Fetches files users send and uploads files they accepted, straight from and to memory. */
export class FileTransfer {
  constructor(
    private readonly allowed: (url: URL) => boolean,
    private readonly dispatcher: Dispatcher | undefined,
  ) {}

  /** Downloads at most `maxBytes`; refuses other hosts and bigger files without reading them whole. */
  async download(link: string, maxBytes: number): Promise<Uint8Array> {
    const url = this.check(link);
    const response = await this.fetch(url, { method: 'GET' });
    if (!response.ok || !response.body) throw new FileTransferError(`download answered ${response.status}`);
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const part of response.body as AsyncIterable<Uint8Array>) {
      size += part.byteLength;
      if (size > maxBytes) throw new FileTransferError(`file is larger than ${maxBytes} bytes`);
      parts.push(part);
    }
    return Buffer.concat(parts);
  }

  /** PUTs bytes to an upload session in order, retrying a chunk Teams' storage answered 5xx for. */
  async upload(link: string, bytes: Uint8Array): Promise<void> {
    const url = this.check(link);
    for (let start = 0; start < bytes.byteLength || start === 0; start += UPLOAD_CHUNK_BYTES) {
      const chunk = bytes.subarray(start, Math.min(bytes.byteLength, start + UPLOAD_CHUNK_BYTES));
      const range = `bytes ${start}-${start + chunk.byteLength - 1}/${bytes.byteLength}`;
      for (let attempt = 1; ; attempt += 1) {
        const response = await this.fetch(url, {
          method: 'PUT',
          headers: { 'content-length': String(chunk.byteLength), 'content-range': range },
          body: chunk,
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) break;
        if (response.status < 500 || attempt >= UPLOAD_ATTEMPTS)
          throw new FileTransferError(`upload answered ${response.status}`);
        await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      }
      if (bytes.byteLength === 0) break;
    }
  }

  private check(link: string): URL {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw new FileTransferError('not a URL');
    }
    if (!this.allowed(url)) throw new FileTransferError(`host ${url.host} is not Teams' file storage`);
    return url;
  }

  private async fetch(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, {
        ...init,
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      } as RequestInit);
    } catch (error) {
      throw new FileTransferError(`request failed: ${(error as Error).message}`);
    }
  }
}
