// TapDesk in Azure: the resources `atk provision --env dev` deploys through m365agents.yml (arm/deploy).
//
//   user-assigned managed identity  the bot's Bot Framework identity (msaAppType UserAssignedMSI) and its
//                                   identity for Table Storage and Key Vault; it holds NO Microsoft Graph
//                                   permission (Graph is only ever called with the clicking admin's own
//                                   delegated token, through the On-Behalf-Of exchange)
//   App Service plan + Web App      Linux, Node 22 LTS, `node dist/index.js`, HTTPS only, TLS 1.2, no FTP
//   Azure Bot                       Teams channel, OAuth connection for the sign-in fallback
//   Storage account + 6 tables      STORE=tables (managed identity only: shared keys are off)
//   Key Vault                       the Entra app's client secret (On-Behalf-Of only), read by the Web App
//                                   through a Key Vault reference
//   Log Analytics + App Insights    platform telemetry
//   Communication Services          SMS delivery of approved passes (`deliverTo: sms`); the managed
//                                   identity holds a role on this resource only
//
// Checked by test/infra/azure-bicep.test.ts (as text; there is no Bicep compiler in this repository's CI).
// Outputs become environment variables of the Toolkit environment (upper-cased, see m365agents.yml).

@minLength(4)
@maxLength(16)
@description('Prefix of every resource name: lowercase letters and digits (the Toolkit passes tapdesk<APP_NAME_SUFFIX>).')
param resourceBaseName string

@description('Region of every resource except the Azure Bot, which is global.')
param location string = resourceGroup().location

@allowed(['B1', 'B2', 'B3', 'S1', 'S2', 'S3', 'P0v3', 'P1v3', 'P2v3'])
@description('App Service plan size (Linux). Always On needs Basic or higher.')
param webAppSku string = 'B1'

