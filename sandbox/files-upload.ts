import type { StoredFile } from './files.js';

/** Largest file the sandbox stores (real OneDrive takes far more; the sandbox keeps everything in memory). */
export const maxFileBytes = 10 * 1024 * 1024;

/** An open OneDrive upload session: the URL is the credential, the file fills up chunk by chunk. */
export interface UploadSession {
  file: StoredFile;
  expiresAt: number;
  total?: number;
}

/** A `/_files/...` answer: a JSON body, raw bytes, or nothing. */
export interface FileResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  bytes?: Buffer;
}

/** OneDrive's error envelope. */
export const fileError = (
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): FileResponse => ({ status, headers, json: { error: { code, message } } });

const mimeTypes: Record<string, string> = { csv: 'text/csv', txt: 'text/plain', json: 'application/json' };

/** Parses `bytes {start}-{end}/{total}`; returns an error text for anything else. */
export function parseContentRange(
  header: string | undefined,
): { start: number; end: number; total: number } | string {
  if (header === undefined) return 'Content-Range is required, e.g. "bytes 0-99/250".';
  const match = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15})$/.exec(header.trim());
  if (!match) return `Content-Range "${header}" is not of the form "bytes {start}-{end}/{total}".`;
  const [start, end, total] = match.slice(1).map(Number) as [number, number, number];
  if (start > end || end >= total) return `Content-Range "${header}" is not a range inside the file.`;
  return { start, end, total };
}

/** What `GET {uploadUrl}` and each intermediate PUT answer. */
export function sessionStatus(session: UploadSession) {
  return {
    expirationDateTime: new Date(session.expiresAt).toISOString(),
    nextExpectedRanges: [`${session.file.size}-`],
  };
}

/**
 * One `PUT {uploadUrl}` chunk of an open session: validates Content-Length and Content-Range, appends
 * the bytes in order, answers 202 with the next expected range or 201 with the driveItem at the end.
 */
export function acceptChunk(
  session: UploadSession,
  headers: Record<string, string | undefined>,
  body: Buffer | 'tooLarge',
  webUrl: string,
): FileResponse {
  const tooLarge = () =>
    fileError(413, 'fileTooLarge', `Files over ${maxFileBytes} bytes are refused by the sandbox.`);
  if (headers['content-length'] === undefined)
    return fileError(411, 'lengthRequired', 'Content-Length is required.');
  if (body === 'tooLarge') return tooLarge();
  const range = parseContentRange(headers['content-range']);
  if (typeof range === 'string') return fileError(400, 'invalidRequest', range);
  if (range.total > maxFileBytes) return tooLarge();
  if (session.total !== undefined && range.total !== session.total)
    return fileError(
      400,
      'invalidRequest',
      `The total size changed from ${session.total} to ${range.total}.`,
    );
  const announced = range.end - range.start + 1;
  if (body.length !== announced)
    return fileError(
      400,
      'invalidRequest',
      `The body has ${body.length} bytes but Content-Range announces ${announced}.`,
    );
  const file = session.file;
  if (range.start !== file.size)
    return fileError(
      416,
      'invalidRange',
      `Expected a range starting at byte ${file.size}, got bytes ${range.start}-${range.end}.`,
    );
  session.total = range.total;
  file.chunks.push(body);
  file.size += body.length;
  file.putCount += 1;
  if (file.size < range.total) return { status: 202, json: sessionStatus(session) };
  file.complete = true;
  return {
    status: 201,
    json: {
      id: file.driveItemId,
      name: file.name,
      size: file.size,
      webUrl,
      createdDateTime: file.createdAt.toISOString(),
      lastModifiedDateTime: new Date().toISOString(),
      file: { mimeType: mimeTypes[file.fileType] ?? 'application/octet-stream' },
    },
  };
}
