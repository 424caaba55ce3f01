// infra/azure.bicep, read as text: the Communication Services resource for SMS delivery, the managed
// identity's role on it alone, and the app settings that switch SMS and the self-install on.
import { describe, expect, it } from 'vitest';
import { bicepAppSettings, bicepParams } from './checks/bicep.js';
import { configProblems, sampleWebAppEnv } from './checks/runtime-config.js';
import { bicep } from './checks/sources.js';

const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';

/** The body of `resource <name> '<type>' = { … }`, up to the next top-level resource. */
function resourceBlock(name: string): string {
  const start = bicep.indexOf(`resource ${name} `);
  expect(start, `resource ${name}`).toBeGreaterThan(-1);
  const next = bicep.indexOf('\nresource ', start + 1);
  return bicep.slice(start, next < 0 ? undefined : next);
}

describe('infra/azure.bicep: delivery channels', () => {
  it('creates a Communication Services resource and gives the managed identity a role on it only', () => {
    expect(resourceBlock('communication')).toContain("'Microsoft.Communication/communicationServices@");
    const role = resourceBlock('communicationSender');
    expect(role).toContain('scope: communication\n');
    expect(role).toContain('principalId: identity.properties.principalId');
    expect(role).toContain('contributorRoleId');
    expect(bicep).toContain(`var contributorRoleId = '${CONTRIBUTOR}'`);
    // Contributor is assigned nowhere else: not on the resource group, not on the subscription.
    expect(bicep.split("roleDefinitions', contributorRoleId)").length - 1).toBe(1);
    // TapDesk sends with the identity's token, never with the resource's keys.
    expect(bicep).not.toMatch(/communication\.list\w*Keys\(/i);
  });

  it('turns SMS on only with a sender number, and passes the catalog id', () => {
    const settings = bicepAppSettings(bicep);
    expect(settings.get('ACS_SMS_FROM')).toBe('smsFrom');
    expect(settings.get('ACS_ENDPOINT')).toBe(
      "empty(smsFrom) ? '' : 'https://${communication.properties.hostName}'",
    );
    expect(settings.get('TEAMS_APP_CATALOG_ID')).toBe('teamsCatalogId');
    expect(bicepParams(bicep).get('acsSmsFrom')?.default).toBe("''");
    // The sample Web App (SMS off) starts; with both set it starts too, and a bad number stops it.
    const env = sampleWebAppEnv(settings);
    expect(configProblems(env)).toEqual([]);
    const on = {
      ...env,
      ACS_ENDPOINT: 'https://tapdesk-acs.unitedstates.communication.azure.com',
      ACS_SMS_FROM: '+18005550100',
    };
    expect(configProblems(on)).toEqual([]);
    expect(configProblems({ ...on, ACS_SMS_FROM: '08005550100' }).join('\n')).toMatch(/ACS_SMS_FROM/);
  });
});
