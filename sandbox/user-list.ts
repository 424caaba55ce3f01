import type { SandboxContext } from './context.js';
import type { FixtureUser } from './fixture.js';
import { AppPermissions, Scopes, permits } from './graph-auth.js';
import { callError, selectedFields, type GraphCall } from './graph-call.js';
import type { SandboxResponse } from './http.js';
import { pageWindow, pagedResponse } from './paging.js';
import { compileUserFilter, compileUserSearch } from './user-filter.js';
import { defaultUserFields, selectableUserFields, userView } from './user-view.js';

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
  if (!permits(call.caller, Scopes.readUsers, AppPermissions.readUsers)) {
    return callError(
      call,
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
  }
  const q = call.query;
  const fields = selectedFields(call, selectableUserFields, defaultUserFields, 'user');
  if ('status' in fields) return fields;

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

  const page = pageWindow(call);
  if ('status' in page) return page;
  const extra: Record<string, unknown> = {};
  if ((q.get('$count') ?? '').toLowerCase() === 'true') extra['@odata.count'] = ordered.length;
  return pagedResponse(ctx, call, '/users', ordered, page, (u) => userView(u, fields), extra);
}