// A string, because the Toolkit substitutes ${{VAR}} inside JSON strings of azure.parameters.json.
@allowed(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
@description('Number of Web App instances. Each paces its Teams notices to 50 / instances per second.')
param instanceCount string = '1'

@allowed(['F0', 'S1'])
@description('Azure Bot pricing tier: F0 (free, standard channels such as Teams are free anyway) or S1.')
param botServiceSku string = 'F0'

@maxLength(42)
@description('Display name of the Azure Bot.')
param botDisplayName string

@description('Application (client) id of the TapDesk Entra app (SSO + On-Behalf-Of), created by aadApp/create.')
param aadAppClientId string

@description('Directory (tenant) id of the TapDesk Entra app.')
param aadAppTenantId string

@description('Entra authority host for the On-Behalf-Of exchange.')
param aadAppOauthAuthorityHost string = 'https://login.microsoftonline.com'

@secure()
@description('Client secret of the TapDesk Entra app, used ONLY for the On-Behalf-Of exchange and the Azure Bot OAuth connection. Stored in Key Vault; the Web App reads it through a Key Vault reference.')
param aadAppClientSecret string

@description('Microsoft Graph base URL.')
param graphBaseUrl string = 'https://graph.microsoft.com/v1.0'

@description('Name of the Azure Bot OAuth connection behind the sign-in fallback (OAUTH_CONNECTION_NAME).')
param oauthConnectionName string = 'graph'

@description('Prefix of the six Table Storage tables (AZURE_TABLES_PREFIX): letters and digits, starting with a letter.')
param tablesPrefix string = 'tapdesk'

// The Toolkit replaces ${{VAR}} in azure.parameters.json only when VAR has a non-empty value; an empty
// variable leaves the placeholder itself in the parameter. These two (and appPermissions) are empty until TapDesk has been
// added to the approvers' channel, so an unreplaced placeholder counts as "not set".
@description('Object id of the Entra group whose members may request passes (REQUESTER_GROUP_ID); empty: managers and admins only.')
param requesterGroupId string = ''

@description('Teams channel or group chat id where approval cards go (APPROVERS_CONVERSATION); empty turns `request` off.')
param approversConversation string = ''

@description('Read-only application permissions an admin granted the TapDesk Entra app, comma-separated (APP_PERMISSIONS); empty: no app-only Graph call. Granting them is an admin consent step, not part of this template.')
param appPermissions string = ''

@description('Systems allowed to call the request API (REQUEST_API_CLIENTS): comma list of <client id>=<name>; empty turns it off. Needs approversConversation.')
param requestApiClients string = ''

@description('Entra custom extension routes (ENTRA_EXTENSION_CALLERS): access-package and/or lifecycle-task, each optionally =<app id>; empty turns them off. Needs approversConversation.')
param entraExtensionCallers string = ''
@description('The SMS sender number your Communication Services resource owns, E.164 like +18005550100 (ACS_SMS_FROM). Buy it on the resource this template creates, then provision again; empty: SMS delivery stays off.')
param acsSmsFrom string = ''

@description('Where Communication Services keeps its data at rest (its dataLocation).')
param acsDataLocation string = 'United States'

@description('TapDesk\'s id in your Teams app catalog (TEAMS_APP_CATALOG_ID, the TEAMS_APP_PUBLISHED_APP_ID the Toolkit writes on publish); empty: TapDesk cannot install itself for a manager it has no chat with.')
param teamsAppCatalogId string = ''

@allowed(['approver', 'requester'])
@description('Who sees an approved pass (DELIVER_TO). Keep approver with more than one instance.')
param deliverTo string = 'approver'

@allowed(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
param logLevel string = 'info'

// TapDesk's tunables, as strings (src/config.ts validates them at startup and names any bad one).
@description('Minutes a confirmation card stays valid (REQUEST_TTL_MINUTES, 1-60).')
param requestTtlMinutes string = '10'

@description('Passes per admin per hour (TAP_LIMIT_PER_ISSUER_PER_HOUR; 0 switches the limit off).')
param tapLimitPerIssuerPerHour string = '20'

@description('Passes per person per day (TAP_LIMIT_PER_TARGET_PER_DAY; 0 switches the limit off).')
param tapLimitPerTargetPerDay string = '3'

@description('Passes per tenant per hour (TAP_LIMIT_TENANT_PER_HOUR; 0 switches the limit off).')
param tapLimitTenantPerHour string = '100'

@description('TapDesk\'s cap on a pass\'s lifetime in minutes (TAP_MAX_LIFETIME_MINUTES).')
param tapMaxLifetimeMinutes string = '480'

@description('Minutes before expiry the issuer is reminded (NOTICE_EXPIRING_LEAD_MINUTES).')
param noticeExpiringLeadMinutes string = '15'

@description('Minutes an approval request stays open (APPROVAL_TTL_MINUTES, 5-1440).')
param approvalTtlMinutes string = '60'

@description('Your Verified ID verifier DID; set, confirmation cards offer a Face Check (VERIFIED_ID_AUTHORITY, empty = off).')
param verifiedIdAuthority string = ''

@description('TapDesk\'s public https address + /api/verified-id/callback (VERIFIED_ID_CALLBACK_URL; required with the authority).')
param verifiedIdCallbackUrl string = ''

@description('Issuer DIDs of the VerifiedEmployee credential to accept, comma-separated (VERIFIED_ID_ACCEPTED_ISSUERS).')
param verifiedIdAcceptedIssuers string = ''

@description('The Face Check match confidence to reach, 50-100 (FACE_CHECK_THRESHOLD).')
param faceCheckThreshold string = '70'

@description('true: Confirm needs a passing Face Check of the person (FACE_CHECK_REQUIRED).')
param faceCheckRequired string = 'false'

@description('A bulk whose ready passes plus its requester\'s passes of the last hour exceed this needs a second admin\'s approval (BULK_APPROVAL_ABOVE).')
param bulkApprovalAbove string = '10'

@description('Graph $batch requests a bulk keeps in flight (BULK_CONCURRENCY, 1-16).')
param bulkConcurrency string = '4'

@description('Seconds without a heartbeat after which another instance reports a running bulk as interrupted (BULK_LEASE_SECONDS).')
param bulkLeaseSeconds string = '60'

@description('Autopilot group tags onboarding may set, comma-separated (AUTOPILOT_GROUP_TAGS); empty: the tags already on the tenant\'s devices.')
param autopilotGroupTags string = ''

@description('Minutes Windows setup takes; the day-one pass lasts at least this long (ONBOARDING_SETUP_MINUTES, 10-1440).')
param onboardingSetupMinutes string = '120'

@description('Minutes between looks at an onboarded device that has not enrolled yet (ONBOARDING_CHECK_MINUTES, 1-60).')
param onboardingCheckMinutes string = '5'

var instances = int(instanceCount)
var suffix = uniqueString(resourceGroup().id, resourceBaseName)
var webAppName = '${resourceBaseName}-${suffix}'
var botName = '${resourceBaseName}-bot-${suffix}'
// Storage accounts and key vaults: globally unique, at most 24 characters.
var storageAccountName = take(toLower('${resourceBaseName}${suffix}'), 24)
var keyVaultName = take('${resourceBaseName}-kv-${suffix}', 24)
var unsetPlaceholderPrefix = '\${{'
var requesterGroup = startsWith(requesterGroupId, unsetPlaceholderPrefix) ? '' : requesterGroupId
var approvers = startsWith(approversConversation, unsetPlaceholderPrefix) ? '' : approversConversation
var appPermissionList = startsWith(appPermissions, unsetPlaceholderPrefix) ? '' : appPermissions
var groupTagList = startsWith(autopilotGroupTags, unsetPlaceholderPrefix) ? '' : autopilotGroupTags
var requestApiClientList = startsWith(requestApiClients, unsetPlaceholderPrefix) ? '' : requestApiClients
var entraExtensionCallerList = startsWith(entraExtensionCallers, unsetPlaceholderPrefix) ? '' : entraExtensionCallers
// SMS and the self-install stay off until their values are set (an unreplaced placeholder counts as unset).
var smsFrom = startsWith(acsSmsFrom, unsetPlaceholderPrefix) ? '' : acsSmsFrom
var teamsCatalogId = startsWith(teamsAppCatalogId, unsetPlaceholderPrefix) ? '' : teamsAppCatalogId
// Face Check is off until its verifier is set (an unreplaced placeholder counts as unset, as above).
var faceCheckAuthority = startsWith(verifiedIdAuthority, unsetPlaceholderPrefix) ? '' : verifiedIdAuthority
var faceCheckCallbackUrl = startsWith(verifiedIdCallbackUrl, unsetPlaceholderPrefix) ? '' : verifiedIdCallbackUrl
var faceCheckIssuers = startsWith(verifiedIdAcceptedIssuers, unsetPlaceholderPrefix) ? '' : verifiedIdAcceptedIssuers

// The six tables of src/store/port.ts TABLES, with the prefix src/store/tables.ts puts before each name.
var tableNames = ['requests', 'audit', 'conversations', 'turnstate', 'notices', 'limits', 'bulk']

// Built-in role definitions (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// Contributor, assigned only on the Communication Services resource (SMS delivery).
var contributorRoleId = 'b24988ac-6180-42a0-ab88-20f7382dd24c'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
// Azure Bot OAuth connection service provider "Azure Active Directory v2".
var aadV2ServiceProviderId = '30dd229c-58e3-4a48-bdfd-91ec48eb906c'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-identity'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for table in tableNames: {
    parent: tableService
    name: '${tablesPrefix}${table}'
  }
]

