import { readFileSync } from 'node:fs';

/** A directory role held by a user, as the fixture lists it. */
export interface FixtureRole {
  displayName: string;
  roleTemplateId: string;
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

/** The bot's app registration in the sandbox tenant. */
export interface FixtureApp {
  appId: string;
  displayName: string;
  clientSecret: string;
  ssoResource: string;
  ssoScope: string;
  consentedDelegatedScopes: string[];
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
  apps: FixtureApp[];
  roleTemplates: Record<string, string>;
  tapPolicy: TapPolicy;
  groups: FixtureGroup[];
  users: FixtureUser[];
  teams?: unknown;
}

const fixtureUrl = new URL('../../fixtures/contoso-tenant.json', import.meta.url);

/** Reads and parses the Contoso fixture; a fresh copy each call so callers cannot corrupt shared state. */
export function loadTenantFixture(): TenantFixture {
  const parsed = JSON.parse(readFileSync(fixtureUrl, 'utf8')) as TenantFixture;
  if (!parsed.tenant?.id || !Array.isArray(parsed.users) || !parsed.apps?.[0]) {
    throw new Error(`Sandbox fixture ${fixtureUrl.pathname} is missing tenant, users or apps`);
  }
  return parsed;
}
