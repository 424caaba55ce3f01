import type { SandboxContext } from './context.js';
import { callError, type GraphCall } from './graph-call.js';
import { graphError } from './graph-errors.js';
import { jsonResponse, parseJsonBody, type SandboxResponse } from './http.js';

const maxBatchRequests = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

type Runner = (ctx: SandboxContext, call: GraphCall) => Promise<SandboxResponse>;

/** Validates the `$batch` envelope; returns the items or a message for a 400 on the whole batch. */
function parseBatch(raw: string | undefined): BatchItem[] | string {
  const parsed = parseJsonBody(raw);
  const requests = parsed.ok ? (parsed.value as { requests?: unknown } | null)?.requests : undefined;
  if (!Array.isArray(requests) || requests.length === 0) return 'Invalid batch payload format.';
  if (requests.length > maxBatchRequests)
    return `Number of batch request steps exceeds the maximum of ${maxBatchRequests}.`;
  const items: BatchItem[] = [];
  for (const entry of requests as Array<Record<string, unknown>>) {
    const { id, method, url, headers, body, dependsOn } = entry ?? {};
    if (typeof id !== 'string' || id === '' || typeof method !== 'string' || typeof url !== 'string') {
      return 'Invalid batch payload format: every request needs string id, method and url.';
    }
    if (items.some((i) => i.id === id))
      return `Batch request contains duplicate request id '${id}'. Request ids must be unique.`;
    if (
      dependsOn !== undefined &&
      (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string'))
    ) {
      return `Invalid dependsOn for request '${id}'.`;
    }
    const headerMap: Record<string, string> = {};
    if (headers !== undefined && (typeof headers !== 'object' || headers === null))
      return `Invalid headers for request '${id}'.`;
    for (const [name, value] of Object.entries((headers ?? {}) as Record<string, unknown>))
      headerMap[name.toLowerCase()] = String(value);
    items.push({
      id,
      method: method.toUpperCase(),
      url,
      headers: headerMap,
      body,
      dependsOn: (dependsOn as string[]) ?? [],
    });
  }
  const ids = new Set(items.map((i) => i.id));
  const dangling = items.find((i) => i.dependsOn.some((d) => !ids.has(d)));
  if (dangling) return `Request '${dangling.id}' depends on an id that is not in the batch.`;
  return items;
}

/** Item URLs are relative, with or without `/v1.0`; split into Graph path and query. */
function itemLocation(url: string): { path: string; query: URLSearchParams } | undefined {
  if (/^[a-z]+:\/\//i.test(url)) return undefined;
  const parsed = new URL(url.startsWith('/') ? url : `/${url}`, 'https://batch.invalid');
  return { path: parsed.pathname.replace(/^\/v1\.0(?=\/|$)/i, '') || '/', query: parsed.searchParams };
}

function toBatchResponse(id: string, response: SandboxResponse) {
  const headers = { ...response.headers };
  delete headers['request-id'];
  return {
    id,
    status: response.status,
    headers,
    ...(response.body === undefined ? {} : { body: response.body }),
  };
}

/** `POST /$batch`: each item runs through the same handlers with the caller's token; dependsOn failures give 424. */
export async function handleBatch(
  ctx: SandboxContext,
  outer: GraphCall,
  run: Runner,
): Promise<SandboxResponse> {
  const items = parseBatch(outer.body);
  if (typeof items === 'string') return callError(outer, 400, 'BadRequest', items);
  const results = new Map<string, SandboxResponse>();
  const inProgress = new Set<string>();

  const execute = async (item: BatchItem): Promise<SandboxResponse> => {
    const done = results.get(item.id);
    if (done) return done;
    const fail = (status: number, code: string, message: string) =>
      graphError(status, code, message, item.headers['client-request-id']);
    let response: SandboxResponse;
    if (inProgress.has(item.id)) return fail(424, 'FailedDependency', 'Circular dependsOn.');
    inProgress.add(item.id);
    const dependencies = await Promise.all(
      item.dependsOn.map((d) => execute(items.find((i) => i.id === d) as BatchItem)),
    );
    const location = itemLocation(item.url);
    if (dependencies.some((r) => r.status < 200 || r.status > 299)) {
      response = fail(424, 'FailedDependency', 'The request depends on a request that failed.');
    } else if (!location || /^\/\$batch$/i.test(location.path)) {
      response = fail(400, 'BadRequest', `Invalid request url '${item.url}' in batch request '${item.id}'.`);
    } else if (item.body !== undefined && !item.headers['content-type']) {
      response = fail(
        400,
        'BadRequest',
        `Write request id : ${item.id} does not contain Content-Type header or body.`,
      );
    } else {
      const body =
        item.body === undefined
          ? undefined
          : typeof item.body === 'string'
            ? item.body
            : JSON.stringify(item.body);
      response = await run(ctx, {
        method: item.method,
        path: location.path,
        query: location.query,
        headers: item.headers,
        body,
        caller: outer.caller,
        clientRequestId: item.headers['client-request-id'],
      });
    }
    results.set(item.id, response);
    return response;
  };

  for (const item of items) await execute(item);
  return jsonResponse(200, {
    responses: items.map((item) => toBatchResponse(item.id, results.get(item.id) as SandboxResponse)),
  });
}
