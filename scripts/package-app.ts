// `npm run package [envName]`: builds appPackage/build/appPackage.<envName>.zip (default: dev) for
// upload in Teams or the Teams admin center. Errors name each variable or problem and exit 1.
import { relative } from 'node:path';
import { buildAppPackage } from './app-package/build.js';

const envName = process.argv[2] ?? 'dev';
try {
  const { zipPath } = await buildAppPackage({ envName });
  console.log(`Teams app package for '${envName}': ${relative(process.cwd(), zipPath)}`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
