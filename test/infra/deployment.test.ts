// The Teams app's deployment files, checked statically (nothing here talks to Azure or Entra): the Agents
// Toolkit projects m365agents.yml / m365agents.local.yml, the Entra app manifest aad.manifest.json, and
// infra/azure.bicep with its parameters. Each checker returns a list of problems, and each is also run on a
// mutated copy that it must reject, so a checker that silently accepts everything fails here.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError, GRAPH_SCOPES, loadConfig } from '../../src/config.js';
import { TABLES } from '../../src/store/port.js';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

// ---------------------------------------------------------------------------------------------------------
// Facts from Microsoft's references (see the README, "Deploy to Azure"; verified against the Microsoft Graph
// permissions reference, Azure's built-in roles and the Toolkit's yaml schema).
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** Microsoft Graph DELEGATED permission ids TapDesk needs: sign-in plus GRAPH_SCOPES of src/config.ts. */
const GRAPH_DELEGATED: Record<string, string> = {
  'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
  'User.Read.All': 'a154be20-db9c-4678-8ab7-66f6cc099a59',
  'UserAuthenticationMethod.ReadWrite.All': 'b7887744-6746-4312-813d-72daeaee7e2d',
  'Policy.Read.All': '572fea84-0151-49b2-9301-11cb16974376',
};
/** The APPLICATION (app-only) twins that must never appear anywhere. */
const GRAPH_APP_ROLES_FORBIDDEN: Record<string, string> = {
  'UserAuthenticationMethod.ReadWrite.All': '50483e42-d915-4231-9639-7fdb7fd190e5',
  'UserAuthenticationMethod.Read.All': '38d9df27-64da-44fd-b7c5-a6fbac20248f',
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'Policy.Read.All': '246dd0d5-5bd0-4def-940b-0421030a5b68',
};
const TEAMS_CLIENTS = {
  desktopAndMobile: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
  web: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
};
const STORAGE_TABLE_DATA_CONTRIBUTOR = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3';
const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';
const BOT_OAUTH_AAD_V2_PROVIDER = '30dd229c-58e3-4a48-bdfd-91ec48eb906c';

const GUID_A = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const GUID_B = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
const GUID_C = '0b5b1f4e-2c2d-4f6a-9a57-3f1d2e4c5a61';
const SAMPLE_DOMAIN = 'tapdeskdev-abcdefghijklm.azurewebsites.net';

// ---------------------------------------------------------------------------------------------------------
// Env templates

interface EnvEntry {
  value: string;
  documented: boolean;
}

/** KEY=VALUE lines of a Toolkit env file; "documented" = the contiguous block holding it opens with a comment. */
function parseEnvTemplate(text: string): Map<string, EnvEntry> {
  const entries = new Map<string, EnvEntry>();
  let blockHasComment = false;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') {
      blockHasComment = false;
    } else if (trimmed.startsWith('#')) {
      blockHasComment = true;
    } else {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(trimmed);
      if (!match) throw new Error(`not a KEY=VALUE line: ${line}`);
      entries.set(match[1], { value: match[2], documented: blockHasComment });
    }
  }
  return entries;
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const placeholdersIn = (text: string) => [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];

// ---------------------------------------------------------------------------------------------------------
// Bicep, read as text

function bicepParams(bicep: string): Map<string, { type: string; default?: string }> {
  const params = new Map<string, { type: string; default?: string }>();
  for (const m of bicep.matchAll(/^param (\w+) (\w+)(?: = (.+))?$/gm)) {
    params.set(m[1], { type: m[2], default: m[3] });
  }
  return params;
}

function bicepOutputs(bicep: string): Map<string, string> {
  return new Map([...bicep.matchAll(/^output (\w+) \w+ = (.+)$/gm)].map((m) => [m[1], m[2].trim()]));
}

/** The text between the `{` at `open` and its matching `}`. */
function braceBlock(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced braces');
}

/** name → bicep expression of the Web App's app settings (the sites/config 'appsettings' resource). */
function bicepAppSettings(bicep: string): Map<string, string> {
  const at = bicep.indexOf("name: 'appsettings'");
  if (at < 0) return new Map();
  const props = bicep.indexOf('properties: {', at);
  const block = braceBlock(bicep, bicep.indexOf('{', props));
  const settings = new Map<string, string>();
  for (const line of block.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.+?)\s*$/.exec(line);
    if (m && !line.trim().startsWith('//')) settings.set(m[1], m[2]);
  }
  return settings;
}

