import { GraphFailure } from '../graph/failure.js';
import {
  MAX_LOOKUPS_PER_BATCH,
  type DirectoryRole,
  type DirectoryUser,
  type TapGraph,
} from '../graph/port.js';
import { forEachConcurrent, ThrottleGate } from './throttle.js';

export interface Found {
  user: DirectoryUser | null;
  roles: DirectoryRole[];
}

/** Reads are safe to repeat: 429s wait for Retry-After, other transient failures back off briefly. */
const MAX_READ_ATTEMPTS = 8;
const READ_TIMEOUT_MS = 15_000;

const transient = (f: GraphFailure) => f.status === 429 || f.outcomeUnknown;

/**
 * Looks up every key (UPN or object id) with $batch reads, `concurrency` batches at a time. Throws
 * the last GraphFailure if some key still fails after retries: a validation must not guess.
 */
export async function lookupAll(
  graph: TapGraph,
  keys: readonly string[],
  concurrency: number,
  gate = new ThrottleGate(),
): Promise<Map<string, Found>> {
  const found = new Map<string, Found>();
  const groups: string[][] = [];
  for (let i = 0; i < keys.length; i += MAX_LOOKUPS_PER_BATCH)
    groups.push(keys.slice(i, i + MAX_LOOKUPS_PER_BATCH));
  await forEachConcurrent(groups, concurrency, async (group) => {
    let pending = group;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      await gate.pass();
      let results;
      try {
        results = await graph.lookupUsers(pending, AbortSignal.timeout(READ_TIMEOUT_MS));
      } catch (error) {
        if (!(error instanceof GraphFailure) || !transient(error) || attempt >= MAX_READ_ATTEMPTS)
          throw error;
        gate.block(error.status === 429 ? error.retryAfterSeconds : attempt * 0.5);
        continue;
      }
      const retry: string[] = [];
      for (const r of results) {
        if (r.ok) found.set(r.key, { user: r.user, roles: r.roles });
        else if (transient(r.failure) && attempt < MAX_READ_ATTEMPTS) {
          retry.push(r.key);
          gate.block(r.failure.status === 429 ? r.failure.retryAfterSeconds : attempt * 0.5);
        } else if (r.failure.status === 400 || r.failure.status === 404) {
          // Graph answers 400 for keys that cannot be a user id or UPN: nobody is called that.
          found.set(r.key, { user: null, roles: [] });
        } else throw r.failure;
      }
      pending = retry;
    }
  });
  return found;
}
