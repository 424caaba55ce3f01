import { z } from 'zod';
import { readStoreSettings, type StoreSettings } from './store/settings.js';
import type { IssueLimits } from './tap/limits.js';
import type { ApprovalSettings } from './tap/core-deps.js';
import type { OnboardingSettings } from './onboard/settings.js';
import { parseRequestApiClients, type RequestApiClient } from './requests/clients-config.js';
import { parseExtensionCallers, type ExtensionCaller } from './extensions/callers.js';
import { FACE_CHECK_CALLBACK_PATH, type FaceCheckSettings } from './facecheck/settings.js';
import { readDeliverySettings, type DeliverySettings } from './delivery/settings.js';

/** Thrown when the environment cannot produce a valid config; the message names each variable and its fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`TapDesk cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Application ID URI Teams SSO tokens are issued for, as the Toolkit's bot SSO names it. Exported so
 * the Teams app package's webApplicationInfo.resource is checked against the same shape.
 */
export const SSO_RESOURCE_PATTERN = /^api:\/\/.+\/botid-[0-9a-f-]{36}$/i;

/**
 * The Graph scopes TapDesk asks for in the OBO exchange; all delegated, admin-consented, least privilege:
 * user, manager, role and own-group reads (User.Read.All), list/create/delete of passes
 * (UserAuthMethod-TAP.ReadWrite.All, which also covers reading them), and the TAP policy
 * (Policy.Read.AuthenticationMethod).
 */
export const GRAPH_SCOPES = [
  'https://graph.microsoft.com/User.Read.All',
  'https://graph.microsoft.com/UserAuthMethod-TAP.ReadWrite.All',
  'https://graph.microsoft.com/Policy.Read.AuthenticationMethod',
];

/**
 * The Graph scope the device search asks for, in an OBO exchange of its own: reading Windows Autopilot
 * devices in Intune, least privilege. Kept out of GRAPH_SCOPES so that a tenant which has not (yet)
 * consented to it loses only the device commands, never the passes.
 */
export const DEVICE_READ_SCOPES = ['https://graph.microsoft.com/DeviceManagementServiceConfig.Read.All'];

/**
 * The Graph scope onboarding asks for at Confirm, in an OBO exchange of its own: setting an Autopilot
 * device's user and group tag. Asked for only when an admin confirms an onboarding, never for reads.
 */
export const DEVICE_WRITE_SCOPES = [
  'https://graph.microsoft.com/DeviceManagementServiceConfig.ReadWrite.All',
];

/**
 * The Graph scopes of just-in-time role activation, in an OBO exchange of their own: reading the
 * clicker's own PIM eligibilities and self-activating one. Least privilege for each (next-wave §2.1,
 * §2.3); kept out of GRAPH_SCOPES so a tenant without consent to them loses only the Activate button.
 */
export const PIM_SCOPES = [
  'https://graph.microsoft.com/RoleEligibilitySchedule.Read.Directory',
  'https://graph.microsoft.com/RoleAssignmentSchedule.ReadWrite.Directory',
];

/**
 * The Microsoft Graph APPLICATION permissions TapDesk can use with its own identity (app-only tokens):
 * reading role assignments and eligibilities, reading the TAP policy, reading Windows Autopilot devices
 * (the onboarding follow-through), installing itself for a person it must reach. None can write an authentication method; APP_PERMISSIONS accepts nothing else.
 */
export const KNOWN_APP_PERMISSIONS = [
  'RoleManagement.Read.Directory',
  'DeviceManagementServiceConfig.Read.All',
  'Policy.Read.AuthenticationMethod',
  'TeamsAppInstallation.ReadWriteSelfForUser.All',
] as const;

/** The `.default` scope of Graph, the only scope an app-only (client credentials) token can ask for. */
export const GRAPH_APP_SCOPE = 'https://graph.microsoft.com/.default';

