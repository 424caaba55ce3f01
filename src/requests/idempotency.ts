import { createHash } from 'node:crypto';
import { TABLES, type RowStore, type StoredRow } from '../store/port.js';
import type { UnitOfWork } from '../store/unit.js';

/** What an Idempotency-Key stands for: the request it created and the body that created it. */
export interface IdempotencyRecord {
  requestId: string;
  /** sha256 of the validated body in a canonical form (field order and spacing do not count). */
  fingerprint: string;
  createdAt: string;
}

/** Keys are scoped per calling app: two systems that happen to pick the same key never meet. */
const partitionOf = (clientId: string) => `idempotency|${clientId}`;

// The caller chooses the key; hashed, any text is a valid row key on every store.
const rowKeyOf = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** The fingerprint of a body: its JSON with keys sorted at every level. */
export function fingerprintOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The Idempotency-Keys each caller used, one row per key, created in the same unit of work as the
 * request it names (and first in it), so a key can never be taken without its request or twice.
 */
export class IdempotencyKeys {
  constructor(private readonly store: RowStore) {}

  async get(clientId: string, key: string): Promise<StoredRow<IdempotencyRecord> | undefined> {
    return this.store.get<IdempotencyRecord>(TABLES.limits, partitionOf(clientId), rowKeyOf(key));
  }

  /**
   * Forgets a key whose request never landed (on Azure Tables the key's group commits first, alone,
   * so a failure after it can leave the key without its request); only if nobody rewrote it since.
   */
  async forgetOrphan(clientId: string, key: string, etag: string): Promise<void> {
    await this.store.delete(TABLES.limits, partitionOf(clientId), rowKeyOf(key), etag);
  }

  /** Adds the key's create to `unit`; the commit conflicts when the key is already taken. */
  createIn(unit: UnitOfWork, clientId: string, key: string, record: IdempotencyRecord): number {
    return unit.add({
      op: 'create',
      table: TABLES.limits,
      partition: partitionOf(clientId),
      key: rowKeyOf(key),
      value: record,
    });
  }
}
