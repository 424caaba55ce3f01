import { GraphFailure } from '../graph/failure.js';
import { MAX_MANAGER_READS_PER_BATCH, type DirectoryUser, type TapGraph } from '../graph/port.js';
import type { BulkTarget } from './job.js';
import { forEachConcurrent, ThrottleGate } from './throttle.js';

/** Notices are best effort: a few tries past 429s, then the people left are simply not reported. */
const MAX_ATTEMPTS = 4;
const READ_TIMEOUT_MS = 15_000;

export interface ManagedReports {
  manager: DirectoryUser;
  reports: BulkTarget[];
}

/**
 * Who manages the people a bulk gave passes to, read with the issuer's token in `$batch` GETs of 20,
 * `concurrency` at a time; grouped by manager so each hears once. `unread` counts people whose
 * manager could not be read (the caller reports it; nobody is retried later).
 */
export async function managersOf(
  graph: TapGraph,
  targets: readonly BulkTarget[],
  concurrency: number,
): Promise<{ byManager: ManagedReports[]; unread: number }> {
  const groups: BulkTarget[][] = [];
  for (let i = 0; i < targets.length; i += MAX_MANAGER_READS_PER_BATCH)
    groups.push(targets.slice(i, i + MAX_MANAGER_READS_PER_BATCH));
  const byManager = new Map<string, ManagedReports>();
  const gate = new ThrottleGate();
  let unread = 0;
  await forEachConcurrent(groups, concurrency, async (group) => {
    let pending = group;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      await gate.pass();
      const last = attempt >= MAX_ATTEMPTS;
      let results;
      try {
        results = await graph.lookupManagers(
          pending.map((t) => t.id),
          AbortSignal.timeout(READ_TIMEOUT_MS),
        );
      } catch (error) {
        if (!(error instanceof GraphFailure)) throw error;
        if (last || error.status !== 429) {
          unread += pending.length;
          return;
        }
        gate.block(error.retryAfterSeconds);
        continue;
      }
      const retry: BulkTarget[] = [];
      results.forEach((r, i) => {
        const target = pending[i]!;
        if (r.ok) {
          if (r.manager) {
            const entry = byManager.get(r.manager.id) ?? { manager: r.manager, reports: [] };
            entry.reports.push(target);
            byManager.set(r.manager.id, entry);
          }
        } else if (r.failure.status === 429 && !last) {
          retry.push(target);
          gate.block(r.failure.retryAfterSeconds);
        } else unread += 1;
      });
      pending = retry;
    }
  });
  // Batches finish in any order; list each manager's reports in the bulk's row order.
  const order = new Map(targets.map((t, i) => [t.id, i]));
  for (const entry of byManager.values()) entry.reports.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { byManager: [...byManager.values()], unread };
}
