import type { SandboxHandle } from './index.js';

/**
 * The environment that points TapDesk at a running sandbox tenant. It goes through the same
 * loadConfig as production, so sandbox runs exercise the real config checks.
 */
export function sandboxBotEnv(sandbox: SandboxHandle, caFile: string): Record<string, string> {
  return {
    TAPDESK_MODE: 'sandbox',
    SANDBOX_URL: sandbox.sandboxUrl,
    TAPDESK_CA_FILE: caFile,
    AAD_APP_CLIENT_ID: sandbox.app.appId,
    AAD_APP_CLIENT_SECRET: sandbox.app.clientSecret,
    AAD_APP_TENANT_ID: sandbox.tenantId,
    AAD_APP_OAUTH_AUTHORITY_HOST: sandbox.authorityHost,
    GRAPH_BASE_URL: sandbox.graphBaseUrl,
    SSO_RESOURCE: sandbox.app.ssoResource,
    // The application permissions the fixture consents for TapDesk's own identity (app-only reads).
    APP_PERMISSIONS: sandbox.app.consentedApplicationPermissions.join(','),
    // Approvals as the fixture sets them up: Harry and colleagues in "Service Desk" may request,
    // approvers decide in the IT team's "TAP approvals" channel.
    REQUESTER_GROUP_ID: sandbox.tenant.groups.find((g) => g.displayName === 'Service Desk')?.id ?? '',
    APPROVERS_CONVERSATION: approversChannelOf(sandbox.tenant.teams),
    // The tenant's Autopilot group tags, as its Intune admins would list them for onboarding.
    AUTOPILOT_GROUP_TAGS: (sandbox.tenant.autopilot?.groupTags ?? []).join(','),
    // SMS through the sandbox's Communication Services stand-in, from the number the fixture owns,
    // and the catalog id TapDesk installs itself with to reach a manager it has no chat with.
    ...(sandbox.tenant.communication?.smsFrom
      ? { ACS_ENDPOINT: sandbox.origin, ACS_SMS_FROM: sandbox.tenant.communication.smsFrom }
      : {}),
    TEAMS_APP_CATALOG_ID: sandbox.tenant.teamsAppCatalog?.[0]?.id ?? '',
  };
}

/** The fixture's approvals channel id (its first channel), or '' when the fixture has none. */
function approversChannelOf(teams: unknown): string {
  const channels = (teams as { channels?: { id?: unknown }[] } | undefined)?.channels;
  const id = channels?.[0]?.id;
  return typeof id === 'string' ? id : '';
}

/**
 * REQUEST_API_CLIENTS for `npm run sandbox`: the fixture's client apps that hold TapDesk's
 * TapDesk.Request app role (ServiceNow), so the request API can be tried against the local tenant.
 */
export function sandboxRequestApiClients(tenant: SandboxHandle['tenant']): string {
  return tenant.apps
    .slice(1)
    .filter((a) => (a.assignedAppRoles ?? []).includes('TapDesk.Request'))
    .map((a) => `${a.appId}=${a.displayName.replace(/[^\p{L}\p{N} ()._-]/gu, '').slice(0, 60)}`)
    .join(',');
}

/**
 * Face Check against the sandbox's Verified ID Request Service: the fixture's verifier DID, the
 * sandbox as the service, and the bot's own callback on loopback (so the bot's port must be known).
 */
export function sandboxFaceCheckEnv(sandbox: SandboxHandle, botPort: number): Record<string, string> {
  const authority = sandbox.tenant.verifiedId?.authority;
  if (!authority) return {};
  return {
    VERIFIED_ID_AUTHORITY: authority,
    VERIFIED_ID_API_URL: `${sandbox.origin}/v1.0`,
    VERIFIED_ID_CALLBACK_URL: `http://127.0.0.1:${botPort}/api/verified-id/callback`,
    VERIFIED_ID_ACCEPTED_ISSUERS: authority,
  };
}

/**
 * The Entra custom extension routes, both on, with the well-known first-party callers the sandbox's
 * Entra signs its callouts as; the callouts reach the bot once `setBotOrigin` names its port.
 */
export function sandboxExtensionEnv(): Record<string, string> {
  return { ENTRA_EXTENSION_CALLERS: 'access-package,lifecycle-task' };
}
