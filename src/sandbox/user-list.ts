import type { SandboxContext } from './context.js';
import type { FixtureUser } from './fixture.js';
import { Scopes, hasAnyScope } from './graph-auth.js';
import { callError, type GraphCall } from './graph-call.js';
import { jsonResponse, type SandboxResponse } from './http.js';
import { compileUserFilter, compileUserSearch } from './user-filter.js';
import {
  defaultUserFields,
  parseSelect,
  selectableUserFields,
  unknownPropertyMessage,
  userView,
} from './user-view.js';

const defaultPageSize = 100;
const maxPageSize = 999;

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

function orderUsers(users: FixtureUser[], orderBy: string | null): FixtureUser[] | string {
  if (orderBy === null) return users;
  const match = /^\s*(displayName|userPrincipalName|mail)(?:\s+(asc|desc))?\s*$/i.exec(orderBy);
  if (!match)
    return `Unsupported $orderby '${orderBy}' (the sandbox orders by displayName, userPrincipalName or mail)`;
  const field =
    (match[1] ?? '').toLowerCase() === 'mail'
      ? 'mail'
      : (match[1] ?? '').toLowerCase() === 'displayname'
        ? 'displayName'
        : 'userPrincipalName';
  const sign = (match[2] ?? 'asc').toLowerCase() === 'desc' ? -1 : 1;
  return [...users].sort((a, b) => sign * String(a[field] ?? '').localeCompare(String(b[field] ?? '')));
}

/** `GET /users` with `$filter`, `$search` (needs ConsistencyLevel: eventual), `$count`, `$select`, `$orderby`, `$top` and paging. */
export function listUsers(ctx: SandboxContext, call: GraphCall): SandboxResponse {
  if (!hasAnyScope(call.caller, Scopes.readUsers)) {
    return callError(
      call,
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
  }
  const q = call.query;
  const select = parseSelect(q.get('$select'), selectableUserFields, defaultUserFields);
  if (!select.ok)
    return callError(call, 400, 'BadRequest', unknownPropertyMessage(select.unknown, 'microsoft.graph.user'));

  let users = ctx.directory.users;
  const filter = q.get('$filter');
  if (filter !== null) {
    const predicate = compileUserFilter(filter);
    if (typeof predicate === 'string')
      return callError(call, 400, 'BadRequest', `Invalid filter clause: ${predicate}`);
    users = users.filter(predicate);
  }
  const search = q.get('$search');
  if (search !== null) {
    if ((call.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual') {
      return callError(
        call,
        400,
        'Request_UnsupportedQuery',
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    }
    const predicate = compileUserSearch(search);
    if (typeof predicate === 'string') return callError(call, 400, 'BadRequest', predicate);
    users = users.filter(predicate);
  }
  const ordered = orderUsers(users, q.get('$orderby'));
  if (typeof ordered === 'string') return callError(call, 400, 'BadRequest', ordered);

  const topText = q.get('$top');
  const top = topText === null ? defaultPageSize : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > maxPageSize) {
    return callError(
      call,
      400,
      'BadRequest',
      `Invalid page size specified: '${topText}'. Must be between 1 and ${maxPageSize} inclusive.`,
    );
  }
  const offset = decodeSkipToken(q.get('$skiptoken'));
  if (offset === undefined) return callError(call, 400, 'BadRequest', 'Invalid $skiptoken.');

  const page = ordered.slice(offset, offset + top);
  const body: Record<string, unknown> = {};
  if ((q.get('$count') ?? '').toLowerCase() === 'true') body['@odata.count'] = ordered.length;
  body.value = page.map((u) => userView(u, select.fields));
  if (offset + top < ordered.length) {
    const next = new URLSearchParams(q);
    next.set('$skiptoken', Buffer.from(JSON.stringify({ offset: offset + top })).toString('base64url'));
    body['@odata.nextLink'] = `${ctx.graphBaseUrl}/users?${next.toString()}`;
  }
  return jsonResponse(200, body);
}
