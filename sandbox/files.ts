import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  acceptChunk,
  fileError,
  sessionStatus,
  type FileResponse,
  type UploadSession,
} from './files-upload.js';

export { maxFileBytes, type FileResponse } from './files-upload.js';

const defaultDownloadSeconds = 3600;
const uploadSessionSeconds = 3600;

/** What Teams puts into a message when a user sends the bot a file. */
export interface FileDownloadAttachment {
  contentType: 'application/vnd.microsoft.teams.file.download.info';
  name: string;
  contentUrl: string;
  content: { downloadUrl: string; uniqueId: string; fileType: string };
}

/** What Teams puts into the `fileConsent/invoke` when the user accepts a file consent card. */
export interface UploadInfo {
  contentUrl: string;
  name: string;
  uploadUrl: string;
  fileType: string;
  uniqueId: string;
}

/** A file in the sandbox's pretend OneDrive: sent by a user (complete at once) or uploaded by the bot. */
export interface StoredFile {
  uniqueId: string;
  driveItemId: string;
  name: string;
  fileType: string;
  source: 'user' | 'upload';
  chunks: Buffer[];
  size: number;
  complete: boolean;
  putCount: number;
  /** Successful downloads, so a test can prove the bot never fetched a file. */
  downloads: number;
  createdAt: Date;
  download?: { token: string; expiresAt: number };
}

