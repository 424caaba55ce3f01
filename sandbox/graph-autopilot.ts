import { parseActionBody, type ActionBody, type AutopilotAction } from './autopilot-body.js';
import { autopilotFields, autopilotView, type StoredDevice } from './autopilot-devices.js';
import { compileDeviceFilter } from './autopilot-filter.js';
import type { SandboxContext } from './context.js';
import { RoleTemplate } from './directory.js';
import { AppPermissions, Scopes, callerObjectId, permits } from './graph-auth.js';
import { selectedFields, type GraphCall, type GraphRoute } from './graph-call.js';
import type { SandboxResponse } from './http.js';
import { IntuneMessages, fefError } from './intune-errors.js';
import { pageWindow, pagedResponse } from './paging.js';

const base = '/deviceManagement/windowsAutopilotDeviceIdentities';

/**
 * Entra roles with full Intune rights (next-wave §3.4). Intune's own RBAC roles (Policy and Profile
 * Manager and the like) are not modelled: a delegated caller needs one of these.
 */
const intuneRoles = [RoleTemplate.intuneAdministrator, RoleTemplate.globalAdministrator];

/** Query options the sandbox does not implement for Autopilot: refused rather than silently ignored. */
const unsupportedOptions = ['$orderby', '$search', '$expand', '$skip', '$count'];

type Mode = 'read' | 'write';

/**
 * What Intune checks before touching a device (next-wave §3.7 items 1, 2, 6): the scope or application
 * permission, then (delegated only) the caller's Intune role, then the per-app and per-tenant request
 * windows. Undefined when the call may proceed.
 */
function gate(ctx: SandboxContext, call: GraphCall, mode: Mode): SandboxResponse | undefined {
  const { caller } = call;
  const [delegated, application] =
    mode === 'read'
      ? [Scopes.readAutopilot, AppPermissions.readAutopilot]
      : [Scopes.writeAutopilot, AppPermissions.writeAutopilot];
  if (!permits(caller, delegated, application)) {
    const text =
      caller.kind === 'app' && caller.roles.size === 0
        ? IntuneMessages.appOnlyWithoutPermissions
        : IntuneMessages.missingScope(delegated);
    return fefError(call, 403, 'Forbidden', text);
  }
  // App-only calls are authorized by the application permission alone (§3.4).
  if (caller.kind === 'delegated' && !ctx.directory.hasAnyRole(caller.user, intuneRoles))
    return fefError(call, 403, 'Forbidden', IntuneMessages.userNotAuthorized);
  const appId = caller.kind === 'delegated' ? caller.appId : caller.app.appId.toLowerCase();
  const admitted = ctx.state.intuneThrottle.admit(appId, mode === 'write', ctx.clock.now().getTime());
  if (!admitted.ok) {
    const seconds = admitted.retryAfterSeconds;
    return fefError(
      call,
      429,
      'TooManyRequests',
      `Too many requests from this application. Retry after ${String(seconds)} seconds.`,
      seconds,
    );
  }
  return undefined;
}

function findDevice(ctx: SandboxContext, call: GraphCall, id: string): StoredDevice | SandboxResponse {
  const key = id.toLowerCase();
  return (
    ctx.state.devices.find((d) => d.id.toLowerCase() === key) ??
    fefError(call, 404, 'ResourceNotFound', `No windowsAutopilotDeviceIdentity with id '${id}' exists.`)
  );
}

