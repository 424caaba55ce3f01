import { describe, expect, it } from 'vitest';
import { ConfigError, GRAPH_SCOPES, KNOWN_APP_PERMISSIONS, loadConfig } from '../src/config.js';

const sandbox = {
  TAPDESK_MODE: 'sandbox',
  SANDBOX_URL: 'https://127.0.0.1:4443/_sandbox',
  AAD_APP_CLIENT_ID: 'e80c831c-776c-55ce-aec6-f90b910f57f0',
  AAD_APP_CLIENT_SECRET: 'secret',
  AAD_APP_TENANT_ID: '983d3322-0fcd-5c35-a4d1-3a425390a6f9',
  AAD_APP_OAUTH_AUTHORITY_HOST: 'https://127.0.0.1:4443',
  GRAPH_BASE_URL: 'https://127.0.0.1:4443/v1.0',
  SSO_RESOURCE: 'api://localhost/botid-e80c831c-776c-55ce-aec6-f90b910f57f0',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config', () => {
  it('accepts a complete sandbox config with defaults filled in', () => {
    const config = loadConfig(sandbox);
    expect(config.mode).toBe('sandbox');
    expect(config.port).toBe(3978);
    expect(config.requestTtlMinutes).toBe(10);
    expect(config.bot.appId).toBe('');
  });

  it('asks Graph for the least-privilege delegated scopes only', () => {
    expect(GRAPH_SCOPES).toEqual([
      'https://graph.microsoft.com/User.Read.All',
      'https://graph.microsoft.com/UserAuthMethod-TAP.ReadWrite.All',
      'https://graph.microsoft.com/Policy.Read.AuthenticationMethod',
    ]);
  });

  it('reads APP_PERMISSIONS as a list of known read-only application permissions, empty by default', () => {
    expect(loadConfig(sandbox).appPermissions).toEqual([]);
    expect(
      loadConfig({
        ...sandbox,
        APP_PERMISSIONS:
          ' rolemanagement.read.directory, Policy.Read.AuthenticationMethod,,RoleManagement.Read.Directory',
      }).appPermissions,
    ).toEqual(['RoleManagement.Read.Directory', 'Policy.Read.AuthenticationMethod']);
    expect(
      loadConfig({ ...sandbox, APP_PERMISSIONS: KNOWN_APP_PERMISSIONS.join(',') }).appPermissions,
    ).toEqual([...KNOWN_APP_PERMISSIONS]);
    for (const forbidden of [
      'UserAuthMethod-TAP.ReadWrite.All',
      'UserAuthenticationMethod.ReadWrite.All',
      'User.Read.All',
    ]) {
      const found = problems({ ...sandbox, APP_PERMISSIONS: `RoleManagement.Read.Directory,${forbidden}` });
      expect(found, forbidden).toHaveLength(1);
      expect(found[0]).toMatch(new RegExp(`^APP_PERMISSIONS has '${forbidden.replace(/[.]/g, '\\.')}'`));
    }
  });

  it('names every missing or malformed variable and how to fix it, all at once', () => {
    const found = problems({ TAPDESK_MODE: 'entra', AAD_APP_CLIENT_ID: 'abc', PORT: 'eighty' });
    expect(found.some((p) => p.startsWith('AAD_APP_CLIENT_ID') && p.includes('GUID'))).toBe(true);
    expect(
      found.some((p) => p.startsWith('AAD_APP_CLIENT_SECRET is missing') && p.includes('npm run sandbox')),
    ).toBe(true);
    expect(found.some((p) => p.startsWith('AAD_APP_TENANT_ID'))).toBe(true);
    expect(found.some((p) => p.startsWith('SSO_RESOURCE'))).toBe(true);
    expect(found.some((p) => p.startsWith("PORT is 'eighty'"))).toBe(true);
  });

  it("accepts the Toolkit's SECRET_* names for secrets", () => {
    const withToolkitName = { ...sandbox, AAD_APP_CLIENT_SECRET: '', SECRET_AAD_APP_CLIENT_SECRET: 's3' };
    expect(loadConfig(withToolkitName).entraApp.clientSecret).toBe('s3');
  });

  it('requires an explicit mode', () => {
    expect(problems({ ...sandbox, TAPDESK_MODE: '' })[0]).toMatch(
      /^TAPDESK_MODE is missing: must be 'sandbox'/,
    );
  });

  it('refuses sandbox mode against a real authority, Graph or a registered bot', () => {
    expect(
      problems({ ...sandbox, AAD_APP_OAUTH_AUTHORITY_HOST: 'https://login.microsoftonline.com' })[0],
    ).toMatch(/^AAD_APP_OAUTH_AUTHORITY_HOST must be an https:\/\/127\.0\.0\.1 address in sandbox mode/);
    expect(problems({ ...sandbox, GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0' })[0]).toMatch(
      /^GRAPH_BASE_URL/,
    );
    expect(
      problems({ ...sandbox, BOT_ID: '11111111-2222-4333-8444-555555555555', BOT_PASSWORD: 'x' })[0],
    ).toMatch(/^BOT_ID must be empty in sandbox mode/);
  });

  it("reads the notice sender's tenant share from NOTICE_TENANT_RATE_PER_SECOND", () => {
    expect(loadConfig(sandbox).notices.tenantRatePerSecond).toBe(50);
    expect(
      loadConfig({ ...sandbox, NOTICE_TENANT_RATE_PER_SECOND: '16.5' }).notices.tenantRatePerSecond,
    ).toBe(16.5);
    expect(problems({ ...sandbox, NOTICE_TENANT_RATE_PER_SECOND: '0' })[0]).toMatch(
      /^NOTICE_TENANT_RATE_PER_SECOND is '0'/,
    );
  });

  it('keeps sandbox mode on loopback', () => {
    expect(loadConfig(sandbox).host).toBe('127.0.0.1');
    expect(problems({ ...sandbox, HOST: '0.0.0.0' })[0]).toMatch(
      /^HOST must be 127\.0\.0\.1 in sandbox mode/,
    );
  });

  it('refuses entra mode without inbound auth unless a loopback-only test run opts out', () => {
    const entra = { ...sandbox, TAPDESK_MODE: 'entra', SANDBOX_URL: '' };
    expect(problems(entra)[0]).toMatch(/^BOT_ID is missing: entra mode needs/);
    expect(problems({ ...entra, TAPDESK_ALLOW_UNAUTHENTICATED: 'loopback-only' })[0]).toMatch(
      /^BOT_ID is missing/,
    );
    expect(problems({ ...entra, TAPDESK_ALLOW_UNAUTHENTICATED: 'loopback-only', HOST: '127.0.0.1' })).toEqual(
      [],
    );
  });

  it('refuses a sandbox URL in entra mode and a bot id without its secret', () => {
    const found = problems({
      ...sandbox,
      TAPDESK_MODE: 'entra',
      BOT_ID: '11111111-2222-4333-8444-555555555555',
    });
    expect(found.some((p) => p.startsWith('SANDBOX_URL is set but TAPDESK_MODE is entra'))).toBe(true);
    expect(found.some((p) => p.startsWith('BOT_PASSWORD is missing'))).toBe(true);
  });
});
