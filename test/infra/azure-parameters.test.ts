// infra/azure.parameters.json: what the Toolkit passes from env/.env.dev to the Bicep file.
import { describe, expect, it } from 'vitest';
import { bicepParams } from './checks/bicep.js';
import { placeholdersIn } from './checks/env-template.js';
import { namesTapDeskReads } from './checks/runtime-config.js';
import { bicep, devEnv, parametersText } from './checks/sources.js';

describe('infra/azure.parameters.json', () => {
  const parameters = JSON.parse(parametersText) as { parameters: Record<string, { value: unknown }> };

  it('passes every required Bicep parameter and no unknown one', () => {
    const params = bicepParams(bicep);
    const required = [...params].filter(([, p]) => p.default === undefined).map(([name]) => name);
    expect(required).toEqual(
      expect.arrayContaining(['resourceBaseName', 'aadAppClientId', 'aadAppClientSecret']),
    );
    for (const name of required) expect(parameters.parameters[name], name).toBeDefined();
    for (const name of Object.keys(parameters.parameters)) expect(params.has(name), name).toBe(true);
    // ${{VAR}} is replaced inside JSON strings only, so every parameter takes a string.
    for (const [name, { value }] of Object.entries(parameters.parameters)) {
      expect(typeof value, name).toBe('string');
      expect(params.get(name)?.type, name).toBe('string');
    }
    expect(parameters.parameters.aadAppClientSecret.value).toBe('${{SECRET_AAD_APP_CLIENT_SECRET}}');
  });

  it('feeds every TapDesk setting of env/.env.dev that Azure needs into the Bicep file', () => {
    const reads = namesTapDeskReads();
    const passed = new Set(
      Object.values(parameters.parameters).flatMap((p) => placeholdersIn(String(p.value))),
    );
    const fixedInBicep = new Set([
      'TAPDESK_MODE',
      'BOT_ID',
      'BOT_TYPE',
      'BOT_TENANT_ID',
      'SSO_RESOURCE',
      'STORE',
      'AZURE_TABLES_ENDPOINT',
      'NOTICE_TENANT_RATE_PER_SECOND',
    ]);
    const notForAzure = new Set(['PORT', 'HOST', 'SQLITE_PATH', 'SANDBOX_URL', 'TAPDESK_CA_FILE']);
    for (const name of devEnv.keys()) {
      if (!reads.has(name) || notForAzure.has(name)) continue;
      expect(
        passed.has(name) || fixedInBicep.has(name),
        `${name} set in env/.env.dev but never reaches the Web App`,
      ).toBe(true);
    }
  });
});
