// Lists problems of a Toolkit project: unknown actions or parameters, a ${{VAR}} used before it is set.
import { bicepOutputs } from './bicep.js';
import { placeholdersIn, type EnvEntry } from './env-template.js';

export interface Action {
  uses?: string;
  name?: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
export interface Project {
  version?: unknown;
  environmentFolderPath?: unknown;
  provision?: Action[];
  deploy?: Action[];
  publish?: Action[];
}

/** Required and allowed `with` keys and required outputs of the actions used, from the Toolkit's yaml schema. */
const ACTIONS: Record<string, { required: string[]; allowed: string[]; writes?: string[] }> = {
  'teamsApp/create': { required: ['name'], allowed: ['name'], writes: ['teamsAppId'] },
  'aadApp/create': {
    required: ['name', 'generateClientSecret', 'signInAudience'],
    allowed: [
      'name',
      'generateClientSecret',
      'generateServicePrincipal',
      'signInAudience',
      'serviceManagementReference',
      'clientSecretExpireDays',
      'clientSecretDescription',
    ],
    writes: ['clientId', 'objectId'],
  },
  'aadApp/update': {
    required: ['manifestPath', 'outputFilePath'],
    allowed: ['manifestPath', 'outputFilePath'],
  },
  'arm/deploy': {
    required: ['subscriptionId', 'resourceGroupName', 'templates'],
    allowed: ['subscriptionId', 'resourceGroupName', 'templates', 'bicepCliVersion'],
  },
  'botFramework/create': {
    required: ['botId', 'name', 'messagingEndpoint'],
    allowed: ['botId', 'name', 'messagingEndpoint', 'description', 'iconUrl', 'channels'],
  },
  'teamsApp/validateManifest': { required: ['manifestPath'], allowed: ['manifestPath'] },
  'teamsApp/zipAppPackage': {
    required: ['manifestPath', 'outputZipPath', 'outputFolder'],
    allowed: ['manifestPath', 'outputZipPath', 'outputFolder'],
  },
  'teamsApp/validateAppPackage': { required: ['appPackagePath'], allowed: ['appPackagePath'] },
  'teamsApp/update': { required: ['appPackagePath'], allowed: ['appPackagePath'] },
  'teamsApp/publishAppPackage': {
    required: ['appPackagePath'],
    allowed: ['appPackagePath'],
    writes: ['publishedAppId'],
  },
  'cli/runNpmCommand': { required: ['args'], allowed: ['args', 'workingDirectory'] },
  'azureAppService/zipDeploy': {
    required: ['artifactFolder', 'resourceId'],
    allowed: ['artifactFolder', 'resourceId', 'workingDirectory', 'ignoreFile', 'dryRun', 'outputZipFile'],
  },
  'file/createOrUpdateEnvironmentFile': { required: ['envs', 'target'], allowed: ['envs', 'target'] },
};

export interface ProjectContext {
  env: Map<string, EnvEntry>;
  /** Variables someone provides before provision although the template leaves them empty. */
  external: Record<string, string>;
  readFile: (path: string) => string | undefined;
}

/**
 * Walks provision → deploy → publish in order. Every ${{VAR}} an action uses (in its `with`, or in a file it
 * reads: the Entra manifest, the Teams manifest, the ARM parameters) must have a value by then: produced by
 * an earlier action, non-empty in the env template, provided externally (documented), or, for ARM
 * parameters, neutralised by the Bicep file. The Toolkit leaves ${{VAR}} untouched when VAR is empty, so
 * "defined but empty" is not enough.
 */
export function projectProblems(project: Project, ctx: ProjectContext): string[] {
  const problems: string[] = [];
  if (typeof project.version !== 'string' || !/^v1\.\d+$/.test(project.version)) {
    problems.push(`version must be a v1.x schema version, not ${String(project.version)}`);
  }
  if (project.environmentFolderPath !== './env') problems.push('environmentFolderPath must be ./env');
  if (!project.provision?.length) problems.push('no provision lifecycle');
  if (!project.deploy?.length) problems.push('no deploy lifecycle');
  const produced = new Set<string>();
  const hasValue = (name: string) =>
    produced.has(name) || !!ctx.env.get(name)?.value || (name in ctx.external && ctx.env.has(name));
  const need = (names: string[], where: string, guarded: Set<string> = new Set()) => {
    for (const name of names) {
      if (!ctx.env.has(name) && !produced.has(name))
        problems.push(`${where}: \${{${name}}} is neither in the env template nor produced before`);
      else if (!hasValue(name) && !guarded.has(name))
        problems.push(`${where}: \${{${name}}} is still empty at this point`);
    }
  };
  const file = (path: unknown, where: string): string | undefined => {
    const text = typeof path === 'string' ? ctx.readFile(path) : undefined;
    if (text === undefined) problems.push(`${where}: file ${String(path)} is missing`);
    return text;
  };
  for (const lifecycle of ['provision', 'deploy', 'publish'] as const) {
    for (const [index, action] of (project[lifecycle] ?? []).entries()) {
      const where = `${lifecycle}[${index}] ${String(action.uses)}`;
      const spec = action.uses ? ACTIONS[action.uses] : undefined;
      if (!spec) {
        problems.push(`${where}: unknown action`);
        continue;
      }
      const args = action.with ?? {};
      for (const key of spec.required) if (!(key in args)) problems.push(`${where}: with.${key} is required`);
      for (const key of Object.keys(args))
        if (!spec.allowed.includes(key)) problems.push(`${where}: with.${key} is not a parameter`);
      for (const key of spec.writes ?? []) {
        if (!action.writeToEnvironmentFile?.[key])
          problems.push(`${where}: writeToEnvironmentFile.${key} is required`);
      }
      need(placeholdersIn(JSON.stringify(args)), where);
      if (action.uses === 'aadApp/create' && args.generateClientSecret === true) {
        const secret = action.writeToEnvironmentFile?.clientSecret;
        if (!secret?.startsWith('SECRET_'))
          problems.push(`${where}: the client secret must go to a SECRET_ variable`);
      }
      if (action.uses === 'aadApp/update') {
        // aadApp/update generates this id when the manifest uses it and it is empty.
        produced.add('AAD_APP_ACCESS_AS_USER_PERMISSION_ID');
        const text = file(args.manifestPath, where);
        if (text) need(placeholdersIn(text), `${where} (${String(args.manifestPath)})`);
      }
      if (action.uses === 'teamsApp/zipAppPackage' || action.uses === 'teamsApp/validateManifest') {
        const text = file(args.manifestPath, where);
        if (text) need(placeholdersIn(text), `${where} (${String(args.manifestPath)})`);
      }
      if (action.uses === 'arm/deploy') {
        for (const template of (args.templates as {
          path?: string;
          parameters?: string;
          deploymentName?: string;
        }[]) ?? []) {
          if (!template.deploymentName) problems.push(`${where}: templates[].deploymentName is required`);
          const bicep = file(template.path, where);
          const parameters = file(template.parameters, where);
          if (!bicep || !parameters) continue;
          const guarded = new Set(
            [...bicep.matchAll(/startsWith\((\w+), unsetPlaceholderPrefix\)/g)].flatMap((m) =>
              placeholdersIn(JSON.stringify(JSON.parse(parameters).parameters?.[m[1]] ?? '')),
            ),
          );
          need(placeholdersIn(parameters), `${where} (${template.parameters})`, guarded);
          for (const name of bicepOutputs(bicep).keys()) produced.add(name.toUpperCase());
        }
      }
      if (action.uses === 'file/createOrUpdateEnvironmentFile') {
        const envs = (args.envs ?? {}) as Record<string, unknown>;
        for (const [name, value] of Object.entries(envs)) {
          if (String(value).trim() === '') problems.push(`${where}: ${name} would be written empty`);
        }
      }
      for (const variable of Object.values(action.writeToEnvironmentFile ?? {})) {
        if (!/^[A-Z][A-Z0-9_]*$/.test(variable))
          problems.push(`${where}: ${variable} is not a valid variable name`);
        produced.add(variable);
      }
    }
  }
  return problems;
}
