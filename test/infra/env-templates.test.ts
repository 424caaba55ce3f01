// env/.env.dev and env/.env.local, and the upload to App Service: all documented, no secret committed.
import { describe, expect, it } from 'vitest';
import { bicepAppSettings } from './checks/bicep.js';
import { bicep, devEnv, devProject, localEnv, localProject, read } from './checks/sources.js';
import type { Project } from './checks/toolkit-project.js';

describe('env templates and the upload', () => {
  it('document every variable, and list every variable the projects write', () => {
    for (const [file, env] of [
      ['env/.env.dev', devEnv],
      ['env/.env.local', localEnv],
    ] as const) {
      for (const [name, entry] of env) expect(entry.documented, `${name} in ${file}`).toBe(true);
    }
    const written = (project: Project) =>
      (['provision', 'deploy', 'publish'] as const).flatMap((l) =>
        (project[l] ?? []).flatMap((a) => Object.values(a.writeToEnvironmentFile ?? {})),
      );
    for (const name of written(devProject).filter((n) => !n.startsWith('SECRET_'))) {
      expect(devEnv.has(name), `${name} in env/.env.dev`).toBe(true);
    }
    for (const name of written(localProject).filter((n) => !n.startsWith('SECRET_'))) {
      expect(localEnv.has(name), `${name} in env/.env.local`).toBe(true);
    }
    expect(devEnv.get('BOT_TYPE')?.value).toBe('UserAssignedMSI');
    expect(localEnv.get('BOT_TYPE')?.value).toBe('SingleTenant');
    // Secrets live in the git-ignored .user files only.
    for (const env of [devEnv, localEnv]) for (const name of env.keys()) expect(name).not.toMatch(/^SECRET_/);
    expect(read('.gitignore')).toContain('env/.env.*.user');
  });

  it('never uploads secrets or local state, and uploads what App Service needs to build', () => {
    const deploy = devProject.deploy?.find((a) => a.uses === 'azureAppService/zipDeploy');
    expect(deploy?.with?.ignoreFile).toBe('./.webappignore');
    const ignored = read('.webappignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['env/', '.localConfigs', '.data/', 'node_modules/', '.git/', '.deployment/']) {
      expect(ignored, entry).toContain(entry);
    }
    for (const needed of [
      'src',
      'src/',
      'package.json',
      'package-lock.json',
      '.npmrc',
      'tsconfig.json',
      'tsconfig.build.json',
    ]) {
      expect(ignored, needed).not.toContain(needed);
    }
    expect(bicepAppSettings(bicep).get('SCM_DO_BUILD_DURING_DEPLOYMENT')).toBe("'true'");
  });
});
