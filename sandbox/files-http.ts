import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from './context.js';
import { fileError, maxFileBytes, type FileResponse } from './files-upload.js';

/** True for `/_files/...`: the pretend OneDrive URLs (no bearer token; the URL carries the credential). */
export function isFileRequest(url: string | undefined): boolean {
  return /^\/_files\//.test(url ?? '');
}

/** Reads the raw body; anything over the file limit is drained and reported as 'tooLarge'. */
async function readBytes(req: IncomingMessage): Promise<Buffer | 'tooLarge'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxFileBytes) chunks.push(chunk);
  }
  return size > maxFileBytes ? 'tooLarge' : Buffer.concat(chunks);
}

function route(ctx: SandboxContext, req: IncomingMessage, body: Buffer | 'tooLarge'): FileResponse {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const [kind, id] = url.pathname.split('/').slice(2);
  const files = ctx.state.files;
  const notAllowed = () => fileError(405, 'methodNotAllowed', `${method} is not allowed on ${url.pathname}.`);
  if (!id) return fileError(404, 'itemNotFound', `No file endpoint at ${url.pathname}.`);
  switch (kind) {
    case 'download':
      if (method !== 'GET') return notAllowed();
      return files.download(id, url.searchParams.get('token'), req.headers.authorization !== undefined);
    case 'upload': {
      const headers: Record<string, string | undefined> = {
        authorization: req.headers.authorization,
        'content-length': req.headers['content-length'],
        'content-range': req.headers['content-range'],
      };
      if (method === 'PUT') return files.uploadChunk(ctx.origin, id, headers, body);
      if (method === 'GET') return files.uploadStatus(id);
      if (method === 'DELETE') return files.cancelUpload(id);
      return notAllowed();
    }
    case 'content':
      // Real contentUrls are SharePoint pages that need a signed-in user; bots use downloadUrl instead.
      return fileError(
        401,
        'unauthenticated',
        'contentUrl needs a SharePoint session; download via downloadUrl.',
      );
    default:
      return fileError(404, 'itemNotFound', `No file endpoint at ${url.pathname}.`);
  }
}

/** Serves `/_files/download/{uniqueId}`, `/_files/upload/{sessionId}` and `/_files/content/...`. */
export async function handleFileRequest(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBytes(req);
  const response = route(ctx, req, body);
  const payload =
    response.bytes ?? (response.json === undefined ? undefined : Buffer.from(JSON.stringify(response.json)));
  const headers: Record<string, string | number> = { ...response.headers };
  if (response.json !== undefined) headers['Content-Type'] = 'application/json';
  res.writeHead(response.status, { ...headers, 'Content-Length': payload?.length ?? 0 });
  res.end(payload);
}
