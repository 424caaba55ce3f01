import { TABLES, writtenBy, type RowStore, type RowWrite } from '../store/port.js';
import type { AuditEvent } from './event.js';
import { AUDIT_TIMELINE } from './log.js';
import { securityEventOf } from './security-event.js';
import type { SecurityEventSink } from './security-sink.js';

/**
 * A store that tells the SOC about each audit event once it is durably written. Watching the store
 * rather than the callers catches every path: single appends, units of work, and the "rest" units
 * that retry what a partly committed unit missed. Each event is written once to the tenant-wide
 * timeline, so that row is the one that emits. Emission never fails the write it follows.
 */
export function withSecurityEvents(
  store: RowStore,
  sink: SecurityEventSink,
  onBackgroundError: (what: string, error: unknown) => void,
): RowStore {
  const emit = (value: unknown) => {
    try {
      sink.emit(securityEventOf(value as AuditEvent));
    } catch (error) {
      onBackgroundError('security.event', error);
    }
  };
  const isTimelineRow = (w: Pick<RowWrite, 'op' | 'table' | 'partition'>) =>
    w.op === 'create' && w.table === TABLES.audit && w.partition === AUDIT_TIMELINE;
  return {
    get: (table, partition, key) => store.get(table, partition, key),
    create: async (table, partition, key, value) => {
      const etag = await store.create(table, partition, key, value);
      if (isTimelineRow({ op: 'create', table, partition })) emit(value);
      return etag;
    },
    replace: (table, partition, key, value, etag) => store.replace(table, partition, key, value, etag),
    upsert: (table, partition, key, value) => store.upsert(table, partition, key, value),
    delete: (table, partition, key, etag) => store.delete(table, partition, key, etag),
    list: (range, options) => store.list(range, options),
    commit: async (writes) => {
      try {
        const etags = await store.commit(writes);
        writes.forEach((w) => (isTimelineRow(w) && w.op === 'create' ? emit(w.value) : undefined));
        return etags;
      } catch (error) {
        // What landed before the failure is in the trail, so the SOC hears of it too.
        for (const i of writtenBy(error)) {
          const w = writes[i];
          if (w && isTimelineRow(w) && w.op === 'create') emit(w.value);
        }
        throw error;
      }
    },
    close: () => store.close(),
  };
}
