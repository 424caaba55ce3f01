// What TapDesk's config reads and accepts, so the deployment files are checked against the code that runs.
import { ConfigError, loadConfig } from '../../../src/config.js';
import { bicepParams } from './bicep.js';
import { bicep, read } from './sources.js';

/** Sample values for what Azure and Entra fill in at runtime. */
export const GUID_A = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
export const GUID_B = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
export const GUID_C = '0b5b1f4e-2c2d-4f6a-9a57-3f1d2e4c5a61';
export const SAMPLE_DOMAIN = 'tapdeskdev-abcdefghijklm.azurewebsites.net';

/** Names src/config.ts and src/store/settings.ts read from the environment. */
export function namesTapDeskReads(): Set<string> {
  const source = read('src/config.ts') + read('src/store/settings.ts');
  return new Set([
    ...[...source.matchAll(/\b(?:env|rawEnv)\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]),
    ...[...source.matchAll(/\bread\('([A-Z][A-Z0-9_]+)'\)/g)].map((m) => m[1]),
  ]);
}

/** The app settings as a deployed Web App would see them, runtime values replaced by samples. */
export function sampleWebAppEnv(settings: Map<string, string>): Record<string, string> {
  const params = bicepParams(bicep);
  const runtime: Record<string, string> = {
    'identity.properties.clientId': GUID_A,
    'identity.properties.tenantId': GUID_B,
    aadAppClientId: GUID_C,
    aadAppTenantId: GUID_B,
    ssoResource: `api://${SAMPLE_DOMAIN}/botid-${GUID_A}`,
    requesterGroup: '',
    approvers: '',
    appPermissionList: '',
    groupTagList: '',
    requestApiClientList: '',
    entraExtensionCallerList: '',
    faceCheckAuthority: '',
    faceCheckCallbackUrl: '',
    faceCheckIssuers: '',
    "empty(smsFrom) ? '' : 'https://${communication.properties.hostName}'": '',
    smsFrom: '',
    teamsCatalogId: '',
    'string(50 / instances)': '50',
    'insights.properties.ConnectionString': 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
  };
  const env: Record<string, string> = {};
  for (const [name, expression] of settings) {
    const literal = /^'([^'$]*)'$/.exec(expression);
    const param = params.get(expression);
    if (literal) env[name] = literal[1];
    else if (expression in runtime) env[name] = runtime[expression];
    else if (param?.default) env[name] = /^'(.*)'$/.exec(param.default)?.[1] ?? param.default;
    else if (expression.startsWith("'@Microsoft.KeyVault(")) env[name] = 'resolved-by-app-service';
    else if (expression.startsWith("'https://${storage.name}.table."))
      env[name] = 'https://tapdeskdevabc.table.core.windows.net';
    else throw new Error(`no sample value for app setting ${name} = ${expression}`);
  }
  return env;
}

export function configProblems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