export interface TapDeskConfig {
  mode: 'sandbox' | 'entra';
  port: number;
  host: string;
  /** Empty means inbound Bot Framework auth is off: only for local runs and the sandbox. */
  bot: {
    appId: string;
    appPassword: string;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    tenantId: string;
  };
  entraApp: {
    clientId: string;
    clientSecret: string;
    tenantId: string;
    authorityHost: string;
    ssoResource: string;
  };
  graphBaseUrl: string;
  /**
   * Application permissions an admin consented for TapDesk's own identity (APP_PERMISSIONS), in the
   * spelling of KNOWN_APP_PERMISSIONS; empty means TapDesk makes no app-only Graph call.
   */
  appPermissions: string[];
  /** PEM file of an extra CA to trust for Entra and Graph calls (the sandbox's self-signed CA). */
  caFile: string | undefined;
  /** Only in sandbox mode: the sandbox admin API that stands in for Teams SSO. */
  sandboxUrl: string | undefined;
  oauthConnectionName: string;
  requestTtlMinutes: number;
  store: StoreSettings;
  limits: IssueLimits;
  maxLifetimeMinutes: number;
  notices: { expiringLeadMinutes: number; tenantRatePerSecond: number };
  approvals: ApprovalSettings;
  bulk: { approvalAbove: number; concurrency: number; leaseSeconds: number };
  /** Autopilot onboarding: the group tags offered, Windows setup's length, the follow-through's pace. */
  onboarding: OnboardingSettings;
  logLevel: string;
  /** Set (the Bicep does): security events go to Application Insights as OpenTelemetry logs. */
  applicationInsightsConnectionString: string | undefined;
  /** REQUEST_API_CLIENTS: the systems that may call POST /api/requests; empty turns the API off. */
  requestApiClients: RequestApiClient[];
  /** ENTRA_EXTENSION_CALLERS: which Entra custom extension routes are on, and the app Entra signs each as. */
  extensionCallers: ExtensionCaller[];
  /** Face Check with Verified ID before Confirm; undefined when VERIFIED_ID_AUTHORITY is unset. */
  faceCheck: FaceCheckSettings | undefined;
  /** Delivery to a manager or by SMS (ACS_ENDPOINT, ACS_SMS_FROM, TEAMS_APP_CATALOG_ID). */
  delivery: DeliverySettings;
}

type Env = Record<string, string | undefined>;

const httpsUrl = z
  .string()
  .url()
  .refine((u) => u.startsWith('https://'), 'must start with https://');

const rules = {
  TAPDESK_MODE: z.enum(['sandbox', 'entra'], {
    errorMap: () => ({ message: "must be 'sandbox' (local Contoso tenant) or 'entra' (a real tenant)" }),
  }),
  PORT: z.coerce.number().int().min(0).max(65535),
  HOST: z.string().min(1),
  BOT_ID: z.union([z.literal(''), z.string().regex(GUID, 'must be the Azure Bot app id (a GUID)')]),
  BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']),
  AAD_APP_CLIENT_ID: z.string().regex(GUID, 'must be the Entra app (client) id, a GUID'),
  AAD_APP_CLIENT_SECRET: z.string().min(1, 'must be the Entra app client secret'),
  AAD_APP_TENANT_ID: z.string().regex(GUID, 'must be your directory (tenant) id, a GUID'),
  AAD_APP_OAUTH_AUTHORITY_HOST: httpsUrl,
  GRAPH_BASE_URL: httpsUrl,
  SSO_RESOURCE: z.string().regex(SSO_RESOURCE_PATTERN, "must look like 'api://<domain>/botid-<app id>'"),
  REQUEST_TTL_MINUTES: z.coerce.number().int().min(1).max(60),
  TAP_LIMIT_PER_ISSUER_PER_HOUR: z.coerce.number().int().min(0).max(10_000),
  TAP_LIMIT_PER_TARGET_PER_DAY: z.coerce.number().int().min(0).max(1_000),
  TAP_LIMIT_TENANT_PER_HOUR: z.coerce.number().int().min(0).max(100_000),
  TAP_MAX_LIFETIME_MINUTES: z.coerce.number().int().min(10).max(43_200),
  NOTICE_EXPIRING_LEAD_MINUTES: z.coerce.number().int().min(1).max(1_440),
  NOTICE_TENANT_RATE_PER_SECOND: z.coerce.number().min(0.1).max(50),
  REQUESTER_GROUP_ID: z.union([
    z.literal(''),
    z
      .string()
      .regex(GUID, 'must be the object id (a GUID) of the Entra group whose members may request passes'),
  ]),
  // Teams conversation ids: channels and group chats are "19:…@thread.tacv2" / "19:…@thread.v2".
  APPROVERS_CONVERSATION: z.union([
    z.literal(''),
    z
      .string()
      .regex(
        /^19:[^\s]+@thread\.(tacv2|v2|skype)$/,
        "must be a Teams channel or group chat id like '19:…@thread.tacv2' (see docs/deploy.md, Approvals)",
      ),
  ]),
  APPROVAL_TTL_MINUTES: z.coerce.number().int().min(5).max(1_440),
  BULK_APPROVAL_ABOVE: z.coerce.number().int().min(0).max(5_000),
  BULK_CONCURRENCY: z.coerce.number().int().min(1).max(16),
  BULK_LEASE_SECONDS: z.coerce.number().int().min(1).max(3_600),
  // Group tags are one profile's key each: letters, digits, spaces, dots, dashes, underscores.
  AUTOPILOT_GROUP_TAGS: z
    .string()
    .regex(
      /^(?:[A-Za-z0-9 _.-]{1,64})?(?:,[A-Za-z0-9 _.-]{1,64})*$/,
      "must be a comma list of Autopilot group tags (letters, digits, spaces, '.', '-', '_'; up to 64 each)",
    ),
  ONBOARDING_SETUP_MINUTES: z.coerce.number().int().min(10).max(1_440),
  ONBOARDING_CHECK_MINUTES: z.coerce.number().int().min(1).max(60),
  VERIFIED_ID_AUTHORITY: z.union([
    z.literal(''),
    z
      .string()
      .regex(
        /^did:[a-z0-9]+:\S+$/,
        "must be your Verified ID verifier's DID, like 'did:web:verifiedid.contoso.com'",
      ),
  ]),
  VERIFIED_ID_API_URL: httpsUrl,
  VERIFIED_ID_CALLBACK_URL: z.union([z.literal(''), z.string().url()]),
  FACE_CHECK_THRESHOLD: z.coerce.number().int().min(50).max(100),
  FACE_CHECK_REQUIRED: z.enum(['true', 'false'], {
    errorMap: () => ({ message: "must be 'true' (Confirm needs a passing Face Check) or 'false'" }),
  }),
  DELIVER_TO: z.enum(['approver', 'requester'], {
    errorMap: () => ({
      message: "must be 'approver' (shown to whoever approves) or 'requester' (a one-time Reveal card)",
    }),
  }),
};

