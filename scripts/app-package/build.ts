// Builds the Teams app package (the zip an admin uploads in Teams or the Teams admin center) from
// appPackage/ and one Toolkit environment, refusing anything Teams would reject later.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zipSync } from 'fflate';
import { parseEnvFile } from './env-file.js';
import { readIcons } from './icons.js';
import { APP_PACKAGE_DIR, BUILD_DIR, ENV_DIR } from './paths.js';
import { fillPlaceholders } from './placeholders.js';
import { validateManifest } from './validate.js';

/** Thrown when the package cannot be built; the message lists every problem found. */
export class PackageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Cannot build the Teams app package:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PackageError';
  }
}

export interface PackageOptions {
  /** The Toolkit environment: reads env/.env.<envName>, writes appPackage.<envName>.zip. */
  envName: string;
  envDir?: string;
  appPackageDir?: string;
  outDir?: string;
}

// A fixed timestamp for every entry makes the zip byte-for-byte reproducible from the same inputs.
const ZIP_MTIME = new Date('2025-01-01T00:00:00Z');

/**
 * Fills appPackage/manifest.json from env/.env.<envName>, validates it against the bundled official
 * schema, checks the icons, and writes <outDir>/appPackage.<envName>.zip with manifest.json and the
 * icons at its root (where Teams looks for them). Returns the zip's path and the filled manifest.
 * Throws MissingVariablesError for unset placeholders and PackageError for anything else.
 */
export async function buildAppPackage(
  options: PackageOptions,
): Promise<{ zipPath: string; manifest: unknown }> {
  const { envName, envDir = ENV_DIR, appPackageDir = APP_PACKAGE_DIR, outDir = BUILD_DIR } = options;
  // The name becomes part of two paths; keep it a plain word so it cannot climb out of them.
  if (!/^[A-Za-z0-9_-]+$/.test(envName)) throw new PackageError([`'${envName}' is not an environment name`]);
  const envPath = join(envDir, `.env.${envName}`);
  let envText: string;
  try {
    envText = readFileSync(envPath, 'utf8');
  } catch {
    throw new PackageError([`${shown(envPath)} does not exist: create it or pick another environment`]);
  }
  const template = readFileSync(join(appPackageDir, 'manifest.json'), 'utf8');
  const vars = parseEnvFile(envText);
  const manifest = JSON.parse(fillPlaceholders(template, vars, shown(envPath))) as {
    icons?: { color: string; outline: string };
    webApplicationInfo?: { resource?: string };
  };

  const problems = await validateManifest(manifest);
  // The schema already reports a manifest without icons; default the names to still check the files.
  const icons = readIcons(appPackageDir, manifest.icons ?? { color: 'color.png', outline: 'outline.png' });
  problems.push(...icons.problems);
  // The bot checks SSO tokens against SSO_RESOURCE; a manifest naming another URI signs nobody in.
  const ssoResource = vars.get('SSO_RESOURCE');
  const resource = manifest.webApplicationInfo?.resource;
  if (ssoResource && resource !== ssoResource) {
    problems.push(
      `webApplicationInfo.resource is ${resource} but SSO_RESOURCE in ${shown(envPath)} is ${ssoResource}`,
    );
  }
  if (problems.length > 0) throw new PackageError(problems);

  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {
    'manifest.json': [Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), { mtime: ZIP_MTIME }],
  };
  for (const [name, bytes] of icons.files) entries[name] = [bytes, { mtime: ZIP_MTIME }];
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, `appPackage.${envName}.zip`);
  writeFileSync(zipPath, zipSync(entries));
  return { zipPath, manifest };
}

/** A path as the person running the command would type it. */
function shown(path: string): string {
  return relative(process.cwd(), path) || path;
}
