// Validates a filled Teams app manifest offline: against the JSON schema that Microsoft's
// @microsoft/app-manifest package bundles for the manifest's own manifestVersion (never fetched,
// so packaging works without internet and cannot drift with a schema published later), then
// against what TapDesk itself needs from it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { SSO_RESOURCE_PATTERN } from '../../src/config.js';

type SchemaArg = Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];

/** The bundled schema file for a Teams manifestVersion such as "1.30". */
export function bundledSchemaPath(manifestVersion: string): string {
  const packageJson = createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json');
  return join(
    dirname(packageJson),
    'build',
    'json-schemas',
    'teams',
    `v${manifestVersion}`,
    'MicrosoftTeams.schema.json',
  );
}

/**
 * Problems with a filled manifest, as "<path> <message>" lines; empty when it is valid. Checks the
 * official schema for its manifestVersion, that no ${{…}} placeholder is left, and that
 * webApplicationInfo.resource has the shape src/config.ts demands of SSO_RESOURCE (Teams SSO
 * tokens are issued for that URI, so a different one would break sign-in, not packaging).
 */
export async function validateManifest(manifest: unknown): Promise<string[]> {
  const version = (manifest as { manifestVersion?: unknown }).manifestVersion;
  if (typeof version !== 'string') return ['/manifestVersion is missing'];
  let schemaText: string;
  try {
    schemaText = readFileSync(bundledSchemaPath(version), 'utf8');
  } catch {
    return [`/manifestVersion ${version} has no schema bundled in @microsoft/app-manifest`];
  }
  // The schema argument makes the library validate offline; without it, it would fetch $schema.
  const schema = JSON.parse(schemaText) as SchemaArg;
  const problems = await AppManifestUtils.validateAgainstSchema(manifest as AppManifest, schema);
  if (JSON.stringify(manifest).includes('${{')) problems.push('/ has an unfilled ${{…}} placeholder');
  const resource = (manifest as { webApplicationInfo?: { resource?: unknown } }).webApplicationInfo?.resource;
  if (typeof resource !== 'string' || !SSO_RESOURCE_PATTERN.test(resource)) {
    problems.push(`/webApplicationInfo/resource must look like 'api://<domain>/botid-<bot id>'`);
  }
  return problems;
}
