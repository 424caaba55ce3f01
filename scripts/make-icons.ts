// Draws the Teams app icons (appPackage/color.png and outline.png): a key, white on the manifest's
// accentColor for the colour icon, white on transparent for the outline icon, as Teams requires.
// Run once with `npx tsx scripts/make-icons.ts`; the PNGs are committed, so packaging needs no drawing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { APP_PACKAGE_DIR, ICON_SIZES } from './app-package/paths.js';

/** Whether a point of the unit square (0..1, y down) lies on the key: a ring, a shaft and two teeth. */
function onKey(x: number, y: number): boolean {
  const ring = Math.hypot(x - 0.32, y - 0.5);
  const inRect = (x0: number, x1: number, y0: number, y1: number) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
  return (
    (ring <= 0.18 && ring >= 0.08) ||
    inRect(0.48, 0.84, 0.455, 0.545) ||
    inRect(0.7, 0.76, 0.545, 0.68) ||
    inRect(0.78, 0.84, 0.545, 0.64)
  );
}

/** How much of a pixel the key covers (0..1), from 4x4 samples, so edges are smooth at 32 pixels too. */
function coverage(px: number, py: number, size: number): number {
  let hits = 0;
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) if (onKey((px + (i + 0.5) / 4) / size, (py + (j + 0.5) / 4) / size)) hits++;
  return hits / 16;
}

function draw(size: number, pixel: (cover: number) => [number, number, number, number]): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) png.data.set(pixel(coverage(x, y, size)), (y * size + x) * 4);
  return PNG.sync.write(png);
}

const manifest = JSON.parse(readFileSync(join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8')) as {
  accentColor: string;
};
const [red, green, blue] = [1, 3, 5].map((i) => parseInt(manifest.accentColor.slice(i, i + 2), 16));
const blend = (cover: number, from: number) => Math.round(from + (255 - from) * cover);

// Colour: opaque, the accent colour blended towards white where the key covers the pixel.
writeFileSync(
  join(APP_PACKAGE_DIR, 'color.png'),
  draw(ICON_SIZES.color, (c) => [blend(c, red), blend(c, green), blend(c, blue), 255]),
);
// Outline: every pixel white, only its alpha varies, which is what Teams' outline check accepts.
writeFileSync(
  join(APP_PACKAGE_DIR, 'outline.png'),
  draw(ICON_SIZES.outline, (c) => [255, 255, 255, Math.round(255 * c)]),
);
console.log(`wrote ${APP_PACKAGE_DIR}/color.png and outline.png`);
