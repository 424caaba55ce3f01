// Checks the app icons the way Teams' own validation does, before upload rather than after: the
// colour icon is 192x192, the outline icon 32x32 and only white on transparent.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { ICON_SIZES } from './paths.js';

export type IconRole = keyof typeof ICON_SIZES;

/** Problems with one icon's PNG bytes, each starting with its role; empty when it is fine. */
export function iconProblems(role: IconRole, bytes: Buffer): string[] {
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (error) {
    return [`${role} icon is not a readable PNG (${(error as Error).message})`];
  }
  const size = ICON_SIZES[role];
  const problems: string[] = [];
  if (png.width !== size || png.height !== size) {
    problems.push(`${role} icon is ${png.width}x${png.height}, Teams wants ${size}x${size}`);
  }
  if (role === 'outline') {
    // Any alpha is fine (smooth edges), but a visible pixel must be pure white: Teams tints it.
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = png.data.subarray(i, i + 4);
      if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) {
        problems.push(
          `outline icon must be white on transparent; pixel ${i / 4} is rgba(${r},${g},${b},${a})`,
        );
        break;
      }
    }
  }
  return problems;
}

/**
 * Reads the icons a manifest names (icons.color and icons.outline, relative to appPackageDir) and
 * checks them. Returns their bytes under the manifest's file names, for the zip, and the problems.
 */
export function readIcons(
  appPackageDir: string,
  icons: Record<IconRole, string>,
): { files: Map<string, Buffer>; problems: string[] } {
  const files = new Map<string, Buffer>();
  const problems: string[] = [];
  for (const role of Object.keys(ICON_SIZES) as IconRole[]) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(appPackageDir, icons[role]));
    } catch (error) {
      problems.push(`${role} icon ${icons[role]} cannot be read (${(error as Error).message})`);
      continue;
    }
    files.set(icons[role], bytes);
    problems.push(...iconProblems(role, bytes));
  }
  return { files, problems };
}