/** Defaults of the variables that have one, as environment strings; docs/configuration.md lists them. */
export const CONFIG_DEFAULTS: Readonly<Env> = {
  PORT: '3978',
  HOST: '0.0.0.0',
  BOT_ID: '',
  BOT_TYPE: 'MultiTenant',
  AAD_APP_OAUTH_AUTHORITY_HOST: 'https://login.microsoftonline.com',
  GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0',
  REQUEST_TTL_MINUTES: '10',
  TAP_LIMIT_PER_ISSUER_PER_HOUR: '20',
  TAP_LIMIT_PER_TARGET_PER_DAY: '3',
  TAP_LIMIT_TENANT_PER_HOUR: '100',
  TAP_MAX_LIFETIME_MINUTES: '480',
  NOTICE_EXPIRING_LEAD_MINUTES: '15',
  // Teams allows about 50 requests/s per app per tenant; each instance paces itself to its share.
  NOTICE_TENANT_RATE_PER_SECOND: '50',
  REQUESTER_GROUP_ID: '',
  APPROVERS_CONVERSATION: '',
  APPROVAL_TTL_MINUTES: '60',
  DELIVER_TO: 'approver',
  // Below the per-issuer hourly limit (20), so a second admin is asked before that limit refuses;
  // an approved bulk is held to the tenant's limit only.
  BULK_APPROVAL_ABOVE: '10',
  BULK_CONCURRENCY: '4',
  BULK_LEASE_SECONDS: '60',
  AUTOPILOT_GROUP_TAGS: '',
  ONBOARDING_SETUP_MINUTES: '120',
  ONBOARDING_CHECK_MINUTES: '5',
  VERIFIED_ID_AUTHORITY: '',
  VERIFIED_ID_API_URL: 'https://verifiedid.did.msidentity.com/v1.0',
  VERIFIED_ID_CALLBACK_URL: '',
  VERIFIED_ID_ACCEPTED_ISSUERS: '',
  FACE_CHECK_THRESHOLD: '70',
  FACE_CHECK_REQUIRED: 'false',
};

