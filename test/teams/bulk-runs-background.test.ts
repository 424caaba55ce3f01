import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BulkDeps } from '../../src/bulk/deps.js';
import { BulkRuns, type BulkRunsOptions } from '../../src/teams/bulk-runs.js';

// Held passes time out on a timer, with nobody awaiting the store write that follows: a store error
// there must be reported through onBackgroundError, not become an unhandled rejection.
afterEach(() => vi.useRealTimers());

describe('BulkRuns background work', () => {
  it('reports a store error when held passes time out, and throws nothing', async () => {
    vi.useFakeTimers();
    const reported: Array<{ what: string; error: unknown }> = [];
    const storeDown = new Error('store is down');
    const bulk = {
      bulk: { patch: () => Promise.reject(storeDown) },
      onBackgroundError: (what: string, error: unknown) => reported.push({ what, error }),
    } as unknown as BulkDeps;
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const runs = new BulkRuns({ bulk } as unknown as BulkRunsOptions);
      runs.held.hold('bulk-1', 'owner-oid', []);
      await vi.advanceTimersByTimeAsync(15 * 60_000 + 1);
      await vi.waitFor(() => expect(reported).toHaveLength(1));
      expect(reported[0]).toEqual({ what: 'bulk.hold_timeout', error: storeDown });
      vi.useRealTimers();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
