import type { SandboxContext } from './context.js';
import { RoleTemplate, stableGuid, type RoleAssignment } from './directory.js';
import { AppPermissions, Scopes, permits, type Caller } from './graph-auth.js';
import { callError, selectedFields, type GraphCall, type GraphRoute } from './graph-call.js';
import type { SandboxResponse } from './http.js';
import { pageWindow, pagedResponse } from './paging.js';

/** Delegated callers of the PIM lists need one of these roles (contract next-wave §2.1). */
export const eligibilityReaderRoles = [
  RoleTemplate.globalReader,
  RoleTemplate.securityOperator,
  RoleTemplate.securityReader,
  RoleTemplate.securityAdministrator,
  RoleTemplate.privilegedRoleAdministrator,
  // Global Administrator holds every directory permission.
  RoleTemplate.globalAdministrator,
];

/** roleAssignments also admits Directory Readers (contract next-wave §2.2). */
const assignmentReaderRoles = [...eligibilityReaderRoles, RoleTemplate.directoryReaders];

/** When the fixture's eligibilities began: fixed, so answers are stable (a sandbox [choice]). */
export const eligibilityStart = '2025-01-01T00:00:00Z';

const insufficient = (call: GraphCall) =>
  callError(call, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

type Kind = 'assignment' | 'eligibility';

const fieldsOf: Record<Kind, readonly string[]> = {
  assignment: ['id', 'principalId', 'roleDefinitionId', 'directoryScopeId', 'appScopeId', 'condition'],
  eligibility: [
    'id',
    'principalId',
    'roleDefinitionId',
    'directoryScopeId',
    'appScopeId',
    'startDateTime',
    'endDateTime',
    'memberType',
    'roleEligibilityScheduleId',
  ],
};

const typeOf: Record<Kind, string> = {
  assignment: 'unifiedRoleAssignment',
  eligibility: 'unifiedRoleEligibilityScheduleInstance',
};

const setOf: Record<Kind, string> = {
  assignment: 'roleAssignments',
  eligibility: 'roleEligibilityScheduleInstances',
};

/** `$filter` over principalId, roleDefinitionId and directoryScopeId with `eq`, joined by `and`. */
export function compileFilter(filter: string | null): ((r: RoleAssignment) => boolean) | string {
  if (filter === null || filter.trim() === '') return () => true;
  const clauses = filter.split(/\s+and\s+/i);
  const tests: Array<(r: RoleAssignment) => boolean> = [];
  for (const clause of clauses) {
    const match = /^\s*(principalId|roleDefinitionId|directoryScopeId)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(
      clause,
    );
    if (!match)
      return `Invalid filter clause: the sandbox supports principalId, roleDefinitionId and directoryScopeId with eq, joined by and ('${clause.trim()}')`;
    const field = (match[1] ?? '').toLowerCase();
    const value = (match[2] ?? '').replace(/''/g, "'").toLowerCase();
    if (field === 'principalid') tests.push((r) => r.principalId.toLowerCase() === value);
    else if (field === 'roledefinitionid') tests.push((r) => r.roleTemplateId.toLowerCase() === value);
    else tests.push((r) => r.directoryScopeId.toLowerCase() === value);
  }
  return (r) => tests.every((t) => t(r));
}

/** The `unifiedRoleDefinition` a `$expand=roleDefinition` embeds; built-in ids are their template ids. */
export function roleDefinitionView(ctx: SandboxContext, r: RoleAssignment): Record<string, unknown> {
  const builtIn = Object.values(ctx.fixture.roleTemplates).some(
    (id) => id.toLowerCase() === r.roleTemplateId.toLowerCase(),
  );
  return {
    id: r.roleTemplateId,
    displayName: ctx.directory.roleName(r.roleTemplateId) ?? r.displayName,
    description: null,
    isBuiltIn: builtIn,
    isEnabled: true,
    templateId: r.roleTemplateId,
  };
}

function view(
  ctx: SandboxContext,
  kind: Kind,
  r: RoleAssignment,
  fields: readonly string[],
  expand: boolean,
): Record<string, unknown> {
  const id = stableGuid(`${ctx.tenantId}:${kind}:${r.principalId}:${r.roleTemplateId}:${r.directoryScopeId}`);
  const full: Record<string, unknown> = {
    id,
    principalId: r.principalId,
    roleDefinitionId: r.roleTemplateId,
    directoryScopeId: r.directoryScopeId,
    appScopeId: null,
    condition: null,
    startDateTime: eligibilityStart,
    endDateTime: null,
    memberType: 'Direct',
    roleEligibilityScheduleId: id,
  };
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field] = full[field];
  if (expand) out.roleDefinition = roleDefinitionView(ctx, r);
  return out;
}

