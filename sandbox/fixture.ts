import { readFileSync } from 'node:fs';

/** A directory role held by a user, as the fixture lists it. */
export interface FixtureRole {
  displayName: string;
  roleTemplateId: string;
  /** `/` (tenant-wide, the default) or `/administrativeUnits/{id}`. */
  directoryScopeId?: string;
}

/** A PIM eligibility: the role can be activated, it is not held until then. */
export interface FixtureEligibleRole extends FixtureRole {
  /** ISO 8601 duration, the longest activation the role settings allow (e.g. `PT2H`). */
  maximumDuration?: string;
  requiresJustification?: boolean;
  requiresTicket?: boolean;
  requiresApproval?: boolean;
  /** Activation needs MFA in the caller's token (`amr` contains `mfa`). */
  requiresMfa?: boolean;
  /** A Conditional Access authentication context id (e.g. `c1`) the token's `acrs` must carry. */
  authenticationContext?: string;
}

/** A fixture user: Graph fields plus sandbox-only wiring (roles, manager, Teams id). */
export interface FixtureUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  userType: 'Member' | 'Guest';
  accountEnabled: boolean;
  jobTitle: string | null;
  department: string | null;
  roles: FixtureRole[];
  manager: string | null;
  teamsUserId: string;
  external?: boolean;
  mobilePhone?: string;
  /** HR's hire date (ISO); the Lifecycle Workflows callout of the admin API sets it. */
  employeeHireDate?: string;
  /** How the person signed in (`amr` of their tokens); absent means password and MFA. */
  amr?: string[];
  /** PIM eligibilities (not active roles); absent means none. */
  eligibleRoles?: FixtureEligibleRole[];
}

/** A fixture group; `isAssignableToRole` and `owners` are optional extensions. */
export interface FixtureGroup {
  id: string;
  displayName: string;
  members: string[];
  owners?: string[];
  isAssignableToRole?: boolean;
  roles?: FixtureRole[];
}

/** An app registration of the sandbox tenant that may use the client credentials grant. */
export interface FixtureClientApp {
  appId: string;
  displayName: string;
  clientSecret: string;
  /** Values of TapDesk's app roles (apps[0].appRoles) assigned to this client. */
  assignedAppRoles?: string[];
  /** Microsoft Graph application permissions an admin consented for this app. */
  consentedApplicationPermissions?: string[];
  /** Verified ID Request Service roles granted to this app (e.g. VerifiableCredential.Create.PresentRequest). */
  verifiedIdRoles?: string[];
  /** Catalog roles in entitlement management held by the app (e.g. Access package assignment manager). */
  catalogRoles?: string[];
}

/** An app role TapDesk's API defines (the `roles` claim of tokens for that API). */
export interface FixtureAppRole {
  value: string;
  id: string;
  allowedMemberTypes: string[];
  description?: string;
}

/** The bot's app registration in the sandbox tenant (apps[0]). */
export interface FixtureApp extends FixtureClientApp {
  ssoResource: string;
  ssoScope: string;
  consentedDelegatedScopes: string[];
  appRoles?: FixtureAppRole[];
}

/** An administrative unit; roles scoped to it carry `directoryScopeId: /administrativeUnits/{id}`. */
export interface FixtureAdministrativeUnit {
  id: string;
  displayName: string;
}

/** A Windows Autopilot device identity (Intune). */
export interface FixtureAutopilotDevice {
  id: string;
  serialNumber: string;
  manufacturer: string;
  model: string;
  groupTag: string;
  userPrincipalName: string;
  enrollmentState: string;
  /** Optional; empty when absent. */
  displayName?: string;
  addressableUserName?: string;
  /** Optional; when absent, enrolled devices were last seen when the sandbox (re)started, others never. */
  lastContactedDateTime?: string;
}

/** One include/exclude target of the TAP policy. */
export interface PolicyTarget {
  id: string;
  targetType: 'user' | 'group';
  isRegistrationRequired?: boolean;
}

/** The tenant's Temporary Access Pass policy. */
export interface TapPolicy {
  id: string;
  state: 'enabled' | 'disabled';
  defaultLifetimeInMinutes: number;
  defaultLength: number;
  minimumLifetimeInMinutes: number;
  maximumLifetimeInMinutes: number;
  isUsableOnce: boolean;
  includeTargets: PolicyTarget[];
  excludeTargets: PolicyTarget[];
}

/** The whole sandbox tenant fixture (`fixtures/contoso-tenant.json`). */
export interface TenantFixture {
  tenant: { id: string; displayName: string; domains: string[] };
  /** apps[0] is TapDesk; the others are clients of TapDesk's API. */
  apps: [FixtureApp, ...FixtureClientApp[]];
  roleTemplates: Record<string, string>;
  tapPolicy: TapPolicy;
  groups: FixtureGroup[];
  users: FixtureUser[];
  teams?: unknown;
  administrativeUnits?: FixtureAdministrativeUnit[];
  autopilot?: { groupTags: string[]; devices: FixtureAutopilotDevice[] };
  verifiedId?: { authority: string; credentialType: string; holders: string[] };
  communication?: { smsFrom: string; emailFrom: string; smsSenders?: string[] };
  /** The organisation's Teams app catalog (apps that can be installed for users through Graph). */
  teamsAppCatalog?: FixtureTeamsApp[];
}

/** A Teams app in the org catalog: its catalog id, manifest id and the Entra app it belongs to. */
export interface FixtureTeamsApp {
  id: string;
  externalId: string;
  displayName: string;
  azureADAppId: string;
}

const fixtureUrl = new URL('../fixtures/contoso-tenant.json', import.meta.url);

/** Reads and parses the Contoso fixture; a fresh copy each call so callers cannot corrupt shared state. */
export function loadTenantFixture(): TenantFixture {
  const parsed = JSON.parse(readFileSync(fixtureUrl, 'utf8')) as TenantFixture;
  if (!parsed.tenant?.id || !Array.isArray(parsed.users) || !parsed.apps?.[0]) {
    throw new Error(`Sandbox fixture ${fixtureUrl.pathname} is missing tenant, users or apps`);
  }
  return parsed;
}