// Table data only (read, write, delete entities; create tables): no account keys, no management rights.
resource tableDataRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageTableDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Communication Services for `deliverTo: sms`. TapDesk sends with an Entra token of the managed identity
// (scope https://communication.azure.com//.default), never with the resource's access keys.
resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: '${resourceBaseName}-acs'
  location: 'global'
  properties: {
    dataLocation: acsDataLocation
  }
}

// Microsoft documents no narrower built-in role for sending SMS with an Entra identity than Contributor
// (its quickstart uses it), so it is scoped to this one resource: nothing else in the subscription.
resource communicationSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(communication.id, identity.id, contributorRoleId)
  scope: communication
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
  }
}

resource oboSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'aad-app-client-secret'
  properties: {
    value: aadAppClientSecret
    contentType: 'TapDesk Entra app client secret (On-Behalf-Of exchange only)'
  }
}

// Read this one secret, nothing else in the vault.
resource oboSecretReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(oboSecret.id, identity.id, keyVaultSecretsUserRoleId)
  scope: oboSecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
    capacity: instances
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node dist/index.js'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
    }
  }
}

var botDomain = webApp.properties.defaultHostName
// The Application ID URI of the TapDesk Entra app (aad.manifest.json identifierUris) and Teams SSO audience.
var ssoResource = 'api://${botDomain}/botid-${identity.properties.clientId}'

