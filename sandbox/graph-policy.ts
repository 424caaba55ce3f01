import type { SandboxContext } from './context.js';
import { RoleTemplate } from './directory.js';
import { AppPermissions, Scopes, permits } from './graph-auth.js';
import { callError, type GraphRoute } from './graph-call.js';
import { TapMessages } from './graph-errors.js';
import { jsonResponse } from './http.js';

/** Roles allowed to read authentication method policies (the sandbox's chosen list, see README). */
const policyReaderRoles = [
  RoleTemplate.globalReader,
  RoleTemplate.globalAdministrator,
  RoleTemplate.authenticationPolicyAdministrator,
  RoleTemplate.securityReader,
  RoleTemplate.securityAdministrator,
];

/** The TAP policy as Graph's `temporaryAccessPassAuthenticationMethodConfiguration`. */
export function tapPolicyView(ctx: SandboxContext): Record<string, unknown> {
  const p = ctx.state.policy;
  return {
    '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration',
    id: 'TemporaryAccessPass',
    state: p.state,
    defaultLifetimeInMinutes: p.defaultLifetimeInMinutes,
    defaultLength: p.defaultLength,
    minimumLifetimeInMinutes: p.minimumLifetimeInMinutes,
    maximumLifetimeInMinutes: p.maximumLifetimeInMinutes,
    isUsableOnce: p.isUsableOnce,
    includeTargets: p.includeTargets.map((t) => ({
      id: t.id,
      targetType: t.targetType,
      isRegistrationRequired: t.isRegistrationRequired ?? false,
    })),
    excludeTargets: p.excludeTargets.map((t) => ({ id: t.id, targetType: t.targetType })),
  };
}

/** The authentication-methods-policy configuration route (only TemporaryAccessPass is modelled). */
export const policyRoutes: GraphRoute[] = [
  {
    method: 'GET',
    template: '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/:configId',
    handler: (ctx, call, [configId = '']) => {
      const { caller } = call;
      if (!permits(caller, Scopes.readPolicy, AppPermissions.readPolicy))
        return callError(call, 403, 'accessDenied', TapMessages.accessDenied);
      // Delegated: the user's role decides too. App-only: the application permission alone.
      if (caller.kind === 'delegated' && !ctx.directory.hasAnyRole(caller.user, policyReaderRoles)) {
        return callError(call, 403, 'accessDenied', TapMessages.accessDenied);
      }
      if (configId.toLowerCase() !== 'temporaryaccesspass') {
        return callError(
          call,
          404,
          'itemNotFound',
          `The sandbox only models the TemporaryAccessPass configuration, not '${configId}'.`,
        );
      }
      return jsonResponse(200, tapPolicyView(ctx));
    },
  },
];
