import type { SandboxContext } from './context.js';
import { maxFileBytes } from './files.js';
import { jsonResponse, type SandboxResponse } from './http.js';

const adminError = (status: number, code: string, message: string) =>
  jsonResponse(status, { error: { code, message } });
const badRequest = (message: string) => adminError(400, 'badRequest', message);

/** OneDrive refuses these characters in names; the sandbox also refuses control characters. */
function validName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name.trim() !== '' &&
    name.length <= 255 &&
    // eslint-disable-next-line no-control-regex
    !/[\\/:*?"<>|\u0000-\u001f]/.test(name)
  );
}
const nameRule =
  'name must be a file name of 1..255 characters without \\ / : * ? " < > | or control characters';

function unknownField(body: Record<string, unknown>, allowed: string[]): string | undefined {
  return Object.keys(body).find((key) => !allowed.includes(key));
}

/** `POST /_sandbox/files` body → name, bytes and link lifetime, or an error text. */
function parseUserFile(body: Record<string, unknown>) {
  const unknown = unknownField(body, ['name', 'content', 'contentBase64', 'expiresInSeconds']);
  if (unknown !== undefined) return `unknown field ${unknown}`;
  const { name, content, contentBase64, expiresInSeconds } = body;
  if (!validName(name)) return nameRule;
  if ((content === undefined) === (contentBase64 === undefined))
    return 'give exactly one of content (UTF-8 text) or contentBase64';
  if (content !== undefined && typeof content !== 'string') return 'content must be a string';
  if (
    contentBase64 !== undefined &&
    (typeof contentBase64 !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(contentBase64))
  )
    return 'contentBase64 must be base64 text';
  const bytes =
    typeof content === 'string'
      ? Buffer.from(content, 'utf8')
      : Buffer.from(contentBase64 as string, 'base64');
  if (bytes.length > maxFileBytes) return `files over ${maxFileBytes} bytes are refused`;
  if (
    expiresInSeconds !== undefined &&
    (typeof expiresInSeconds !== 'number' || !Number.isFinite(expiresInSeconds) || expiresInSeconds < 0)
  )
    return 'expiresInSeconds must be a number >= 0';
  return { name, bytes, expiresInSeconds };
}

/**
 * `/_sandbox/files[/...]` (the admin API has already checked the peer and parsed the body):
 * user files, consent (upload sessions), inspection and upload faults.
 */
export function handleFileAdmin(
  ctx: SandboxContext,
  method: string,
  rest: string,
  body: Record<string, unknown>,
): SandboxResponse {
  const files = ctx.state.files;
  const route = `${method} ${rest}`;
  switch (route) {
    case 'POST ': {
      const parsed = parseUserFile(body);
      if (typeof parsed === 'string') return badRequest(parsed);
      return jsonResponse(
        200,
        files.addUserFile(ctx.origin, parsed.name, parsed.bytes, parsed.expiresInSeconds),
      );
    }
    case 'GET ':
      return jsonResponse(200, { files: files.list() });
    case 'POST consent': {
      const unknown = unknownField(body, ['name']);
      if (unknown !== undefined) return badRequest(`unknown field ${unknown}`);
      if (!validName(body.name)) return badRequest(nameRule);
      return jsonResponse(200, { uploadInfo: files.openUploadSession(ctx.origin, body.name) });
    }
    case 'GET faults':
      return jsonResponse(200, { failUploads: files.failUploads });
    case 'POST faults': {
      const unknown = unknownField(body, ['failUploads']);
      if (unknown !== undefined) return badRequest(`unknown field ${unknown}`);
      const n = body.failUploads;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
        return badRequest('failUploads must be an integer >= 0');
      files.failUploads = n;
      return jsonResponse(200, { failUploads: n });
    }
  }
  if (method === 'GET' && /^[0-9a-f-]{36}$/.test(rest)) {
    const view = files.view(rest);
    return view ? jsonResponse(200, view) : adminError(404, 'fileNotFound', `No sandbox file '${rest}'.`);
  }
  return adminError(404, 'notFound', `No sandbox admin route ${method} files${rest ? `/${rest}` : ''}.`);
}
