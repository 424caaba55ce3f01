import type { SandboxContext } from './context.js';
import { callError, type GraphCall } from './graph-call.js';
import { jsonResponse, type SandboxResponse } from './http.js';

/** Graph's default and maximum `$top` for directory object collections. */
export const defaultPageSize = 100;
export const maxPageSize = 999;

function decodeSkipToken(token: string | null): number | undefined {
  if (token === null) return 0;
  try {
    const offset = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown })
      .offset;
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

/** The page a call asks for: `$top` (1..999, default 100) and the offset in its opaque `$skiptoken`. */
export function pageWindow(call: GraphCall): { top: number; offset: number } | SandboxResponse {
  const topText = call.query.get('$top');
  const top = topText === null ? defaultPageSize : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > maxPageSize) {
    return callError(
      call,
      400,
      'BadRequest',
      `Invalid page size specified: '${topText}'. Must be between 1 and ${maxPageSize} inclusive.`,
    );
  }
  const offset = decodeSkipToken(call.query.get('$skiptoken'));
  if (offset === undefined) return callError(call, 400, 'BadRequest', 'Invalid $skiptoken.');
  return { top, offset };
}

/**
 * One page of `items` as a 200 `{ value }` body, plus an absolute `@odata.nextLink` to `path` (below
 * `/v1.0`) with the call's query and a new `$skiptoken` when more remain. `extra` goes before `value`.
 */
export function pagedResponse<T>(
  ctx: SandboxContext,
  call: GraphCall,
  path: string,
  items: readonly T[],
  page: { top: number; offset: number },
  view: (item: T) => Record<string, unknown>,
  extra: Record<string, unknown> = {},
): SandboxResponse {
  const { top, offset } = page;
  const body: Record<string, unknown> = { ...extra, value: items.slice(offset, offset + top).map(view) };
  if (offset + top < items.length) {
    const next = new URLSearchParams(call.query);
    next.set('$skiptoken', Buffer.from(JSON.stringify({ offset: offset + top })).toString('base64url'));
    // Graph writes `$top`, not `%24top`; both parse the same, as `$` needs no escaping in a query.
    body['@odata.nextLink'] = `${ctx.graphBaseUrl}${path}?${next.toString().replace(/%24/g, '$')}`;
  }
  return jsonResponse(200, body);
}
