// m365agents.yml, the Toolkit project that provisions and deploys to Azure; broken copies must be rejected.
import { describe, expect, it } from 'vitest';
import { clone, devEnv, devProject, parametersText, readProjectFile } from './checks/sources.js';
import { projectProblems, type Action, type ProjectContext } from './checks/toolkit-project.js';

const devContext: ProjectContext = {
  env: devEnv,
  // Empty: the Toolkit asks for them (and writes them back) on the first `atk provision --env dev`.
  external: { AZURE_SUBSCRIPTION_ID: 'prompted', AZURE_RESOURCE_GROUP_NAME: 'prompted' },
  readFile: readProjectFile,
};

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
