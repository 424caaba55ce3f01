// REQUEST_API_CLIENTS: which systems may call the request API, and the names approvers see.
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
const SN = '3658E7E7-D7A6-56A7-9FD4-C7C75344A5C2';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('REQUEST_API_CLIENTS', () => {
  it('is empty (the API off) by default', () => {
    expect(loadConfig(sandbox).requestApiClients).toEqual([]);
  });

  it('reads <client id>=<name> entries, ids in lower case, a bare id named after itself', () => {
    const config = loadConfig({
      ...sandbox,
      REQUEST_API_CLIENTS: ` ${SN}=ServiceNow (prod) , 5b0c3d52-7d8e-4f6a-9b1c-2d3e4f5a6b7c`,
    });
    expect(config.requestApiClients).toEqual([
      { clientId: SN.toLowerCase(), name: 'ServiceNow (prod)' },
      { clientId: '5b0c3d52-7d8e-4f6a-9b1c-2d3e4f5a6b7c', name: 'app 5b0c3d52' },
    ]);
  });

  it('names each bad entry and its fix', () => {
    const found = problems({
      ...sandbox,
      REQUEST_API_CLIENTS: `servicenow=ServiceNow,${SN}=<b>x</b>,${SN}=A,${SN}=B`,
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^REQUEST_API_CLIENTS has 'servicenow=ServiceNow': each entry must be '<client id>=<name>'/,
      ),
      expect.stringMatching(/^REQUEST_API_CLIENTS names 3658e7e7-.* '<b>x<\/b>': a name is 1 to 60/),
      expect.stringMatching(/^REQUEST_API_CLIENTS lists 3658e7e7-\S+ twice$/),
    ]);
  });

  it('needs APPROVERS_CONVERSATION: every request becomes an approval card', () => {
    expect(
      problems({ ...sandbox, APPROVERS_CONVERSATION: '', REQUEST_API_CLIENTS: `${SN}=ServiceNow` }),
    ).toEqual([expect.stringContaining('REQUEST_API_CLIENTS is set but APPROVERS_CONVERSATION is empty')]);
  });
});
