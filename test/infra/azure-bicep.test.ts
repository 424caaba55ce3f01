// infra/azure.bicep, read as text: locked down, app settings TapDesk reads, its tables and its outputs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../src/store/port.js';
import { bicepAppSettings, bicepOutputs, bicepParams, bicepProblems } from './checks/bicep.js';
import { GRAPH_APP_ROLES_FORBIDDEN, STORAGE_TABLE_DATA_CONTRIBUTOR } from './checks/microsoft-ids.js';
import { configProblems, namesTapDeskReads, sampleWebAppEnv } from './checks/runtime-config.js';
import { bicep, devEnv, read } from './checks/sources.js';

/** App settings the platform or a library reads, not TapDesk's code; each with who reads it. */
const PLATFORM_SETTINGS: Record<string, string> = {
  AZURE_CLIENT_ID: '@azure/identity DefaultAzureCredential: which managed identity to use',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'App Service Application Insights agent',
  ApplicationInsightsAgent_EXTENSION_VERSION: 'App Service Application Insights agent',
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'App Service: build the uploaded source on zip deploy',
};

describe('infra/azure.bicep', () => {
  it('is locked down: HTTPS, TLS 1.2, no FTP, no storage keys, managed identity for the bot, Teams channel, OAuth connection', () => {
    expect(bicepProblems(bicep)).toEqual([]);
  });

  it('rejects app role assignments, authentication-method permissions, Graph resources, storage keys and a plain secret', () => {
    const mutations: [string, RegExp][] = [
      [`${bicep}\n// appRoleAssignments for the identity\n`, /app role assignment/],
      [`${bicep}\nvar role = 'UserAuthenticationMethod.ReadWrite.All'\n`, /authentication-method permission/],
      [`${bicep}\nresource g 'Microsoft.Graph/appRoleAssignedTo@v1.0' = {}\n`, /Microsoft Graph resource/],
      [`${bicep}\nvar k = '${GRAPH_APP_ROLES_FORBIDDEN['User.Read.All']}'\n`, /app-only Graph permission id/],
      [`${bicep}\nvar keys = storage.listKeys()\n`, /storage account keys/],
      [bicep.replace('allowSharedKeyAccess: false', 'allowSharedKeyAccess: true'), /allowSharedKeyAccess/],
      [bicep.replace('httpsOnly: true', 'httpsOnly: false'), /httpsOnly/],
      [
        bicep.replace(STORAGE_TABLE_DATA_CONTRIBUTOR, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'),
        /Storage Table Data Contributor/,
      ],
      [
        bicep.replace(/AAD_APP_CLIENT_SECRET: .*/, 'AAD_APP_CLIENT_SECRET: aadAppClientSecret'),
        /Key Vault reference/,
      ],
      [bicep.replace('@secure()\n', ''), /@secure\(\)/],
      [`${bicep}\noutput SECRET_X string = aadAppClientSecret\n`, /may expose a secret/],
    ];
    for (const [mutated, expected] of mutations) {
      expect(bicepProblems(mutated).join('\n')).toMatch(expected);
    }
  });

  it('sets only app settings that TapDesk, @azure/identity or App Service read', () => {
    const reads = namesTapDeskReads();
    expect(reads.has('SSO_RESOURCE') && reads.has('AZURE_TABLES_ENDPOINT')).toBe(true);
    const settings = [...bicepAppSettings(bicep).keys()];
    expect(settings.length).toBeGreaterThan(15);
    const unknown = settings.filter((name) => !reads.has(name) && !(name in PLATFORM_SETTINGS));
    expect(unknown).toEqual([]);
    // AZURE_CLIENT_ID really is what the installed @azure/identity reads for the managed identity.
    const identityDir = dirname(createRequire(import.meta.url).resolve('@azure/identity'));
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) =>
        statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)],
      );
    expect(
      files(identityDir).some(
        (f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes('process.env.AZURE_CLIENT_ID'),
      ),
    ).toBe(true);
  });

  it('gives loadConfig everything entra mode needs: the sample Web App environment starts, and dropping any required setting stops it', () => {
    const settings = bicepAppSettings(bicep);
    const env = sampleWebAppEnv(settings);
    expect(env).toMatchObject({ TAPDESK_MODE: 'entra', STORE: 'tables', BOT_TYPE: 'UserAssignedMSI' });
    expect(env.BOT_PASSWORD).toBeUndefined();
    expect(configProblems(env)).toEqual([]);
    // Required from nothing: what loadConfig names when only TAPDESK_MODE=entra is set.
    const requiredFromNothing = configProblems({ TAPDESK_MODE: 'entra' }).map((p) => p.split(' ')[0]);
    expect(requiredFromNothing).toEqual(
      expect.arrayContaining(['AAD_APP_CLIENT_ID', 'SSO_RESOURCE', 'BOT_ID']),
    );
    for (const name of requiredFromNothing) expect(settings.has(name), name).toBe(true);
    // Conditionally required ones (BOT_TENANT_ID for a managed identity, AZURE_TABLES_ENDPOINT for tables).
    for (const name of ['BOT_TENANT_ID', 'AZURE_TABLES_ENDPOINT', 'TAPDESK_MODE', 'AAD_APP_CLIENT_SECRET']) {
      const without = { ...env, [name]: undefined };
      expect(configProblems(without).join('\n'), name).toMatch(new RegExp(name));
    }
  });

  it('creates exactly the tables src/store/tables.ts uses, with the prefix it uses', () => {
    const names = /var tableNames = \[(.*)\]/
      .exec(bicep)?.[1]
      .match(/'(\w+)'/g)
      ?.map((n) => n.slice(1, -1));
    expect(names?.sort()).toEqual(Object.values(TABLES).sort());
    expect(bicep).toContain("name: '${tablesPrefix}${table}'");
    expect(bicepParams(bicep).get('tablesPrefix')?.default).toBe("'tapdesk'");
    expect(read('src/store/tables.ts')).toContain("options.tablePrefix ?? 'tapdesk'");
    expect(devEnv.get('AZURE_TABLES_PREFIX')?.value).toBe('tapdesk');
    // The identity that reads the tables is the one DefaultAzureCredential is told to use.
    expect(bicep).toMatch(
      /scope: storage\n\s+properties: \{[^}]*principalId: identity\.properties\.principalId/,
    );
  });

  it('outputs what the Toolkit writes to env/.env.dev, each documented there', () => {
    const outputs = bicepOutputs(bicep);
    for (const name of [
      'BOT_ID',
      'BOT_TENANT_ID',
      'BOT_DOMAIN',
      'SSO_RESOURCE',
      'AZURE_TABLES_ENDPOINT',
      'BOT_AZURE_APP_SERVICE_RESOURCE_ID',
    ]) {
      expect(outputs.has(name), name).toBe(true);
    }
    for (const name of outputs.keys()) {
      expect(name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(devEnv.get(name)?.documented, `${name} in env/.env.dev`).toBe(true);
    }
    expect(outputs.get('BOT_ID')).toBe('identity.properties.clientId');
    expect(outputs.get('BOT_DOMAIN')).toBe('botDomain');
    expect(bicep).toContain("var ssoResource = 'api://${botDomain}/botid-${identity.properties.clientId}'");
  });
});
