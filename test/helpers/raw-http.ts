import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  ms: number;
  /** Body bytes the client had handed to the socket when the answer arrived. */
  sent: number;
}

/**
 * A request with full control over headers and how the body goes out (all at once, streamed in chunks
 * until the server answers, or never), resolving as soon as the status line arrives.
 */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string | number>;
    body?: Buffer | string;
    /** Keeps writing chunks of this size until the answer arrives (up to `maxBytes`). */
    stream?: { chunk: number; maxBytes: number };
    /** Sends the headers only and waits; the body is never written. */
    holdBody?: boolean;
  } = {},
): Promise<RawAnswer> {
  const started = performance.now();
  let sent = 0;
  let answered = false;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers });
    req.on('response', (res) => {
      answered = true;
      resolve({ status: res.statusCode ?? 0, headers: res.headers, ms: performance.now() - started, sent });
      res.resume();
      req.destroy();
    });
    // The server may close while we still write; only a missing answer is a failure.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    if (options.holdBody) return void req.flushHeaders();
    if (options.stream) {
      const { chunk, maxBytes } = options.stream;
      const piece = Buffer.alloc(chunk, 0x20);
      const pump = () => {
        while (!answered && sent < maxBytes) {
          sent += chunk;
          if (!req.write(piece)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      return pump();
    }
    if (options.body !== undefined) sent = Buffer.byteLength(options.body);
    req.end(options.body);
  });
}

/** A multipart/form-data body with one file part, as a browser form upload sends it. */
export function multipartBody(boundary: string, bytes: number): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.alloc(bytes, 0x61),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}
