import type { SandboxContext } from './context.js';
import type { FixtureUser } from './fixture.js';
import { AppPermissions, Scopes, permits } from './graph-auth.js';
import { callError, selectedFields, type GraphCall, type GraphRoute } from './graph-call.js';
import { notFoundMessage } from './graph-errors.js';
import { jsonResponse, type SandboxResponse } from './http.js';
import { defaultUserFields, selectableUserFields, userView } from './user-view.js';
import { listUsers } from './user-list.js';
import { pageWindow, pagedResponse } from './paging.js';

const insufficient = (call: GraphCall) =>
  callError(call, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

/**
 * Resolves `me` or an id/UPN segment to a user, enforcing the permission that reading that user needs:
 * delegated scopes (self-only scopes for oneself), or application permissions for app-only callers.
 */
function resolveReadableUser(
  ctx: SandboxContext,
  call: GraphCall,
  ref: string | 'me',
  othersScopes: readonly string[],
  othersAppPermissions: readonly string[],
): FixtureUser | SandboxResponse {
  const { caller } = call;
  if (caller.kind === 'app') {
    // `/me` never gets here for apps (graph-service answers 400 first).
    if (ref === 'me' || !permits(caller, othersScopes, othersAppPermissions)) return insufficient(call);
  } else {
    const self =
      ref === 'me' ||
      ref.toLowerCase() === caller.user.id ||
      ref.toLowerCase() === caller.user.userPrincipalName.toLowerCase();
    if (!permits(caller, self ? Scopes.readSelf : othersScopes, [])) return insufficient(call);
    if (ref === 'me') return caller.user;
  }
  return (
    ctx.directory.findUser(ref) ?? callError(call, 404, 'Request_ResourceNotFound', notFoundMessage(ref))
  );
}

function selectedUser(
  call: GraphCall,
  user: FixtureUser,
  extra: Record<string, unknown> = {},
): SandboxResponse {
  const fields = selectedFields(call, selectableUserFields, defaultUserFields, 'user');
  if ('status' in fields) return fields;
  return jsonResponse(200, { ...extra, ...userView(user, fields) });
}

function getUser(ctx: SandboxContext, call: GraphCall, ref: string): SandboxResponse {
  const user = resolveReadableUser(ctx, call, ref, Scopes.readUsers, AppPermissions.readUsers);
  return 'status' in user ? user : selectedUser(call, user);
}

function getManager(ctx: SandboxContext, call: GraphCall, ref: string): SandboxResponse {
  const user = resolveReadableUser(ctx, call, ref, Scopes.readUsersFull, AppPermissions.readUsersFull);
  if ('status' in user) return user;
  const manager = user.manager ? ctx.directory.findUser(user.manager) : undefined;
  if (!manager) return callError(call, 404, 'Request_ResourceNotFound', notFoundMessage('manager'));
  return selectedUser(call, manager, { '@odata.type': '#microsoft.graph.user' });
}

function getDirectoryRoles(ctx: SandboxContext, call: GraphCall, ref: string): SandboxResponse {
  const user = resolveReadableUser(ctx, call, ref, Scopes.readUsersFull, AppPermissions.readUsersFull);
  if ('status' in user) return user;
  const known = ['id', 'displayName', 'roleTemplateId', 'description', 'deletedDateTime'];
  const fields = selectedFields(call, known, ['id', 'displayName', 'roleTemplateId'], 'directoryRole');
  if ('status' in fields) return fields;
  const value = ctx.directory.rolesOf(user).map((role) =>
    picked('directoryRole', fields, {
      id: ctx.directory.directoryRoleId(role.roleTemplateId),
      displayName: role.displayName,
      roleTemplateId: role.roleTemplateId,
      description: null,
      deletedDateTime: null,
    }),
  );
  return jsonResponse(200, { value });
}

/** A directory object of `microsoft.graph.<type>` restricted to the selected properties, in their order. */
function picked(
  type: string,
  fields: readonly string[],
  full: Record<string, unknown>,
): Record<string, unknown> {
  const view: Record<string, unknown> = { '@odata.type': `#microsoft.graph.${type}` };
  for (const field of fields) view[field] = full[field];
  return view;
}

const groupFields = ['id', 'displayName', 'securityEnabled', 'mailEnabled', 'isAssignableToRole'];

/** `transitiveMemberOf/microsoft.graph.group`: the user's groups with `$select`, `$top` and paging. */
function getMemberGroups(ctx: SandboxContext, call: GraphCall, ref: string): SandboxResponse {
  const user = resolveReadableUser(ctx, call, ref, Scopes.readUsersFull, AppPermissions.readUsersFull);
  if ('status' in user) return user;
  const fields = selectedFields(call, groupFields, ['id', 'displayName'], 'group');
  if ('status' in fields) return fields;
  const unsupported = ['$filter', '$search', '$orderby', '$count', '$expand'].find((q) => call.query.has(q));
  if (unsupported)
    return callError(
      call,
      400,
      'BadRequest',
      `The sandbox does not support ${unsupported} on group memberships.`,
    );
  const page = pageWindow(call);
  if ('status' in page) return page;
  const groups = ctx.directory.transitiveMemberGroupsOf(user.id);
  return pagedResponse(ctx, call, call.path, groups, page, (group) =>
    picked('group', fields, {
      id: group.id,
      displayName: group.displayName,
      // Fixture groups are plain security groups; Graph gives null isAssignableToRole when it was never set.
      securityEnabled: true,
      mailEnabled: false,
      isAssignableToRole: group.isAssignableToRole ?? null,
    }),
  );
}

/** User, manager, directory-role and group-membership routes. */
export const userRoutes: GraphRoute[] = [
  { method: 'GET', template: '/me', handler: (ctx, call) => getUser(ctx, call, 'me') },
  { method: 'GET', template: '/users', handler: (ctx, call) => listUsers(ctx, call) },
  { method: 'GET', template: '/users/:id', handler: (ctx, call, [id = '']) => getUser(ctx, call, id) },
  { method: 'GET', template: '/me/manager', handler: (ctx, call) => getManager(ctx, call, 'me') },
  {
    method: 'GET',
    template: '/users/:id/manager',
    handler: (ctx, call, [id = '']) => getManager(ctx, call, id),
  },
  {
    method: 'GET',
    template: '/me/transitiveMemberOf/microsoft.graph.directoryRole',
    handler: (ctx, call) => getDirectoryRoles(ctx, call, 'me'),
  },
  {
    method: 'GET',
    template: '/users/:id/transitiveMemberOf/microsoft.graph.directoryRole',
    handler: (ctx, call, [id = '']) => getDirectoryRoles(ctx, call, id),
  },
  {
    method: 'GET',
    template: '/me/transitiveMemberOf/microsoft.graph.group',
    handler: (ctx, call) => getMemberGroups(ctx, call, 'me'),
  },
  {
    method: 'GET',
    template: '/users/:id/transitiveMemberOf/microsoft.graph.group',
    handler: (ctx, call, [id = '']) => getMemberGroups(ctx, call, id),
  },
];