/** `wave.CSV` → `csv`; no extension → ''. */
export function fileTypeOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function sameSecret(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** In-memory stand-in for the OneDrive/SharePoint side of Teams file handling; never touches the disk. */
export class FileStore {
  private files = new Map<string, StoredFile>();
  private sessions = new Map<string, UploadSession>();
  /** The next N upload PUTs answer 503. */
  failUploads = 0;

  /** Forgets every file, session and upload fault. */
  clear(): void {
    this.files.clear();
    this.sessions.clear();
    this.failUploads = 0;
  }

  private create(name: string, source: StoredFile['source']): StoredFile {
    const file: StoredFile = {
      uniqueId: randomUUID(),
      driveItemId: `01${randomBytes(16).toString('hex').toUpperCase()}`,
      name,
      fileType: fileTypeOf(name),
      source,
      chunks: [],
      size: 0,
      complete: false,
      putCount: 0,
      downloads: 0,
      createdAt: new Date(),
    };
    this.files.set(file.uniqueId, file);
    return file;
  }

  private contentUrl(origin: string, file: StoredFile): string {
    return `${origin}/_files/content/${file.uniqueId}/${encodeURIComponent(file.name)}`;
  }

  /** A file a user sent to the bot: stored complete, downloadable with a secret token until it expires. */
  addUserFile(origin: string, name: string, bytes: Buffer, expiresInSeconds = defaultDownloadSeconds) {
    const file = this.create(name, 'user');
    file.chunks = [bytes];
    file.size = bytes.length;
    file.complete = true;
    file.download = {
      token: randomBytes(24).toString('base64url'),
      expiresAt: Date.now() + expiresInSeconds * 1000,
    };
    const downloadUrl = `${origin}/_files/download/${file.uniqueId}?token=${file.download.token}`;
    const contentUrl = this.contentUrl(origin, file);
    const attachment: FileDownloadAttachment = {
      contentType: 'application/vnd.microsoft.teams.file.download.info',
      name,
      contentUrl,
      content: { downloadUrl, uniqueId: file.uniqueId, fileType: file.fileType },
    };
    return { uniqueId: file.uniqueId, downloadUrl, contentUrl, fileType: file.fileType, attachment };
  }

  /** What Teams hands the bot when the user accepts a consent card: an empty file and its upload session. */
  openUploadSession(origin: string, requestedName: string): UploadInfo {
    const file = this.create(this.freeName(requestedName), 'upload');
    const sessionId = randomBytes(24).toString('base64url');
    this.sessions.set(sessionId, { file, expiresAt: Date.now() + uploadSessionSeconds * 1000 });
    return {
      contentUrl: this.contentUrl(origin, file),
      name: file.name,
      uploadUrl: `${origin}/_files/upload/${sessionId}`,
      fileType: file.fileType,
      uniqueId: file.uniqueId,
    };
  }

  /** OneDrive's conflictBehavior=rename: `passes.csv`, then `passes (1).csv`, `passes (2).csv`, ... */
  private freeName(name: string): string {
    const taken = new Set([...this.files.values()].filter((f) => f.source === 'upload').map((f) => f.name));
    if (!taken.has(name)) return name;
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (let n = 1; ; n++) if (!taken.has(`${stem} (${n})${ext}`)) return `${stem} (${n})${ext}`;
  }

  /** `GET /_files/download/{uniqueId}?token=...`: the pre-authenticated, short-lived download URL. */
  download(uniqueId: string, token: string | null, hasAuthorization: boolean): FileResponse {
    const file = this.files.get(uniqueId);
    if (!file?.download || Date.now() >= file.download.expiresAt)
      return fileError(404, 'itemNotFound', 'The download link does not exist or has expired.');
    if (hasAuthorization)
      return fileError(
        401,
        'unauthenticated',
        'Pre-authenticated download URLs take no Authorization header.',
      );
    if (!sameSecret(token, file.download.token))
      return fileError(401, 'unauthenticated', 'The download token is missing or wrong.');
    file.downloads += 1;
    return {
      status: 200,
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      },
      bytes: Buffer.concat(file.chunks),
    };
  }

  private openSession(sessionId: string): UploadSession | undefined {
    const session = this.sessions.get(sessionId);
    if (session && Date.now() >= session.expiresAt) this.sessions.delete(sessionId);
    return this.sessions.get(sessionId);
  }

  /** `GET {uploadUrl}`: the session's status, as OneDrive answers it for resuming. */
  uploadStatus(sessionId: string): FileResponse {
    const session = this.openSession(sessionId);
    if (!session) return fileError(404, 'itemNotFound', 'The upload session does not exist or is complete.');
    return { status: 200, json: sessionStatus(session) };
  }

  /** `DELETE {uploadUrl}`: cancels the session; the file stays incomplete. */
  cancelUpload(sessionId: string): FileResponse {
    if (!this.openSession(sessionId))
      return fileError(404, 'itemNotFound', 'The upload session does not exist or is complete.');
    this.sessions.delete(sessionId);
    return { status: 204 };
  }

  /** `PUT {uploadUrl}` with one chunk (see files-upload.ts); injected faults and session lookup come first. */
  uploadChunk(
    origin: string,
    sessionId: string,
    headers: Record<string, string | undefined>,
    body: Buffer | 'tooLarge',
  ): FileResponse {
    if (this.failUploads > 0) {
      this.failUploads -= 1;
      return fileError(503, 'serviceNotAvailable', 'Upload failed (sandbox fault injection).', {
        'Retry-After': '1',
      });
    }
    if (headers.authorization !== undefined)
      return fileError(
        401,
        'unauthenticated',
        'Upload URLs are pre-authenticated: send no Authorization header.',
      );
    const session = this.openSession(sessionId);
    if (!session) return fileError(404, 'itemNotFound', 'The upload session does not exist or is complete.');
    const response = acceptChunk(session, headers, body, this.contentUrl(origin, session.file));
    if (session.file.complete) this.sessions.delete(sessionId);
    return response;
  }

  /** `GET /_sandbox/files/{uniqueId}`: what a test needs to check an upload (content as UTF-8 text). */
  view(uniqueId: string) {
    const file = this.files.get(uniqueId);
    if (!file) return undefined;
    return {
      uniqueId: file.uniqueId,
      name: file.name,
      fileType: file.fileType,
      source: file.source,
      size: file.size,
      complete: file.complete,
      putCount: file.putCount,
      downloads: file.downloads,
      content: Buffer.concat(file.chunks).toString('utf8'),
    };
  }

  /** `GET /_sandbox/files`: every file, oldest first. */
  list() {
    return [...this.files.values()].map((f) => ({
      uniqueId: f.uniqueId,
      name: f.name,
      source: f.source,
      size: f.size,
      complete: f.complete,
    }));
  }
}