// Every variable src/config.ts needs in entra mode (PORT is set by App Service itself), plus the few the
// platform reads. A separate resource, so the settings can use the Web App's own host name.
resource webAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    TAPDESK_MODE: 'entra'
    BOT_ID: identity.properties.clientId
    BOT_TYPE: 'UserAssignedMSI'
    BOT_TENANT_ID: identity.properties.tenantId
    AAD_APP_CLIENT_ID: aadAppClientId
    AAD_APP_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${oboSecret.properties.secretUri})'
    AAD_APP_TENANT_ID: aadAppTenantId
    AAD_APP_OAUTH_AUTHORITY_HOST: aadAppOauthAuthorityHost
    SSO_RESOURCE: ssoResource
    GRAPH_BASE_URL: graphBaseUrl
    OAUTH_CONNECTION_NAME: oauthConnectionName
    STORE: 'tables'
    AZURE_TABLES_ENDPOINT: 'https://${storage.name}.table.${environment().suffixes.storage}'
    AZURE_TABLES_PREFIX: tablesPrefix
    // DefaultAzureCredential (@azure/identity) picks this user-assigned identity for Table Storage.
    AZURE_CLIENT_ID: identity.properties.clientId
    REQUEST_TTL_MINUTES: requestTtlMinutes
    TAP_LIMIT_PER_ISSUER_PER_HOUR: tapLimitPerIssuerPerHour
    TAP_LIMIT_PER_TARGET_PER_DAY: tapLimitPerTargetPerDay
    TAP_LIMIT_TENANT_PER_HOUR: tapLimitTenantPerHour
    TAP_MAX_LIFETIME_MINUTES: tapMaxLifetimeMinutes
    NOTICE_EXPIRING_LEAD_MINUTES: noticeExpiringLeadMinutes
    NOTICE_TENANT_RATE_PER_SECOND: string(50 / instances)
    APPROVAL_TTL_MINUTES: approvalTtlMinutes
    REQUESTER_GROUP_ID: requesterGroup
    APPROVERS_CONVERSATION: approvers
    APP_PERMISSIONS: appPermissionList
    DELIVER_TO: deliverTo
    REQUEST_API_CLIENTS: requestApiClientList
    ENTRA_EXTENSION_CALLERS: entraExtensionCallerList
    BULK_APPROVAL_ABOVE: bulkApprovalAbove
    BULK_CONCURRENCY: bulkConcurrency
    BULK_LEASE_SECONDS: bulkLeaseSeconds
    AUTOPILOT_GROUP_TAGS: groupTagList
    ONBOARDING_SETUP_MINUTES: onboardingSetupMinutes
    ONBOARDING_CHECK_MINUTES: onboardingCheckMinutes
    VERIFIED_ID_AUTHORITY: faceCheckAuthority
    VERIFIED_ID_CALLBACK_URL: faceCheckCallbackUrl
    VERIFIED_ID_ACCEPTED_ISSUERS: faceCheckIssuers
    FACE_CHECK_THRESHOLD: faceCheckThreshold
    FACE_CHECK_REQUIRED: faceCheckRequired
    ACS_ENDPOINT: empty(smsFrom) ? '' : 'https://${communication.properties.hostName}'
    ACS_SMS_FROM: smsFrom
    TEAMS_APP_CATALOG_ID: teamsCatalogId
    LOG_LEVEL: logLevel
    // Platform: App Insights agent, and Oryx builds the uploaded source on Linux (npm install, npm run build).
    APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
    ApplicationInsightsAgent_EXTENSION_VERSION: '~3'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
  }
  dependsOn: [
    tableDataRole
    oboSecretReader
    tables
    communicationSender
  ]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botDomain}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2021-03-01' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// The sign-in fallback of OAuth cards: Azure AD v2 with the TapDesk Entra app, token exchange URL = the
// SSO resource. Any token it yields is for TapDesk's own API (access_as_user), never a Graph scope.
resource oauthConnection 'Microsoft.BotService/botServices/connections@2022-09-15' = {
  parent: bot
  name: oauthConnectionName
  location: 'global'
  properties: {
    serviceProviderDisplayName: 'Azure Active Directory v2'
    serviceProviderId: aadV2ServiceProviderId
    clientId: aadAppClientId
    clientSecret: aadAppClientSecret
    scopes: 'openid profile offline_access ${ssoResource}/access_as_user'
    parameters: [
      {
        key: 'tenantID'
        value: aadAppTenantId
      }
      {
        key: 'tokenExchangeUrl'
        value: ssoResource
      }
    ]
  }
}

// Written to env/.env.<name> by the Toolkit (names upper-cased as they are here).
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = botDomain
output BOT_ENDPOINT string = 'https://${botDomain}'
output SSO_RESOURCE string = ssoResource
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_IDENTITY_RESOURCE_ID string = identity.id
output AZURE_BOT_NAME string = bot.name
output AZURE_TABLES_ENDPOINT string = 'https://${storage.name}.table.${environment().suffixes.storage}'
output AZURE_KEY_VAULT_NAME string = vault.name
