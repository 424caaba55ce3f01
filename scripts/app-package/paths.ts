// Where the Teams app package's inputs and output live, resolved from this file rather than the
// working directory, so `npm run package` and the tests behave the same from any folder.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The manifest template and the icons, as committed. */
export const APP_PACKAGE_DIR = join(REPO_ROOT, 'appPackage');
/** The Toolkit's environment files (env/.env.<name>). */
export const ENV_DIR = join(REPO_ROOT, 'env');
/** Where the zips go; git-ignored. */
export const BUILD_DIR = join(APP_PACKAGE_DIR, 'build');

/** Teams' icon sizes in pixels (square): the colour icon and the monochrome outline icon. */
export const ICON_SIZES = { color: 192, outline: 32 } as const;
