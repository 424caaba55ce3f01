// ENTRA_EXTENSION_CALLERS through loadConfig: which custom extension routes are on, and clear errors.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const sandbox = {
  TAPDESK_MODE: 'sandbox',
  SANDBOX_URL: 'https://127.0.0.1:4443/_sandbox',
  AAD_APP_CLIENT_ID: 'e80c831c-776c-55ce-aec6-f90b910f57f0',
  AAD_APP_CLIENT_SECRET: 'secret',
  AAD_APP_TENANT_ID: '983d3322-0fcd-5c35-a4d1-3a425390a6f9',
  AAD_APP_OAUTH_AUTHORITY_HOST: 'https://127.0.0.1:4443',
  GRAPH_BASE_URL: 'https://127.0.0.1:4443/v1.0',
  SSO_RESOURCE: 'api://localhost/botid-e80c831c-776c-55ce-aec6-f90b910f57f0',
  APPROVERS_CONVERSATION: '19:approvals@thread.tacv2',
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

describe('ENTRA_EXTENSION_CALLERS', () => {
  it('is empty (both routes off) by default; a kind alone is Entra’s first-party app', () => {
    expect(loadConfig(sandbox).extensionCallers).toEqual([]);
    expect(loadConfig({ ...sandbox, ENTRA_EXTENSION_CALLERS: 'lifecycle-task' }).extensionCallers).toEqual([
      { kind: 'lifecycle-task', appId: 'ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7' },
    ]);
  });

  it('names a bad entry, and needs APPROVERS_CONVERSATION', () => {
    expect(problems({ ...sandbox, ENTRA_EXTENSION_CALLERS: 'access-packages' })).toEqual([
      expect.stringMatching(
        /^ENTRA_EXTENSION_CALLERS has 'access-packages': each entry is 'access-package' or/,
      ),
    ]);
    expect(
      problems({ ...sandbox, APPROVERS_CONVERSATION: '', ENTRA_EXTENSION_CALLERS: 'access-package' }),
    ).toEqual([
      expect.stringContaining('ENTRA_EXTENSION_CALLERS is set but APPROVERS_CONVERSATION is empty'),
    ]);
  });
});