/** Problems with infra/azure.bicep's security posture and identities, as text checks. */
function bicepProblems(bicep: string): string[] {
  const problems: string[] = [];
  const required: [string, string][] = [
    ['httpsOnly: true', 'the Web App must be HTTPS only'],
    ['alwaysOn: true', 'Always On keeps the notice scheduler running'],
    ["linuxFxVersion: 'NODE|22-lts'", 'Linux, Node 22 LTS'],
    ["minTlsVersion: '1.2'", 'TLS 1.2 at least'],
    ["ftpsState: 'Disabled'", 'no FTP'],
    ["appCommandLine: 'node dist/index.js'", 'the start command'],
    ["kind: 'linux'", 'a Linux plan'],
    ['reserved: true', 'a Linux plan'],
    ['allowSharedKeyAccess: false', 'storage through Entra only, no account keys'],
    ['allowBlobPublicAccess: false', 'no public blobs'],
    ["minimumTlsVersion: 'TLS1_2'", 'storage TLS 1.2'],
    ['supportsHttpsTrafficOnly: true', 'storage over HTTPS only'],
    ["kind: 'StorageV2'", 'StorageV2'],
    [STORAGE_TABLE_DATA_CONTRIBUTOR, 'the Storage Table Data Contributor role'],
    [KEY_VAULT_SECRETS_USER, 'the Key Vault Secrets User role'],
    ['enableRbacAuthorization: true', 'Key Vault with Azure RBAC, no access policies'],
    ["kind: 'azurebot'", 'an Azure Bot'],
    ["msaAppType: 'UserAssignedMSI'", 'the bot runs as the user-assigned managed identity'],
    ['msaAppMSIResourceId: identity.id', 'the bot names its managed identity'],
    ['msaAppId: identity.properties.clientId', "the bot's app id is the identity's client id"],
    ["channelName: 'MsTeamsChannel'", 'the Teams channel'],
    ["'Microsoft.BotService/botServices/connections@", 'the OAuth connection for the sign-in fallback'],
    [BOT_OAUTH_AAD_V2_PROVIDER, 'an Azure AD v2 OAuth connection'],
    ["key: 'tokenExchangeUrl'", 'token exchange for Teams SSO'],
    ["endpoint: 'https://${botDomain}/api/messages'", 'the messaging endpoint on the Web App'],
    ["'Microsoft.OperationalInsights/workspaces@", 'a Log Analytics workspace'],
    ["'Microsoft.Insights/components@", 'Application Insights'],
    ['keyVaultReferenceIdentity: identity.id', 'Key Vault references resolved with the managed identity'],
  ];
  for (const [snippet, why] of required) {
    if (!bicep.includes(snippet)) problems.push(`missing ${JSON.stringify(snippet)} (${why})`);
  }
  if (!/@secure\(\)\n(@description\(.*\)\n)?param aadAppClientSecret string/.test(bicep)) {
    problems.push('aadAppClientSecret must be a @secure() parameter');
  }
  // No identity TapDesk holds may have an app-only Graph permission: no Graph resources, no app role
  // assignments, no UserAuthenticationMethod anything, none of the app-only permission ids.
  const forbidden: [RegExp, string][] = [
    [/appRoleAssignment/i, 'an app role assignment'],
    [/UserAuthenticationMethod/i, 'an authentication-method permission'],
    [/Microsoft\.Graph\//i, 'a Microsoft Graph resource (Bicep Graph extension)'],
    [/extension\s+microsoftGraph/i, 'the Bicep Microsoft Graph extension'],
    [/listKeys\(/, 'storage account keys'],
    ...Object.values(GRAPH_APP_ROLES_FORBIDDEN).map((id): [RegExp, string] => [
      new RegExp(id),
      'an app-only Graph permission id',
    ]),
  ];
  for (const [pattern, what] of forbidden) {
    if (pattern.test(bicep)) problems.push(`contains ${what} (${pattern})`);
  }
  // Secrets never leave the deployment as outputs.
  for (const [name, value] of bicepOutputs(bicep)) {
    if (/secret|password|key\b/i.test(name) || /aadAppClientSecret|oboSecret|listKeys/.test(value)) {
      problems.push(`output ${name} may expose a secret`);
    }
  }
  const settings = bicepAppSettings(bicep);
  if (!settings.get('AAD_APP_CLIENT_SECRET')?.startsWith("'@Microsoft.KeyVault(SecretUri=")) {
    problems.push('AAD_APP_CLIENT_SECRET must be a Key Vault reference, not the secret itself');
  }
  if (settings.get('AZURE_CLIENT_ID') !== 'identity.properties.clientId') {
    problems.push("AZURE_CLIENT_ID must be the managed identity's client id (DefaultAzureCredential)");
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Entra app manifest

interface AadManifest {
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

function aadManifestProblems(manifest: AadManifest): string[] {
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
  const expected = Object.values(GRAPH_DELEGATED).sort();
  const access = manifest.requiredResourceAccess ?? [];
  for (const resource of access) {
    if (resource.resourceAppId !== GRAPH_APP_ID) {
      problems.push(`only Microsoft Graph may be requested, not ${String(resource.resourceAppId)}`);
    }
    for (const permission of resource.resourceAccess ?? []) {
      if (permission.type !== 'Scope') {
        problems.push(
          `permission ${String(permission.id)} is of type ${String(permission.type)}: delegated (Scope) only`,
        );
      }
    }
  }
  const granted = access.flatMap((r) => (r.resourceAccess ?? []).map((p) => String(p.id))).sort();
  if (JSON.stringify(granted) !== JSON.stringify(expected)) {
    problems.push(`Graph permissions must be exactly ${Object.keys(GRAPH_DELEGATED).join(', ')}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Toolkit projects

interface Action {
  uses?: string;
  name?: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
interface Project {
  version?: unknown;
  environmentFolderPath?: unknown;
  provision?: Action[];
  deploy?: Action[];
  publish?: Action[];
}

/** Required and allowed `with` keys and required outputs of the actions used, from the Toolkit's yaml schema. */
const ACTIONS: Record<string, { required: string[]; allowed: string[]; writes?: string[] }> = {
  'teamsApp/create': { required: ['name'], allowed: ['name'], writes: ['teamsAppId'] },
  'aadApp/create': {
    required: ['name', 'generateClientSecret', 'signInAudience'],
    allowed: [
      'name',
      'generateClientSecret',
      'generateServicePrincipal',
      'signInAudience',
      'serviceManagementReference',
      'clientSecretExpireDays',
      'clientSecretDescription',
    ],
    writes: ['clientId', 'objectId'],
  },
  'aadApp/update': {
    required: ['manifestPath', 'outputFilePath'],
    allowed: ['manifestPath', 'outputFilePath'],
  },
  'arm/deploy': {
    required: ['subscriptionId', 'resourceGroupName', 'templates'],
    allowed: ['subscriptionId', 'resourceGroupName', 'templates', 'bicepCliVersion'],
  },
  'botFramework/create': {
    required: ['botId', 'name', 'messagingEndpoint'],
    allowed: ['botId', 'name', 'messagingEndpoint', 'description', 'iconUrl', 'channels'],
  },
  'teamsApp/validateManifest': { required: ['manifestPath'], allowed: ['manifestPath'] },
  'teamsApp/zipAppPackage': {
    required: ['manifestPath', 'outputZipPath', 'outputFolder'],
    allowed: ['manifestPath', 'outputZipPath', 'outputFolder'],
  },
  'teamsApp/validateAppPackage': { required: ['appPackagePath'], allowed: ['appPackagePath'] },
  'teamsApp/update': { required: ['appPackagePath'], allowed: ['appPackagePath'] },
  'teamsApp/publishAppPackage': {
    required: ['appPackagePath'],
    allowed: ['appPackagePath'],
    writes: ['publishedAppId'],
  },
  'cli/runNpmCommand': { required: ['args'], allowed: ['args', 'workingDirectory'] },
  'azureAppService/zipDeploy': {
    required: ['artifactFolder', 'resourceId'],
    allowed: ['artifactFolder', 'resourceId', 'workingDirectory', 'ignoreFile', 'dryRun', 'outputZipFile'],
  },
  'file/createOrUpdateEnvironmentFile': { required: ['envs', 'target'], allowed: ['envs', 'target'] },
};

interface ProjectContext {
  env: Map<string, EnvEntry>;
  /** Variables someone provides before provision although the template leaves them empty. */
  external: Record<string, string>;
  readFile: (path: string) => string | undefined;
}

/**
 * Walks provision → deploy → publish in order. Every ${{VAR}} an action uses (in its `with`, or in a file it
 * reads: the Entra manifest, the Teams manifest, the ARM parameters) must have a value by then: produced by
 * an earlier action, non-empty in the env template, provided externally (documented), or, for ARM
 * parameters, neutralised by the Bicep file. The Toolkit leaves ${{VAR}} untouched when VAR is empty, so
 * "defined but empty" is not enough.
 */
function projectProblems(project: Project, ctx: ProjectContext): string[] {
  const problems: string[] = [];
  if (typeof project.version !== 'string' || !/^v1\.\d+$/.test(project.version)) {
    problems.push(`version must be a v1.x schema version, not ${String(project.version)}`);
  }
  if (project.environmentFolderPath !== './env') problems.push('environmentFolderPath must be ./env');
  if (!project.provision?.length) problems.push('no provision lifecycle');
  if (!project.deploy?.length) problems.push('no deploy lifecycle');
  const produced = new Set<string>();
  const hasValue = (name: string) =>
    produced.has(name) || !!ctx.env.get(name)?.value || (name in ctx.external && ctx.env.has(name));
  const need = (names: string[], where: string, guarded: Set<string> = new Set()) => {
    for (const name of names) {
      if (!ctx.env.has(name) && !produced.has(name))
        problems.push(`${where}: \${{${name}}} is neither in the env template nor produced before`);
      else if (!hasValue(name) && !guarded.has(name))
        problems.push(`${where}: \${{${name}}} is still empty at this point`);
    }
  };
  const file = (path: unknown, where: string): string | undefined => {
    const text = typeof path === 'string' ? ctx.readFile(path) : undefined;
    if (text === undefined) problems.push(`${where}: file ${String(path)} is missing`);
    return text;
  };
  for (const lifecycle of ['provision', 'deploy', 'publish'] as const) {
    for (const [index, action] of (project[lifecycle] ?? []).entries()) {
      const where = `${lifecycle}[${index}] ${String(action.uses)}`;
      const spec = action.uses ? ACTIONS[action.uses] : undefined;
      if (!spec) {
        problems.push(`${where}: unknown action`);
        continue;
      }
      const args = action.with ?? {};
      for (const key of spec.required) if (!(key in args)) problems.push(`${where}: with.${key} is required`);
      for (const key of Object.keys(args))
        if (!spec.allowed.includes(key)) problems.push(`${where}: with.${key} is not a parameter`);
      for (const key of spec.writes ?? []) {
        if (!action.writeToEnvironmentFile?.[key])
          problems.push(`${where}: writeToEnvironmentFile.${key} is required`);
      }
      need(placeholdersIn(JSON.stringify(args)), where);
      if (action.uses === 'aadApp/create' && args.generateClientSecret === true) {
        const secret = action.writeToEnvironmentFile?.clientSecret;
        if (!secret?.startsWith('SECRET_'))
          problems.push(`${where}: the client secret must go to a SECRET_ variable`);
      }
      if (action.uses === 'aadApp/update') {
        // aadApp/update generates this id when the manifest uses it and it is empty.
        produced.add('AAD_APP_ACCESS_AS_USER_PERMISSION_ID');
        const text = file(args.manifestPath, where);
        if (text) need(placeholdersIn(text), `${where} (${String(args.manifestPath)})`);
      }
      if (action.uses === 'teamsApp/zipAppPackage' || action.uses === 'teamsApp/validateManifest') {
        const text = file(args.manifestPath, where);
        if (text) need(placeholdersIn(text), `${where} (${String(args.manifestPath)})`);
      }
      if (action.uses === 'arm/deploy') {
        for (const template of (args.templates as {
          path?: string;
          parameters?: string;
          deploymentName?: string;
        }[]) ?? []) {
          if (!template.deploymentName) problems.push(`${where}: templates[].deploymentName is required`);
          const bicep = file(template.path, where);
          const parameters = file(template.parameters, where);
          if (!bicep || !parameters) continue;
          const guarded = new Set(
            [...bicep.matchAll(/startsWith\((\w+), unsetPlaceholderPrefix\)/g)].flatMap((m) =>
              placeholdersIn(JSON.stringify(JSON.parse(parameters).parameters?.[m[1]] ?? '')),
            ),
          );
          need(placeholdersIn(parameters), `${where} (${template.parameters})`, guarded);
          for (const name of bicepOutputs(bicep).keys()) produced.add(name.toUpperCase());
        }
      }
      if (action.uses === 'file/createOrUpdateEnvironmentFile') {
        const envs = (args.envs ?? {}) as Record<string, unknown>;
        for (const [name, value] of Object.entries(envs)) {
          if (String(value).trim() === '') problems.push(`${where}: ${name} would be written empty`);
        }
      }
      for (const variable of Object.values(action.writeToEnvironmentFile ?? {})) {
        if (!/^[A-Z][A-Z0-9_]*$/.test(variable))
          problems.push(`${where}: ${variable} is not a valid variable name`);
        produced.add(variable);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Fixtures read once

const bicep = read('infra/azure.bicep');
const parametersText = read('infra/azure.parameters.json');
const aadManifest = JSON.parse(read('aad.manifest.json')) as AadManifest;
const devProject = parseYaml(read('m365agents.yml')) as Project;
const localProject = parseYaml(read('m365agents.local.yml')) as Project;
const devEnv = parseEnvTemplate(read('env/.env.dev'));
const localEnv = parseEnvTemplate(read('env/.env.local'));
const readProjectFile = (path: string) => {
  const full = join(root, path);
  return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
};
const devContext: ProjectContext = {
  env: devEnv,
  // Empty: the Toolkit asks for them (and writes them back) on the first `atk provision --env dev`.
  external: { AZURE_SUBSCRIPTION_ID: 'prompted', AZURE_RESOURCE_GROUP_NAME: 'prompted' },
  readFile: readProjectFile,
};
const localContext: ProjectContext = {
  env: localEnv,
  // Written into env/.env.local by the dev tunnel (Toolkit task or by hand) before provision.
  external: { BOT_ENDPOINT: 'dev tunnel', BOT_DOMAIN: 'dev tunnel' },
  readFile: readProjectFile,
};
const clone = <T>(value: T): T => structuredClone(value);

/** Names src/config.ts and src/store/settings.ts read from the environment. */
function namesTapDeskReads(): Set<string> {
  const source = read('src/config.ts') + read('src/store/settings.ts');
  return new Set([
    ...[...source.matchAll(/\b(?:env|rawEnv)\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]),
    ...[...source.matchAll(/\bread\('([A-Z][A-Z0-9_]+)'\)/g)].map((m) => m[1]),
  ]);
}

/** App settings the platform or a library reads, not TapDesk's code; each with who reads it. */
const PLATFORM_SETTINGS: Record<string, string> = {
  AZURE_CLIENT_ID: '@azure/identity DefaultAzureCredential: which managed identity to use',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'App Service Application Insights agent',
  ApplicationInsightsAgent_EXTENSION_VERSION: 'App Service Application Insights agent',
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'App Service: build the uploaded source on zip deploy',
};

/** The app settings as a deployed Web App would see them, runtime values replaced by samples. */
function sampleWebAppEnv(settings: Map<string, string>): Record<string, string> {
  const params = bicepParams(bicep);
  const runtime: Record<string, string> = {
    'identity.properties.clientId': GUID_A,
    'identity.properties.tenantId': GUID_B,
    aadAppClientId: GUID_C,
    aadAppTenantId: GUID_B,
    ssoResource: `api://${SAMPLE_DOMAIN}/botid-${GUID_A}`,
    requesterGroup: '',
    approvers: '',
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

function configProblems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------

describe('aad.manifest.json (the TapDesk Entra app)', () => {
  it('exposes access_as_user to both Teams clients and asks for exactly the four delegated Graph permissions', () => {
    expect(aadManifestProblems(aadManifest)).toEqual([]);
  });

  it('covers every scope TapDesk requests in the On-Behalf-Of exchange, all delegated', () => {
    const granted = new Set(
      aadManifest.requiredResourceAccess?.flatMap((r) => r.resourceAccess?.map((p) => p.id)),
    );
    for (const scope of GRAPH_SCOPES) {
      const name = scope.replace('https://graph.microsoft.com/', '');
      expect(GRAPH_DELEGATED[name], name).toBeDefined();
      expect(granted.has(GRAPH_DELEGATED[name]), name).toBe(true);
    }
    for (const forbidden of Object.values(GRAPH_APP_ROLES_FORBIDDEN)) {
      expect(read('aad.manifest.json')).not.toContain(forbidden);
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
});

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

describe('m365agents.yml (dev: Azure)', () => {
  it('is a valid Toolkit project whose every ${{VAR}} has a value when its action runs', () => {
    expect(projectProblems(devProject, devContext)).toEqual([]);
    const uses = (lifecycle: Action[] | undefined) => (lifecycle ?? []).map((a) => a.uses);
    expect(uses(devProject.provision)).toEqual([
      'teamsApp/create',
      'aadApp/create',
      'arm/deploy',
      'aadApp/update',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    expect(uses(devProject.deploy)).toEqual([
      'cli/runNpmCommand',
      'cli/runNpmCommand',
      'azureAppService/zipDeploy',
    ]);
    expect(devProject.deploy?.map((a) => a.with?.args).slice(0, 2)).toEqual([
      'ci --no-audit --no-fund',
      'run build',
    ]);
  });

  it('creates the Entra app single-tenant with its secret in the .user file, and no bot app of its own', () => {
    const create = devProject.provision?.find((a) => a.uses === 'aadApp/create');
    expect(create?.with).toMatchObject({ signInAudience: 'AzureADMyOrg', generateClientSecret: true });
    expect(create?.writeToEnvironmentFile).toMatchObject({
      clientId: 'AAD_APP_CLIENT_ID',
      clientSecret: 'SECRET_AAD_APP_CLIENT_SECRET',
      tenantId: 'AAD_APP_TENANT_ID',
      authorityHost: 'AAD_APP_OAUTH_AUTHORITY_HOST',
    });
    expect(devProject.provision?.some((a) => a.uses === 'botAadApp/create')).toBe(false);
  });

  it('rejects an Entra manifest applied before Azure has given it BOT_DOMAIN, a missing action, a typo and a leaked empty variable', () => {
    const early = clone(devProject);
    const update = early.provision!.findIndex((a) => a.uses === 'aadApp/update');
    const [moved] = early.provision!.splice(update, 1);
    early.provision!.splice(1, 0, moved);
    expect(projectProblems(early, devContext).join('\n')).toMatch(/\$\{\{BOT_DOMAIN\}\} is still empty/);

    const noCreate = clone(devProject);
    noCreate.provision = noCreate.provision!.filter((a) => a.uses !== 'aadApp/create');
    expect(projectProblems(noCreate, devContext).join('\n')).toMatch(/AAD_APP_CLIENT_ID/);

    const typo = clone(devProject);
    typo.deploy![2].with = { ...typo.deploy![2].with, resourceID: 'x' };
    expect(projectProblems(typo, devContext).join('\n')).toMatch(/with\.resourceID is not a parameter/);

    const unknown = clone(devProject);
    unknown.provision![0].uses = 'teamsApp/createApp';
    expect(projectProblems(unknown, devContext).join('\n')).toMatch(/unknown action/);

    const leaking: ProjectContext = {
      ...devContext,
      readFile: (path) =>
        path.endsWith('azure.parameters.json')
          ? parametersText.replace('${{REQUEST_TTL_MINUTES}}', '${{TEAMS_APP_PUBLISHED_APP_ID}}')
          : readProjectFile(path),
    };
    expect(projectProblems(devProject, leaking).join('\n')).toMatch(
      /TEAMS_APP_PUBLISHED_APP_ID\}\} is still empty/,
    );
  });
});

describe('m365agents.local.yml (local: a real tenant through a dev tunnel)', () => {
  it('is a valid Toolkit project whose every ${{VAR}} has a value when its action runs', () => {
    expect(projectProblems(localProject, localContext)).toEqual([]);
    const bot = localProject.provision?.find((a) => a.uses === 'botFramework/create');
    expect(bot?.with).toMatchObject({
      botId: '${{BOT_ID}}',
      messagingEndpoint: '${{BOT_ENDPOINT}}/api/messages',
      channels: [{ name: 'msteams' }],
    });
    expect(localProject.provision?.some((a) => a.uses === 'arm/deploy')).toBe(false);
  });

  it('writes a runtime env file that, with env/.env.local, gives loadConfig a valid single-tenant entra config', () => {
    const write = localProject.deploy?.find((a) => a.uses === 'file/createOrUpdateEnvironmentFile');
    expect(write?.with?.target).toBe('./.localConfigs');
    expect(read('.gitignore')).toMatch(/^\.localConfigs$/m);
    const envs = write?.with?.envs as Record<string, string>;
    expect(envs.SSO_RESOURCE).toBe(aadManifest.identifierUris![0]);
    const sample: Record<string, string> = {
      BOT_ID: GUID_A,
      SECRET_BOT_PASSWORD: 'bot-secret',
      BOT_TENANT_ID: GUID_B,
      AAD_APP_CLIENT_ID: GUID_C,
      SECRET_AAD_APP_CLIENT_SECRET: 'obo-secret',
      AAD_APP_TENANT_ID: GUID_B,
      AAD_APP_OAUTH_AUTHORITY_HOST: 'https://login.microsoftonline.com',
      BOT_DOMAIN: 'abc123-3978.euw.devtunnels.ms',
    };
    const fill = (text: string) =>
      text.replace(PLACEHOLDER, (_, name: string) => sample[name] ?? `<${name}>`);
    const fromTemplate = Object.fromEntries([...localEnv].map(([name, entry]) => [name, entry.value]));
    const fromDeploy = Object.fromEntries(
      Object.entries(envs).map(([name, value]) => [name, fill(String(value))]),
    );
    // node --env-file=env/.env.local --env-file=.localConfigs: the later file wins.
    expect(configProblems({ ...fromTemplate, ...fromDeploy })).toEqual([]);
    expect(fromDeploy.BOT_TYPE).toBe('SingleTenant');
  });

  it('rejects a bot registered before its app exists', () => {
    const early = clone(localProject);
    const bot = early.provision!.findIndex((a) => a.uses === 'botFramework/create');
    const [moved] = early.provision!.splice(bot, 1);
    early.provision!.unshift(moved);
    expect(projectProblems(early, localContext).join('\n')).toMatch(/\$\{\{BOT_ID\}\} is still empty/);
  });
});

describe('env templates and the upload', () => {
  it('document every variable, and list every variable the projects write', () => {
    for (const [file, env] of [
      ['env/.env.dev', devEnv],
      ['env/.env.local', localEnv],
    ] as const) {
      for (const [name, entry] of env) expect(entry.documented, `${name} in ${file}`).toBe(true);
    }
    const written = (project: Project) =>
      (['provision', 'deploy', 'publish'] as const).flatMap((l) =>
        (project[l] ?? []).flatMap((a) => Object.values(a.writeToEnvironmentFile ?? {})),
      );
    for (const name of written(devProject).filter((n) => !n.startsWith('SECRET_'))) {
      expect(devEnv.has(name), `${name} in env/.env.dev`).toBe(true);
    }
    for (const name of written(localProject).filter((n) => !n.startsWith('SECRET_'))) {
      expect(localEnv.has(name), `${name} in env/.env.local`).toBe(true);
    }
    expect(devEnv.get('BOT_TYPE')?.value).toBe('UserAssignedMSI');
    expect(localEnv.get('BOT_TYPE')?.value).toBe('SingleTenant');
    // Secrets live in the git-ignored .user files only.
    for (const env of [devEnv, localEnv]) for (const name of env.keys()) expect(name).not.toMatch(/^SECRET_/);
    expect(read('.gitignore')).toContain('env/.env.*.user');
  });

  it('never uploads secrets or local state, and uploads what App Service needs to build', () => {
    const deploy = devProject.deploy?.find((a) => a.uses === 'azureAppService/zipDeploy');
    expect(deploy?.with?.ignoreFile).toBe('./.webappignore');
    const ignored = read('.webappignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['env/', '.localConfigs', '.data/', 'node_modules/', '.git/', '.deployment/']) {
      expect(ignored, entry).toContain(entry);
    }
    for (const needed of [
      'src',
      'src/',
      'package.json',
      'package-lock.json',
      '.npmrc',
      'tsconfig.json',
      'tsconfig.build.json',
    ]) {
      expect(ignored, needed).not.toContain(needed);
    }
    expect(bicepAppSettings(bicep).get('SCM_DO_BUILD_DURING_DEPLOYMENT')).toBe("'true'");
  });
});
