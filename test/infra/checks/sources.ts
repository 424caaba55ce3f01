// The repo's deployment files, read and parsed once, so every check sees the files as committed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { AadManifest } from './aad-manifest.js';
import { parseEnvTemplate } from './env-template.js';
import type { Project } from './toolkit-project.js';

const root = join(import.meta.dirname, '..', '..', '..');
export const read = (path: string) => readFileSync(join(root, path), 'utf8');
export const readProjectFile = (path: string) => {
  const full = join(root, path);
  return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
};

export const bicep = read('infra/azure.bicep');
export const parametersText = read('infra/azure.parameters.json');
export const aadManifest = JSON.parse(read('aad.manifest.json')) as AadManifest;
export const devProject = parseYaml(read('m365agents.yml')) as Project;
export const localProject = parseYaml(read('m365agents.local.yml')) as Project;
export const devEnv = parseEnvTemplate(read('env/.env.dev'));
export const localEnv = parseEnvTemplate(read('env/.env.local'));

/** A copy of a parsed file to mutate, so each checker can be shown to reject a broken one. */
export const clone = <T>(value: T): T => structuredClone(value);
