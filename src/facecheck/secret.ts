import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh callback secret for one presentation request: 256 random bits, URL-safe. */
export function newCallbackSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a secret: its SHA-256, hex. The secret itself is only ever sent to the Request Service. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Whether a callback's `api-key` header is the check's secret. Both sides are hashed to the same
 * length first, so the comparison takes the same time whatever the header holds.
 */
export function secretMatches(given: string | undefined, storedSha256: string): boolean {
  if (given === undefined || !/^[0-9a-f]{64}$/.test(storedSha256)) return false;
  return timingSafeEqual(Buffer.from(secretHash(given), 'hex'), Buffer.from(storedSha256, 'hex'));
}
