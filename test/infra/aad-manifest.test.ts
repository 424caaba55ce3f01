// aad.manifest.json, the TapDesk Entra app; its checker must also reject mutated copies.
import { describe, expect, it } from 'vitest';
import { DEVICE_READ_SCOPES, DEVICE_WRITE_SCOPES, GRAPH_SCOPES, PIM_SCOPES } from '../../src/config.js';
import { REQUEST_APP_ROLE } from '../../src/http/entra-app-token.js';
import { aadManifestProblems } from './checks/aad-manifest.js';
import { bicepAppSettings } from './checks/bicep.js';
import {
  GRAPH_APP_ROLES_FORBIDDEN,
  GRAPH_DELEGATED,
  GRAPH_DELEGATED_RETIRED,
  TEAMS_CLIENTS,
} from './checks/microsoft-ids.js';
import { configProblems, GUID_A, SAMPLE_DOMAIN, sampleWebAppEnv } from './checks/runtime-config.js';
import { aadManifest, bicep, clone, read, readProjectFile } from './checks/sources.js';

describe('aad.manifest.json (the TapDesk Entra app)', () => {
  it('exposes access_as_user to both Teams clients and asks for exactly the five delegated Graph permissions', () => {
    expect(aadManifestProblems(aadManifest)).toEqual([]);
  });

  it('covers every scope TapDesk requests in the On-Behalf-Of exchange, all delegated', () => {
    const granted = new Set(
      aadManifest.requiredResourceAccess?.flatMap((r) => r.resourceAccess?.map((p) => p.id)),
    );
    for (const scope of [...GRAPH_SCOPES, ...DEVICE_READ_SCOPES, ...DEVICE_WRITE_SCOPES, ...PIM_SCOPES]) {
      const name = scope.replace('https://graph.microsoft.com/', '');
      expect(GRAPH_DELEGATED[name], name).toBeDefined();
      expect(granted.has(GRAPH_DELEGATED[name]), name).toBe(true);
    }
    for (const forbidden of Object.values(GRAPH_APP_ROLES_FORBIDDEN)) {
      expect(read('aad.manifest.json')).not.toContain(forbidden);
    }
    // Least privilege: the broader delegated permissions TapDesk used to hold are gone, by id and name.
    for (const [name, id] of Object.entries(GRAPH_DELEGATED_RETIRED)) {
      expect(read('aad.manifest.json')).not.toContain(id);
      expect(read('aad.manifest.json')).not.toContain(`"${name}"`);
    }
  });

  it('rejects an application permission, an extra or a missing permission, another API and a missing Teams client', () => {
    const withRole = clone(aadManifest);
    withRole.requiredResourceAccess![0].resourceAccess![2].type = 'Role';
    expect(aadManifestProblems(withRole).join('\n')).toMatch(/type Role: delegated \(Scope\) only/);

    const appOnly = clone(aadManifest);
    appOnly.requiredResourceAccess![0].resourceAccess!.push({
      id: GRAPH_APP_ROLES_FORBIDDEN['UserAuthenticationMethod.ReadWrite.All'],
      type: 'Role',
    });
    expect(aadManifestProblems(appOnly).length).toBeGreaterThanOrEqual(2);

    const extra = clone(aadManifest);
    extra.requiredResourceAccess![0].resourceAccess!.push({
      id: '204e0828-b5ca-4ad8-b9f3-f32a958e7cc4',
      type: 'Scope',
    });
    expect(aadManifestProblems(extra).join('\n')).toMatch(/exactly/);

    const broader = clone(aadManifest);
    broader.requiredResourceAccess![0].resourceAccess!.push({
      id: GRAPH_DELEGATED_RETIRED['UserAuthenticationMethod.ReadWrite.All'],
      type: 'Scope',
    });
    expect(aadManifestProblems(broader).join('\n')).toMatch(/exactly/);

    const missing = clone(aadManifest);
    missing.requiredResourceAccess![0].resourceAccess!.pop();
    expect(aadManifestProblems(missing).join('\n')).toMatch(/exactly/);

    const otherApi = clone(aadManifest);
    otherApi.requiredResourceAccess!.push({
      resourceAppId: '00000002-0000-0000-c000-000000000000',
      resourceAccess: [],
    });
    expect(aadManifestProblems(otherApi).join('\n')).toMatch(/only Microsoft Graph/);

    const noWebClient = clone(aadManifest);
    noWebClient.api!.preAuthorizedApplications = noWebClient.api!.preAuthorizedApplications!.filter(
      (p) => p.appId !== TEAMS_CLIENTS.web,
    );
    expect(aadManifestProblems(noWebClient).join('\n')).toMatch(/web client .* not pre-authorized/);

    const wrongScope = clone(aadManifest);
    wrongScope.api!.preAuthorizedApplications![0].delegatedPermissionIds = [GUID_A];
    expect(aadManifestProblems(wrongScope).join('\n')).toMatch(/access_as_user scope id/);

    const multiTenant = clone(aadManifest);
    multiTenant.signInAudience = 'AzureADMultipleOrgs';
    expect(aadManifestProblems(multiTenant)).toEqual(['signInAudience must be AzureADMyOrg']);
  });

  it("has the identifier URI that src/config.ts accepts as SSO_RESOURCE, and the Teams manifest's SSO resource", () => {
    const uri = aadManifest
      .identifierUris![0].replace('${{BOT_DOMAIN}}', SAMPLE_DOMAIN)
      .replace('${{BOT_ID}}', GUID_A);
    const env = { ...sampleWebAppEnv(bicepAppSettings(bicep)), SSO_RESOURCE: uri };
    expect(configProblems(env)).toEqual([]);
    expect(configProblems({ ...env, SSO_RESOURCE: `api://botid-${GUID_A}` }).join('\n')).toMatch(
      /^SSO_RESOURCE/,
    );

    const teamsManifest = readProjectFile('appPackage/manifest.json');
    if (teamsManifest !== undefined) {
      const info = (JSON.parse(teamsManifest) as { webApplicationInfo?: { id?: string; resource?: string } })
        .webApplicationInfo;
      expect(info).toEqual({ id: '${{AAD_APP_CLIENT_ID}}', resource: aadManifest.identifierUris![0] });
    }
  });

  it('declares the app role the request API requires, for applications only (never people)', () => {
    const roles = (
      aadManifest as { appRoles?: { value: string; allowedMemberTypes: string[]; isEnabled: boolean }[] }
    ).appRoles;
    expect(roles?.map((r) => r.value)).toEqual([REQUEST_APP_ROLE]);
    expect(roles?.[0]).toMatchObject({ allowedMemberTypes: ['Application'], isEnabled: true });
  });
});
