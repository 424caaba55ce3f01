import { MAX_VALUE_BYTES } from './tables-common.js';

/**
 * How port rows map onto Azure Tables entities (and Cosmos DB's Table API, which shares the limits).
 *
 * Keys: PartitionKey and RowKey may not contain / \ # ? or control characters. Exactly those, plus %
 * (so the encoding stays reversible), become %XX. Every other character is left alone, so keys made of
 * other characters keep their ordinal order, which range queries rely on. Keys that do contain an
 * escaped character may sort differently from their raw form; TapDesk's range keys never do.
 *
 * Values: JSON text in string properties json0..jsonN. A string property holds at most 64 KiB of
 * UTF-16, i.e. 32,768 code units; an entity at most 1 MiB (see MAX_VALUE_BYTES).
 */

// Control characters are exactly what Azure forbids, so this regex has to name them.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[/\\#?%\u0000-\u001f\u007f-\u009f]/g;
const ESCAPED = /%([0-9A-F]{2})/g;
const NON_ASCII = /[\u0080-\uffff]/g;

/** Property names this store writes besides the keys. */
export const CHUNK_PREFIX = 'json';
/** Code units per property, under the 32,768 that fit in 64 KiB. */
export const CHUNK_CHARS = 32_000;

/** The Azure-safe form of a partition or row key. */
export function escapeKey(key: string): string {
  return key.replace(
    NEEDS_ESCAPE,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** The original key from its escaped form. */
export function unescapeKey(escaped: string): string {
  return escaped.replace(ESCAPED, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * JSON text cut into property-sized pieces. Characters above U+007F are first written as JSON \u escapes,
 * which parse back to the same value, so the stored text is pure ASCII. That makes any cut point safe (no
 * surrogate pair or multi-byte sequence can straddle two properties) and it sidesteps Azurite (3.35)
 * decoding each 64 KiB chunk of a request body on its own, which corrupts a UTF-8 character that
 * straddles two chunks. The price is 6 characters per escaped one, hence the second size check here.
 */
export function splitJson(json: string, where: string): Record<string, string> {
  const ascii = json.replace(NON_ASCII, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii.length * 2 > MAX_VALUE_BYTES) {
    throw new RangeError(
      `${where}: value is ${Math.ceil((ascii.length * 2) / 1024)} KiB once non-ASCII characters are ` +
        `escaped, over the ${MAX_VALUE_BYTES / 1024} KiB limit (Azure Tables entities stop at 1 MiB)`,
    );
  }
  const chunks: Record<string, string> = {};
  for (let i = 0; i === 0 || i * CHUNK_CHARS < ascii.length; i++) {
    chunks[`${CHUNK_PREFIX}${i}`] = ascii.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS);
  }
  return chunks;
}

/** The JSON text back from an entity's json0..jsonN properties. */
export function joinJson(entity: Record<string, unknown>, where: string): string {
  let json = '';
  for (let i = 0; ; i++) {
    const chunk = entity[`${CHUNK_PREFIX}${i}`];
    if (chunk === undefined) break;
    if (typeof chunk !== 'string') throw new Error(`${where}: property ${CHUNK_PREFIX}${i} is not a string`);
    json += chunk;
  }
  if (json === '')
    throw new Error(`${where}: entity has no ${CHUNK_PREFIX}0 property; not written by TapDesk`);
  return json;
}
