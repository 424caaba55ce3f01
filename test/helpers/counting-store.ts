import type { RowStore } from '../../src/store/port.js';

/** One durable write request as the store saw it: a single-row write, or a unit of work (commit). */
export interface CountedWrite {
  method: 'create' | 'replace' | 'upsert' | 'delete' | 'commit';
  /** table/partition of each row it wrote. */
  rows: string[];
  /** Whether the call came from the notice scheduler's timer rather than a turn (see isSchedulerWrite). */
  background: boolean;
}

const WRITES = new Set(['create', 'replace', 'upsert', 'delete', 'commit']);
const READS = new Set(['get', 'list']);

/**
 * Wraps any RowStore (this code's or an older checkout's: it only looks at method names) and counts
 * its commits (every single-row write is one, a unit of work is one) and reads.
 */
export function countingStore<S extends RowStore>(
  inner: S,
): { store: S; writes: CountedWrite[]; reads: () => number } {
  const writes: CountedWrite[] = [];
  let reads = 0;
  const store = new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof name !== 'string' || typeof value !== 'function') return value;
      if (READS.has(name))
        return (...args: unknown[]) => {
          reads += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      if (!WRITES.has(name)) return (value as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        const rows =
          name === 'commit'
            ? (args[0] as { table: string; partition: string }[]).map((w) => `${w.table}/${w.partition}`)
            : [`${String(args[0])}/${String(args[1])}`];
        // V8 keeps the awaiting callers in the stack, so a write the scheduler's tick made names it.
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 100;
        const stack = new Error().stack ?? '';
        Error.stackTraceLimit = limit;
        const background = /notices[\\/]scheduler\.|bulk-runs\./.test(stack);
        writes.push({ method: name as CountedWrite['method'], rows, background });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, writes, reads: () => reads };
}

/**
 * The notice scheduler (claims, deletes, give-up audit rows) and the bulk sweeper write on their own
 * timers, outside any turn: left out of a turn's count.
 */
export const isSchedulerWrite = (w: CountedWrite): boolean => w.background;