/** Whether this caller may list; `self` is filterByCurrentUser, which needs a scope but no role. */
function mayList(ctx: SandboxContext, caller: Caller, kind: Kind, self: boolean): boolean {
  const scopes = kind === 'assignment' ? Scopes.readRoleAssignments : Scopes.readRoleEligibilities;
  const appPermissions =
    kind === 'assignment' ? AppPermissions.readRoleAssignments : AppPermissions.readRoleEligibilities;
  if (!permits(caller, scopes, appPermissions)) return false;
  if (caller.kind === 'app' || self) return true;
  return ctx.directory.hasAnyRole(
    caller.user,
    kind === 'assignment' ? assignmentReaderRoles : eligibilityReaderRoles,
  );
}

function list(ctx: SandboxContext, call: GraphCall, kind: Kind, self: boolean): SandboxResponse {
  const { caller } = call;
  if (self && caller.kind === 'app') {
    return callError(
      call,
      400,
      'BadRequest',
      'filterByCurrentUser is only valid with delegated authentication flow.',
    );
  }
  if (!mayList(ctx, caller, kind, self)) return insufficient(call);
  const fields = selectedFields(call, fieldsOf[kind], fieldsOf[kind], typeOf[kind]);
  if ('status' in fields) return fields;
  const expandText = call.query.get('$expand');
  const expands = (expandText ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const unknownExpand = expands.find((e) => e.toLowerCase() !== 'roledefinition');
  if (unknownExpand) {
    return callError(
      call,
      400,
      'BadRequest',
      `The sandbox only supports $expand=roleDefinition on ${setOf[kind]}, not '${unknownExpand}'.`,
    );
  }
  const unsupported = ['$search', '$orderby', '$count'].find((q) => call.query.has(q));
  if (unsupported)
    return callError(
      call,
      400,
      'BadRequest',
      `The sandbox does not support ${unsupported} on ${setOf[kind]}.`,
    );
  const predicate = compileFilter(call.query.get('$filter'));
  if (typeof predicate === 'string') return callError(call, 400, 'BadRequest', predicate);
  const page = pageWindow(call);
  if ('status' in page) return page;
  const all = kind === 'assignment' ? ctx.directory.roleAssignments() : ctx.directory.roleEligibilities();
  const mine =
    self && caller.kind === 'delegated' ? all.filter((r) => r.principalId === caller.user.id) : all;
  const items = mine.filter(predicate);
  return pagedResponse(
    ctx,
    call,
    call.path,
    items,
    page,
    (r) => view(ctx, kind, r, fields, expands.length > 0),
    { '@odata.context': `${ctx.graphBaseUrl}/$metadata#roleManagement/directory/${setOf[kind]}` },
  );
}

/** `filterByCurrentUser(on='principal')`: the only `on` value with a meaning today. */
function filterByCurrentUser(ctx: SandboxContext, call: GraphCall, fn: string): SandboxResponse {
  const match = /^filterByCurrentUser\(on='([^']*)'\)$/i.exec(fn);
  if (!match) return callError(call, 400, 'BadRequest', `Resource not found for the segment '${fn}'.`);
  if ((match[1] ?? '').toLowerCase() !== 'principal')
    return callError(call, 400, 'BadRequest', `Invalid value '${match[1]}' for parameter 'on'.`);
  return list(ctx, call, 'eligibility', true);
}

/** Read-only PIM and role-assignment routes of `roleManagement/directory` (contract next-wave §2.1, §2.2). */
export const roleManagementRoutes: GraphRoute[] = [
  {
    method: 'GET',
    template: '/roleManagement/directory/roleAssignments',
    handler: (ctx, call) => list(ctx, call, 'assignment', false),
  },
  {
    method: 'GET',
    template: '/roleManagement/directory/roleEligibilityScheduleInstances',
    handler: (ctx, call) => list(ctx, call, 'eligibility', false),
  },
  {
    method: 'GET',
    template: '/roleManagement/directory/roleEligibilityScheduleInstances/:fn',
    handler: (ctx, call, [fn = '']) => filterByCurrentUser(ctx, call, fn),
  },
];
