import { randomUUID } from 'node:crypto';
import { TABLES, type RowStore } from '../store/port.js';
import type { UnitOfWork } from '../store/unit.js';
import type { AuditEvent } from './event.js';

/** The tenant-wide timeline's partition: every event has exactly one row there. */
export const AUDIT_TIMELINE = 'all';
const ALL = AUDIT_TIMELINE;
const byTarget = (targetId: string) => `target|${targetId}`;
// Keys sort ascending; inverting the time makes "newest first" a plain forward range read.
const MAX_MS = 9_999_999_999_999;
const newestFirstKey = (event: AuditEvent) =>
  `${String(MAX_MS - Date.parse(event.at)).padStart(13, '0')}|${event.id}`;

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at'>;

/**
 * The append-only audit trail: each event is written once to the tenant-wide timeline and once to
 * the target's own timeline, both newest first. Rows are only ever created, never replaced.
 */
export class AuditLog {
  constructor(
    private readonly store: RowStore,
    private readonly now: () => Date,
  ) {}

  /** Appends an event; throws if it could not be stored (callers decide whether that blocks the action). */
  async append(event: NewAuditEvent): Promise<AuditEvent> {
    const full: AuditEvent = { ...event, id: randomUUID(), at: this.now().toISOString() };
    const key = newestFirstKey(full);
    await this.store.create(TABLES.audit, ALL, key, full);
    if (full.target) await this.store.create(TABLES.audit, byTarget(full.target.id), key, full);
    return full;
  }

  /**
   * Adds an event's rows to a unit of work committed with the action it records (same store), so
   * the action and its trail land together.
   */
  appendIn(unit: UnitOfWork, event: NewAuditEvent): AuditEvent {
    const full: AuditEvent = { ...event, id: randomUUID(), at: this.now().toISOString() };
    const key = newestFirstKey(full);
    unit.add({ op: 'create', table: TABLES.audit, partition: ALL, key, value: full });
    if (full.target)
      unit.add({ op: 'create', table: TABLES.audit, partition: byTarget(full.target.id), key, value: full });
    return full;
  }

  /** The newest events across the tenant. */
  async recent(limit: number): Promise<AuditEvent[]> {
    const page = await this.store.list<AuditEvent>({ table: TABLES.audit, partition: ALL }, { limit });
    return page.rows.map((r) => r.value);
  }

  /** The newest events about one user. */
  async forTarget(targetId: string, limit: number): Promise<AuditEvent[]> {
    const page = await this.store.list<AuditEvent>(
      { table: TABLES.audit, partition: byTarget(targetId) },
      { limit },
    );
    return page.rows.map((r) => r.value);
  }

  /** Every event, newest first, a page at a time (for the CSV export). */
  async *all(): AsyncGenerator<AuditEvent> {
    let continuation: string | undefined;
    do {
      const page = await this.store.list<AuditEvent>(
        { table: TABLES.audit, partition: ALL },
        { continuation },
      );
      for (const row of page.rows) yield row.value;
      continuation = page.continuation;
    } while (continuation);
  }
}
