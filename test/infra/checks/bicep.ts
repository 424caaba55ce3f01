// Reads infra/azure.bicep as text and lists its security problems: no secrets, no app-only Graph, no keys.
import {
  BOT_OAUTH_AAD_V2_PROVIDER,
  GRAPH_APP_ROLES_FORBIDDEN,
  KEY_VAULT_SECRETS_USER,
  STORAGE_TABLE_DATA_CONTRIBUTOR,
} from './microsoft-ids.js';

export function bicepParams(bicep: string): Map<string, { type: string; default?: string }> {
  const params = new Map<string, { type: string; default?: string }>();
  for (const m of bicep.matchAll(/^param (\w+) (\w+)(?: = (.+))?$/gm)) {
    params.set(m[1], { type: m[2], default: m[3] });
  }
  return params;
}

export function bicepOutputs(bicep: string): Map<string, string> {
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
export function bicepAppSettings(bicep: string): Map<string, string> {
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
export function bicepProblems(bicep: string): string[] {
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