const hints: Record<string, string> = {
  AAD_APP_CLIENT_ID: 'set it in env/.env.<name> (the Toolkit fills it on provision)',
  AAD_APP_CLIENT_SECRET:
    'set SECRET_AAD_APP_CLIENT_SECRET in env/.env.<name>.user, or run `npm run sandbox` to try without Azure',
  AAD_APP_TENANT_ID: 'find it in the Entra admin center, Overview, Tenant ID',
  SSO_RESOURCE: 'the Application ID URI of the Entra app (Expose an API)',
};

/** APP_PERMISSIONS: a comma list of KNOWN_APP_PERMISSIONS (any case), deduplicated, in canonical spelling. */
function parseAppPermissions(raw: string | undefined, problems: string[]): string[] {
  const names = (raw ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (const name of names) {
    const known = KNOWN_APP_PERMISSIONS.find((k) => k.toLowerCase() === name.toLowerCase());
    if (!known) {
      problems.push(
        `APP_PERMISSIONS has '${name}': must be a comma list of the application permissions consented for TapDesk, among ${KNOWN_APP_PERMISSIONS.join(', ')} (or empty)`,
      );
    } else if (!out.includes(known)) {
      out.push(known);
    }
  }
  return out;
}

function isLoopbackUrl(value: string | undefined): boolean {
  if (!value) return false;
  try {
    const host = new URL(value).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

/**
 * Face Check: on when VERIFIED_ID_AUTHORITY is set. Its callback URL must then name TapDesk's callback
 * path, over HTTPS (the Request Service calls it from the internet), or loopback HTTP in sandbox mode.
 */
function readFaceCheck(
  env: Env,
  read: <K extends keyof typeof rules>(name: K) => z.infer<(typeof rules)[K]> | undefined,
  problems: string[],
): FaceCheckSettings | undefined {
  const authority = read('VERIFIED_ID_AUTHORITY');
  const apiBaseUrl = read('VERIFIED_ID_API_URL');
  const callbackUrl = read('VERIFIED_ID_CALLBACK_URL');
  const threshold = read('FACE_CHECK_THRESHOLD');
  const required = read('FACE_CHECK_REQUIRED') === 'true';
  const acceptedIssuers = (env.VERIFIED_ID_ACCEPTED_ISSUERS ?? '')
    .split(',')
    .map((i) => i.trim())
    .filter(Boolean);
  for (const issuer of acceptedIssuers)
    if (!/^did:[a-z0-9]+:\S+$/.test(issuer))
      problems.push(
        `VERIFIED_ID_ACCEPTED_ISSUERS has '${issuer}': must be a comma list of issuer DIDs (did:web:…)`,
      );
  if (!authority) {
    if (required)
      problems.push(
        'FACE_CHECK_REQUIRED is true but VERIFIED_ID_AUTHORITY is missing: set your verifier DID, or FACE_CHECK_REQUIRED=false',
      );
    return undefined;
  }
  const sandbox = env.TAPDESK_MODE === 'sandbox';
  const callbackOk = isCallbackUrl(callbackUrl, sandbox);
  if (!callbackOk)
    problems.push(
      `VERIFIED_ID_CALLBACK_URL ${callbackUrl ? `is '${callbackUrl}'` : 'is missing'}: with VERIFIED_ID_AUTHORITY set it must be TapDesk's public https:// address ending in ${FACE_CHECK_CALLBACK_PATH} (a 127.0.0.1 address in sandbox mode)`,
    );
  if (sandbox && apiBaseUrl && !isLoopbackUrl(apiBaseUrl))
    problems.push(
      `VERIFIED_ID_API_URL must be an https://127.0.0.1 address in sandbox mode (it is '${apiBaseUrl}')`,
    );
  if (!apiBaseUrl || threshold === undefined) return undefined;
  return {
    authority,
    apiBaseUrl: apiBaseUrl.replace(/\/+$/, ''),
    callbackUrl: callbackUrl ?? '',
    acceptedIssuers,
    threshold,
    required,
  };
}

/** The Face Check callback URL: TapDesk's callback path, over HTTPS, or on loopback in sandbox mode. */
function isCallbackUrl(value: string | undefined, sandbox: boolean): boolean {
  try {
    const url = new URL(value ?? '');
    if (url.pathname !== FACE_CHECK_CALLBACK_PATH) return false;
    return sandbox ? isLoopbackUrl(url.href) : url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Reads, validates and cross-checks the environment; throws ConfigError listing every problem at once. */
export function loadConfig(rawEnv: Env): TapDeskConfig {
  // The Agents Toolkit keeps secrets as SECRET_* in env/.env.<name>.user; accept those names too.
  const env: Env = {
    ...rawEnv,
    AAD_APP_CLIENT_SECRET: rawEnv.AAD_APP_CLIENT_SECRET || rawEnv.SECRET_AAD_APP_CLIENT_SECRET,
    BOT_PASSWORD: rawEnv.BOT_PASSWORD || rawEnv.SECRET_BOT_PASSWORD,
  };
  const problems: string[] = [];
  // The sandbox hands out any user's identity, so by default it listens on loopback only.
  const defaultFor = (name: string) =>
    name === 'HOST' && env.TAPDESK_MODE === 'sandbox' ? '127.0.0.1' : CONFIG_DEFAULTS[name];
  const read = <K extends keyof typeof rules>(name: K): z.infer<(typeof rules)[K]> | undefined => {
    const raw = env[name] === undefined || env[name] === '' ? defaultFor(name) : env[name];
    const parsed = rules[name].safeParse(raw ?? '');
    if (parsed.success) return parsed.data as z.infer<(typeof rules)[K]>;
    const shown = raw === undefined || raw === '' ? 'is missing' : `is '${raw}'`;
    const hint = hints[name] ? `; ${hints[name]}` : '';
    problems.push(`${name} ${shown}: ${parsed.error.issues[0]?.message ?? 'invalid'}${hint}`);
    return undefined;
  };

  const mode = read('TAPDESK_MODE');
  const storeSettings = readStoreSettings(env);
  problems.push(...storeSettings.problems);
  const config = {
    mode,
    port: read('PORT'),
    host: read('HOST'),
    bot: {
      appId: read('BOT_ID') ?? '',
      appPassword: env.BOT_PASSWORD ?? '',
      appType: read('BOT_TYPE'),
      tenantId: env.BOT_TENANT_ID ?? '',
    },
    entraApp: {
      clientId: read('AAD_APP_CLIENT_ID'),
      clientSecret: read('AAD_APP_CLIENT_SECRET'),
      tenantId: read('AAD_APP_TENANT_ID'),
      authorityHost: read('AAD_APP_OAUTH_AUTHORITY_HOST'),
      ssoResource: read('SSO_RESOURCE'),
    },
    graphBaseUrl: read('GRAPH_BASE_URL'),
    appPermissions: parseAppPermissions(env.APP_PERMISSIONS, problems),
    caFile: env.TAPDESK_CA_FILE || undefined,
    sandboxUrl: env.SANDBOX_URL || undefined,
    oauthConnectionName: env.OAUTH_CONNECTION_NAME || 'graph',
    requestTtlMinutes: read('REQUEST_TTL_MINUTES'),
    store: storeSettings.settings,
    limits: {
      perIssuerPerHour: read('TAP_LIMIT_PER_ISSUER_PER_HOUR'),
      perTargetPerDay: read('TAP_LIMIT_PER_TARGET_PER_DAY'),
      tenantPerHour: read('TAP_LIMIT_TENANT_PER_HOUR'),
    },
    maxLifetimeMinutes: read('TAP_MAX_LIFETIME_MINUTES'),
    notices: {
      expiringLeadMinutes: read('NOTICE_EXPIRING_LEAD_MINUTES'),
      tenantRatePerSecond: read('NOTICE_TENANT_RATE_PER_SECOND'),
    },
    approvals: {
      requesterGroupId: read('REQUESTER_GROUP_ID') || undefined,
      approversConversationId: read('APPROVERS_CONVERSATION') || undefined,
      ttlMinutes: read('APPROVAL_TTL_MINUTES'),
      deliverTo: read('DELIVER_TO'),
    },
    bulk: {
      approvalAbove: read('BULK_APPROVAL_ABOVE'),
      concurrency: read('BULK_CONCURRENCY'),
      leaseSeconds: read('BULK_LEASE_SECONDS'),
    },
    onboarding: {
      groupTags: (read('AUTOPILOT_GROUP_TAGS') ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
      setupMinutes: read('ONBOARDING_SETUP_MINUTES'),
      checkMinutes: read('ONBOARDING_CHECK_MINUTES'),
    },
    logLevel: env.LOG_LEVEL || 'info',
    applicationInsightsConnectionString: env.APPLICATIONINSIGHTS_CONNECTION_STRING || undefined,
    requestApiClients: parseRequestApiClients(env.REQUEST_API_CLIENTS, problems),
    extensionCallers: parseExtensionCallers(env.ENTRA_EXTENSION_CALLERS, problems),
    faceCheck: readFaceCheck(env, read, problems),
    delivery: readDeliverySettings(
      {
        ACS_ENDPOINT: env.ACS_ENDPOINT,
        ACS_SMS_FROM: env.ACS_SMS_FROM,
        TEAMS_APP_CATALOG_ID: env.TEAMS_APP_CATALOG_ID,
      },
      problems,
    ),
  };

  problems.push(...crossCheckProblems(config as TapDeskConfig, env));
  if (problems.length > 0) throw new ConfigError(problems);
  return config as TapDeskConfig;
}

/**
 * The checks between settings: sandbox mode never meets a real tenant or the network, entra mode
 * never runs without inbound auth, a registered bot has its credentials. Each problem names the fix.
 */
function crossCheckProblems(config: TapDeskConfig, env: Env): string[] {
  const problems: string[] = [];
  if (config.mode === 'sandbox') {
    // The sandbox hands out SSO assertions for any user without a password, so it must never be
    // mixed with a real tenant or a public endpoint.
    for (const name of ['SANDBOX_URL', 'AAD_APP_OAUTH_AUTHORITY_HOST', 'GRAPH_BASE_URL'] as const) {
      const value =
        name === 'SANDBOX_URL'
          ? config.sandboxUrl
          : name === 'GRAPH_BASE_URL'
            ? config.graphBaseUrl
            : config.entraApp.authorityHost;
      if (!isLoopbackUrl(value)) {
        problems.push(
          `${name} must be an https://127.0.0.1 address in sandbox mode (it is '${value ?? ''}'); sandbox mode never talks to a real tenant`,
        );
      }
    }
    if (config.host !== '127.0.0.1' && config.host !== 'localhost') {
      problems.push(
        `HOST must be 127.0.0.1 in sandbox mode (it is '${config.host}'); the sandbox must not be reachable from the network`,
      );
    }
    if (config.bot.appId) {
      problems.push(
        'BOT_ID must be empty in sandbox mode: a registered bot means real Teams traffic; use TAPDESK_MODE=entra',
      );
    }
  } else if (config.mode === 'entra') {
    if (config.sandboxUrl) {
      problems.push(
        'SANDBOX_URL is set but TAPDESK_MODE is entra; remove SANDBOX_URL (the sandbox stands in for Teams SSO only in sandbox mode)',
      );
    }
    // Without inbound auth anyone who can reach /api/messages could claim any from.aadObjectId and
    // ride on an SSO assertion TapDesk holds for that user. Only a loopback-bound test run may opt out.
    const optOut = env.TAPDESK_ALLOW_UNAUTHENTICATED === 'loopback-only' && config.host === '127.0.0.1';
    if (!config.bot.appId && !optOut) {
      problems.push(
        "BOT_ID is missing: entra mode needs the Azure Bot's app id so Bot Framework tokens are checked on /api/messages (for a loopback-only test run: HOST=127.0.0.1 and TAPDESK_ALLOW_UNAUTHENTICATED=loopback-only)",
      );
    }
  }
  if (config.bot.appId && config.bot.appType !== 'UserAssignedMSI' && !config.bot.appPassword) {
    problems.push(
      'BOT_PASSWORD is missing: a BOT_ID of type MultiTenant/SingleTenant needs its client secret',
    );
  }
  // Every request from another system becomes an approval card: without approvers it could go nowhere.
  if (config.requestApiClients.length > 0 && !config.approvals.approversConversationId) {
    problems.push(
      'REQUEST_API_CLIENTS is set but APPROVERS_CONVERSATION is empty: requests from other systems are decided by approvers; set APPROVERS_CONVERSATION or empty REQUEST_API_CLIENTS',
    );
  }
  if (config.extensionCallers.length > 0 && !config.approvals.approversConversationId) {
    problems.push(
      'ENTRA_EXTENSION_CALLERS is set but APPROVERS_CONVERSATION is empty: every custom extension callout is decided by approvers; set APPROVERS_CONVERSATION or empty ENTRA_EXTENSION_CALLERS',
    );
  }
  if (config.bot.appId && config.bot.appType !== 'MultiTenant' && !config.bot.tenantId) {
    problems.push('BOT_TENANT_ID is missing: single-tenant and managed-identity bots need the tenant id');
  }
  return problems;
}
