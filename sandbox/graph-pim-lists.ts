import type { SandboxContext } from './context.js';
import { stableGuid, type RoleAssignment } from './directory.js';
import { AppPermissions, Scopes, permits, type Caller } from './graph-auth.js';
import { callError, selectedFields, type GraphCall, type GraphRoute } from './graph-call.js';
import {
  compileFilter,
  eligibilityReaderRoles,
  eligibilityStart,
  roleDefinitionView,
} from './graph-roles.js';
import type { SandboxResponse } from './http.js';
import { pageWindow, pagedResponse } from './paging.js';

/**
 * The schedule views of PIM (contract next-wave §2.1, §2.2): `roleAssignmentScheduleInstances` (what is
 * active now, assigned or activated) and `roleEligibilitySchedules` (what may be activated), each with
 * `filterByCurrentUser(on='principal')` for a caller who holds no admin role.
 */
type Set = 'roleAssignmentScheduleInstances' | 'roleEligibilitySchedules';

const fields: Record<Set, readonly string[]> = {
  roleAssignmentScheduleInstances: [
    'id',
    'principalId',
    'roleDefinitionId',
    'directoryScopeId',
    'appScopeId',
    'startDateTime',
    'endDateTime',
    'assignmentType',
    'memberType',
    'roleAssignmentOriginId',
    'roleAssignmentScheduleId',
  ],
  roleEligibilitySchedules: [
    'id',
    'principalId',
    'roleDefinitionId',
    'directoryScopeId',
    'appScopeId',
    'scheduleInfo',
    'memberType',
    'status',
    'createdUsing',
    'createdDateTime',
    'modifiedDateTime',
  ],
};

const typeOf: Record<Set, string> = {
  roleAssignmentScheduleInstances: 'unifiedRoleAssignmentScheduleInstance',
  roleEligibilitySchedules: 'unifiedRoleEligibilitySchedule',
};

function full(ctx: SandboxContext, set: Set, r: RoleAssignment): Record<string, unknown> {
  const key = `${r.principalId}:${r.roleTemplateId}:${r.directoryScopeId}`;
  const base = {
    principalId: r.principalId,
    roleDefinitionId: r.roleTemplateId,
    directoryScopeId: r.directoryScopeId,
    appScopeId: null,
    memberType: 'Direct',
  };
  if (set === 'roleEligibilitySchedules') {
    const id = stableGuid(`${ctx.tenantId}:eligibility:${key}`);
    return {
      id,
      ...base,
      scheduleInfo: {
        startDateTime: eligibilityStart,
        recurrence: null,
        expiration: { type: 'noExpiration', endDateTime: null, duration: null },
      },
      status: 'Provisioned',
      createdUsing: id,
      createdDateTime: eligibilityStart,
      modifiedDateTime: eligibilityStart,
    };
  }
  const activation = ctx.state.pim.activeFor(
    r.principalId,
    r.roleTemplateId,
    r.directoryScopeId,
    ctx.clock.now(),
  );
  const id = activation ? activation.requestId : stableGuid(`${ctx.tenantId}:assignment:${key}`);
  return {
    id,
    ...base,
    startDateTime: activation ? activation.startDateTime.toISOString() : eligibilityStart,
    endDateTime: activation ? activation.endDateTime.toISOString() : null,
    assignmentType: activation ? 'Activated' : 'Assigned',
    roleAssignmentOriginId: id,
    roleAssignmentScheduleId: id,
  };
}

function mayList(ctx: SandboxContext, caller: Caller, set: Set, self: boolean): boolean {
  const [scopes, app] =
    set === 'roleAssignmentScheduleInstances'
      ? [Scopes.readRoleAssignmentSchedules, AppPermissions.readRoleAssignmentSchedules]
      : [Scopes.readRoleEligibilities, AppPermissions.readRoleEligibilities];
  if (!permits(caller, scopes, app)) return false;
  if (caller.kind === 'app' || self) return true;
  return ctx.directory.hasAnyRole(caller.user, eligibilityReaderRoles);
}

function list(ctx: SandboxContext, call: GraphCall, set: Set, self: boolean): SandboxResponse {
  const { caller } = call;
  if (self && caller.kind === 'app')
    return callError(
      call,
      400,
      'BadRequest',
      'filterByCurrentUser is only valid with delegated authentication flow.',
    );
  if (!mayList(ctx, caller, set, self))
    return callError(
      call,
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
  const selected = selectedFields(call, fields[set], fields[set], typeOf[set]);
  if ('status' in selected) return selected;
  const expand = (call.query.get('$expand') ?? '').trim();
  if (expand !== '' && expand.toLowerCase() !== 'roledefinition')
    return callError(call, 400, 'BadRequest', `The sandbox only supports $expand=roleDefinition on ${set}.`);
  const predicate = compileFilter(call.query.get('$filter'));
  if (typeof predicate === 'string') return callError(call, 400, 'BadRequest', predicate);
  const page = pageWindow(call);
  if ('status' in page) return page;
  const all =
    set === 'roleAssignmentScheduleInstances'
      ? ctx.directory.roleAssignments()
      : ctx.directory.roleEligibilities();
  const mine =
    self && caller.kind === 'delegated' ? all.filter((r) => r.principalId === caller.user.id) : all;
  const view = (r: RoleAssignment) => {
    const record = full(ctx, set, r);
    const out: Record<string, unknown> = {};
    for (const field of selected) out[field] = record[field];
    if (expand !== '') out.roleDefinition = roleDefinitionView(ctx, r);
    return out;
  };
  return pagedResponse(ctx, call, call.path, mine.filter(predicate), page, view, {
    '@odata.context': `${ctx.graphBaseUrl}/$metadata#roleManagement/directory/${set}`,
  });
}

function byCurrentUser(ctx: SandboxContext, call: GraphCall, set: Set, fn: string): SandboxResponse {
  const match = /^filterByCurrentUser\(on='([^']*)'\)$/i.exec(fn);
  if (!match) return callError(call, 400, 'BadRequest', `Resource not found for the segment '${fn}'.`);
  if ((match[1] ?? '').toLowerCase() !== 'principal')
    return callError(call, 400, 'BadRequest', `Invalid value '${match[1]}' for parameter 'on'.`);
  return list(ctx, call, set, true);
}

const sets: Set[] = ['roleAssignmentScheduleInstances', 'roleEligibilitySchedules'];

export const pimListRoutes: GraphRoute[] = sets.flatMap((set): GraphRoute[] => [
  {
    method: 'GET',
    template: `/roleManagement/directory/${set}`,
    handler: (ctx, call) => list(ctx, call, set, false),
  },
  {
    method: 'GET',
    template: `/roleManagement/directory/${set}/:fn`,
    handler: (ctx, call, [fn = '']) => byCurrentUser(ctx, call, set, fn),
  },
]);
