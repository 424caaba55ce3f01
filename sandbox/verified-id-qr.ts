import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';

const MODULES = 25;
const SCALE = 6;

/**
 * A QR-like PNG for the sandbox's `qrCode`: a data URI with the same shape as the service's, drawn
 * from the URL's hash with the three finder squares. It is not a scannable QR code: there is no
 * Microsoft Authenticator in the sandbox (tests play the phone through the admin API).
 */
export function sandboxQrDataUri(url: string): string {
  const bits = createHash('sha512').update(url).digest();
  const png = new PNG({ width: MODULES * SCALE, height: MODULES * SCALE });
  const finder = (x: number, y: number) => {
    for (const [fx, fy] of [
      [0, 0],
      [MODULES - 7, 0],
      [0, MODULES - 7],
    ] as const) {
      const dx = x - fx;
      const dy = y - fy;
      if (dx >= 0 && dx < 7 && dy >= 0 && dy < 7)
        return dx === 0 || dy === 0 || dx === 6 || dy === 6 || (dx >= 2 && dx <= 4 && dy >= 2 && dy <= 4);
    }
    return undefined;
  };
  for (let y = 0; y < MODULES; y += 1)
    for (let x = 0; x < MODULES; x += 1) {
      const i = y * MODULES + x;
      const dark = finder(x, y) ?? ((bits[i % bits.length]! >> (i % 8)) & 1) === 1;
      for (let py = 0; py < SCALE; py += 1)
        for (let px = 0; px < SCALE; px += 1) {
          const o = ((y * SCALE + py) * MODULES * SCALE + x * SCALE + px) * 4;
          const v = dark ? 0 : 255;
          png.data[o] = v;
          png.data[o + 1] = v;
          png.data[o + 2] = v;
          png.data[o + 3] = 255;
        }
    }
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}
