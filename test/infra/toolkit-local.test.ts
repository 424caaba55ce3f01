// m365agents.local.yml, the Toolkit project for a real tenant through a dev tunnel.
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER } from './checks/env-template.js';
import { configProblems, GUID_A, GUID_B, GUID_C } from './checks/runtime-config.js';
import { aadManifest, clone, localEnv, localProject, read, readProjectFile } from './checks/sources.js';
import { projectProblems, type ProjectContext } from './checks/toolkit-project.js';

const localContext: ProjectContext = {
  env: localEnv,
  // Written into env/.env.local by the dev tunnel (Toolkit task or by hand) before provision.
  external: { BOT_ENDPOINT: 'dev tunnel', BOT_DOMAIN: 'dev tunnel' },
  readFile: readProjectFile,
};

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
