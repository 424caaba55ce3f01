// Lists problems of aad.manifest.json: single tenant, access_as_user for Teams, delegated Graph plus
// one read-only application permission (roles), never an application permission that can write.
import {
  GRAPH_APP_ID,
  GRAPH_APP_NAME,
  GRAPH_APP_READ_ONLY,
  GRAPH_APP_SELF_INSTALL,
  GRAPH_DELEGATED,
  TEAMS_CLIENTS,
} from './microsoft-ids.js';

export interface AadManifest {
  signInAudience?: string;
  identifierUris?: string[];
  passwordCredentials?: unknown;
  keyCredentials?: unknown;
  api?: {
    oauth2PermissionScopes?: {
      id?: string;
      value?: string;
      type?: string;
      isEnabled?: boolean;
      adminConsentDisplayName?: string;
      adminConsentDescription?: string;
      userConsentDisplayName?: string;
      userConsentDescription?: string;
    }[];
    preAuthorizedApplications?: { appId?: string; delegatedPermissionIds?: string[] }[];
  };
  requiredResourceAccess?: { resourceAppId?: string; resourceAccess?: { id?: string; type?: string }[] }[];
}

export function aadManifestProblems(manifest: AadManifest): string[] {
  const problems: string[] = [];
  if (manifest.signInAudience !== 'AzureADMyOrg') problems.push('signInAudience must be AzureADMyOrg');
  if (
    JSON.stringify(manifest.identifierUris) !== JSON.stringify(['api://${{BOT_DOMAIN}}/botid-${{BOT_ID}}'])
  ) {
    problems.push('identifierUris must be exactly api://${{BOT_DOMAIN}}/botid-${{BOT_ID}}');
  }
  if (manifest.passwordCredentials !== undefined || manifest.keyCredentials !== undefined) {
    problems.push('credentials are made by aadApp/create, never written in the manifest');
  }
  const scopes = manifest.api?.oauth2PermissionScopes ?? [];
  const scope = scopes.find((s) => s.value === 'access_as_user');
  if (scopes.length !== 1 || !scope) {
    problems.push('exactly one exposed scope, access_as_user');
  } else {
    if (scope.type !== 'User' || scope.isEnabled !== true)
      problems.push('access_as_user must be an enabled User scope');
    for (const text of [
      'adminConsentDisplayName',
      'adminConsentDescription',
      'userConsentDisplayName',
      'userConsentDescription',
    ] as const) {
      if (!scope[text]?.trim()) problems.push(`access_as_user needs ${text}`);
    }
  }
  const preAuthorized = manifest.api?.preAuthorizedApplications ?? [];
  for (const [client, appId] of Object.entries(TEAMS_CLIENTS)) {
    const entry = preAuthorized.find((p) => p.appId === appId);
    if (!entry) problems.push(`Teams ${client} client ${appId} is not pre-authorized`);
    else if (!scope || JSON.stringify(entry.delegatedPermissionIds) !== JSON.stringify([scope.id])) {
      problems.push(`Teams ${client} client must be pre-authorized for the access_as_user scope id`);
    }
  }
  const appPermissions = { ...GRAPH_APP_READ_ONLY, ...GRAPH_APP_SELF_INSTALL };
  const readOnlyApp = Object.values(appPermissions);
  const expected = [...Object.values(GRAPH_DELEGATED), ...readOnlyApp].sort();
  const access = manifest.requiredResourceAccess ?? [];
  for (const resource of access) {
    if (resource.resourceAppId !== GRAPH_APP_ID && resource.resourceAppId !== GRAPH_APP_NAME) {
      problems.push(`only Microsoft Graph may be requested, not ${String(resource.resourceAppId)}`);
    }
    for (const permission of resource.resourceAccess ?? []) {
      const readOnly = permission.type === 'Role' && readOnlyApp.includes(String(permission.id));
      if (permission.type !== 'Scope' && !readOnly) {
        problems.push(
          `permission ${String(permission.id)} is of type ${String(permission.type)}: delegated (Scope) only, besides ${Object.keys(appPermissions).join(', ')}`,
        );
      }
    }
  }
  const granted = access.flatMap((r) => (r.resourceAccess ?? []).map((p) => String(p.id))).sort();
  if (JSON.stringify(granted) !== JSON.stringify(expected)) {
    problems.push(
      `Graph permissions must be exactly ${[...Object.keys(GRAPH_DELEGATED), ...Object.keys(appPermissions)].join(', ')}`,
    );
  }
  return problems;
}