function listDevices(ctx: SandboxContext, call: GraphCall): SandboxResponse {
  const refused = gate(ctx, call, 'read');
  if (refused) return refused;
  const unsupported = unsupportedOptions.find((o) => call.query.has(o));
  if (unsupported)
    return fefError(call, 400, 'BadRequest', `The query option '${unsupported}' is not supported here.`);
  const fields = selectedFields(call, autopilotFields, autopilotFields, 'windowsAutopilotDeviceIdentity');
  if ('status' in fields) return fields;
  let devices = ctx.state.devices;
  const filter = call.query.get('$filter');
  if (filter !== null) {
    const predicate = compileDeviceFilter(filter);
    if (typeof predicate === 'string')
      return fefError(call, 400, 'BadRequest', `Invalid filter clause: ${predicate}`);
    devices = devices.filter(predicate);
  }
  const page = pageWindow(call);
  if ('status' in page) return page;
  return pagedResponse(ctx, call, base, devices, page, (d) => autopilotView(d, fields), {
    '@odata.context': `${ctx.graphBaseUrl}/$metadata#deviceManagement/windowsAutopilotDeviceIdentities`,
  });
}

function getDevice(ctx: SandboxContext, call: GraphCall, id: string): SandboxResponse {
  const refused = gate(ctx, call, 'read');
  if (refused) return refused;
  const fields = selectedFields(call, autopilotFields, autopilotFields, 'windowsAutopilotDeviceIdentity');
  if ('status' in fields) return fields;
  const device = findDevice(ctx, call, id);
  if ('status' in device) return device;
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    body: {
      '@odata.context': `${ctx.graphBaseUrl}/$metadata#deviceManagement/windowsAutopilotDeviceIdentities/$entity`,
      ...autopilotView(device, fields),
    },
  };
}

/** Intune resolves the user it is given; an unknown name is refused [sandbox choice, see README]. */
function unknownUser(ctx: SandboxContext, upn: string | undefined): boolean {
  return upn !== undefined && upn !== '' && !ctx.directory.findUser(upn);
}

/** The change each action makes (§3.7 item 3); a string is the reason for a 400. */
function changeFor(ctx: SandboxContext, action: AutopilotAction, body: ActionBody): ActionBody | string {
  if (unknownUser(ctx, body.userPrincipalName))
    return `User '${body.userPrincipalName ?? ''}' was not found in the tenant.`;
  switch (action) {
    case 'updateDeviceProperties':
      return body;
    case 'assignUserToDevice':
      if (!body.userPrincipalName) return 'userPrincipalName is required.';
      return {
        userPrincipalName: body.userPrincipalName,
        addressableUserName: body.addressableUserName ?? '',
      };
    case 'unassignUserFromDevice':
      return { userPrincipalName: '', addressableUserName: '' };
  }
}

/** Runs one action: gate, device (404), body (400), then the change with the caller as `updatedBy`. */
function runAction(
  ctx: SandboxContext,
  call: GraphCall,
  id: string,
  action: AutopilotAction,
): SandboxResponse {
  const refused = gate(ctx, call, 'write');
  if (refused) return refused;
  const device = findDevice(ctx, call, id);
  if ('status' in device) return device;
  const body = parseActionBody(action, call.body);
  if (typeof body === 'string') return fefError(call, 400, 'BadRequest', body);
  const change = changeFor(ctx, action, body);
  if (typeof change === 'string') return fefError(call, 400, 'BadRequest', change);
  // A user given by another spelling of the UPN is stored as the directory spells it.
  const user = change.userPrincipalName ? ctx.directory.findUser(change.userPrincipalName) : undefined;
  Object.assign(device, change, user ? { userPrincipalName: user.userPrincipalName } : {});
  device.updatedBy = callerObjectId(call.caller);
  return { status: 204, headers: {} };
}

const action = (name: AutopilotAction): GraphRoute => ({
  method: 'POST',
  template: `${base}/:id/${name}`,
  handler: (ctx, call, [id = '']) => runAction(ctx, call, id, name),
});

/** Windows Autopilot device identity routes (contract next-wave §3). */
export const autopilotRoutes: GraphRoute[] = [
  { method: 'GET', template: base, handler: (ctx, call) => listDevices(ctx, call) },
  { method: 'GET', template: `${base}/:id`, handler: (ctx, call, [id = '']) => getDevice(ctx, call, id) },
  action('updateDeviceProperties'),
  action('assignUserToDevice'),
  action('unassignUserFromDevice'),
];
