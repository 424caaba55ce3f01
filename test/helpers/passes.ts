import { createHash } from 'node:crypto';

/**
 * The pass code inside a card (as JSON text) whose SHA-256 is the sandbox's `passSha256`: proves a
 * card shows exactly the created pass without the sandbox ever revealing a code.
 */
export function findCode(cardText: string, sha256: string): string {
  const strings = [...cardText.matchAll(/"text":"((?:[^"\\]|\\.)*)"/g)].map(
    (m) => JSON.parse(`"${m[1]}"`) as string,
  );
  for (const s of strings) {
    if (createHash('sha256').update(s).digest('hex') === sha256) return s;
  }
  throw new Error('the card does not contain the created pass');
}
