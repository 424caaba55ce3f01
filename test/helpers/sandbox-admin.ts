import type { SandboxHandle } from '../../sandbox/index.js';

/** Anything that knows the sandbox's admin URL and CA: a Harness, a test's own world, or an e2e's. */
type HasSandbox = { sandbox: Pick<SandboxHandle, 'sandboxUrl' | 'caPem'> };
import { Agent } from 'undici';

export interface SandboxState {
  passes: {
    userId: string;
    userPrincipalName: string;
    id: string;
    lifetimeInMinutes: number;
    isUsableOnce: boolean;
    createdBy: string;
    passSha256: string;
  }[];
  /** Windows Autopilot devices; `updatedBy` = oid of the token behind the last Graph change. */
  devices: {
    id: string;
    serialNumber: string;
    model: string;
    groupTag: string;
    userPrincipalName: string;
    addressableUserName: string;
    displayName: string;
    enrollmentState: string;
    updatedBy: string | null;
  }[];
  graphLog: { at: string; method: string; path: string; callerOid: string; status: number }[];
  /** Graph requests the sandbox holds right now (received, not yet answered). */
  graphInFlight: number;
  /** PIM self-activations, granted or awaiting approval; `active` while one is in force. */
  activations: Array<Record<string, unknown>>;
}

const agents = new WeakMap<HasSandbox['sandbox'], Agent>();
function agentFor(h: HasSandbox): Agent {
  let agent = agents.get(h.sandbox);
  if (!agent) agents.set(h.sandbox, (agent = new Agent({ connect: { ca: h.sandbox.caPem } })));
  return agent;
}

/** Calls the sandbox admin API over HTTPS, trusting its CA explicitly. */
export async function sandboxAdmin(
  h: HasSandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${h.sandbox.sandboxUrl}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    dispatcher: agentFor(h),
  } as RequestInit);
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

export async function sandboxState(h: HasSandbox): Promise<SandboxState> {
  return (await sandboxAdmin(h, 'GET', '/state')) as SandboxState;
}

/** The person finished Windows setup on this device: Intune now reports it enrolled. */
export async function enrollDevice(
  h: HasSandbox,
  serialNumber: string,
): Promise<SandboxState['devices'][number]> {
  return (await sandboxAdmin(
    h,
    'POST',
    `/devices/${encodeURIComponent(serialNumber)}/enroll`,
  )) as SandboxState['devices'][number];
}

/** The Teams `file.download.info` attachment the sandbox builds for a user's file. */
export interface FileDownloadAttachment {
  contentType: 'application/vnd.microsoft.teams.file.download.info';
  name: string;
  contentUrl: string;
  content: { downloadUrl: string; uniqueId: string; fileType: string };
}

/** `POST /_sandbox/files`: a file a user sends the bot. */
export interface UserFile {
  uniqueId: string;
  downloadUrl: string;
  contentUrl: string;
  fileType: string;
  attachment: FileDownloadAttachment;
}

/** What Teams puts into an accepted `fileConsent/invoke`. */
export interface UploadInfo {
  contentUrl: string;
  name: string;
  uploadUrl: string;
  fileType: string;
  uniqueId: string;
}

/** `GET /_sandbox/files/{uniqueId}`: a stored file with its content as UTF-8 text. */
export interface SandboxFile {
  uniqueId: string;
  name: string;
  fileType: string;
  source: 'user' | 'upload';
  size: number;
  complete: boolean;
  /** Accepted upload chunks (PUTs that answered 202 or 201). */
  putCount: number;
  /** Successful downloads of a user's file by its downloadUrl. */
  downloads: number;
  content: string;
}

/** Stores a file as if a user had sent it to the bot; `attachment` goes into a message (see helpers/files.ts). */
export async function putUserFile(
  h: HasSandbox,
  name: string,
  content: string | Buffer,
  options: { expiresInSeconds?: number } = {},
): Promise<UserFile> {
  const body =
    typeof content === 'string' ? { name, content } : { name, contentBase64: content.toString('base64') };
  return (await sandboxAdmin(h, 'POST', '/files', { ...body, ...options })) as UserFile;
}

/** Opens an upload session as Teams does when the user accepts a file consent card. */
export async function openUploadSession(h: HasSandbox, name: string): Promise<UploadInfo> {
  const answer = (await sandboxAdmin(h, 'POST', '/files/consent', { name })) as { uploadInfo: UploadInfo };
  return answer.uploadInfo;
}

/** What the bot uploaded (or a user sent), by uniqueId. */
export async function readUploadedFile(h: HasSandbox, uniqueId: string): Promise<SandboxFile> {
  return (await sandboxAdmin(h, 'GET', `/files/${uniqueId}`)) as SandboxFile;
}

/** Makes the next `failUploads` upload PUTs answer 503 (0 clears). */
export async function setFileFaults(
  h: HasSandbox,
  faults: { failUploads: number },
): Promise<{ failUploads: number }> {
  return (await sandboxAdmin(h, 'POST', '/files/faults', faults)) as { failUploads: number };
}
