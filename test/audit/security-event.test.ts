import { describe, expect, it, vi } from 'vitest';
import type { AuditEvent, AuditEventType } from '../../src/audit/event.js';
import { AuditLog } from '../../src/audit/log.js';
import {
  OUTCOME_OF,
  securityEventOf,
  securityEventSchema,
  type SecurityEvent,
} from '../../src/audit/security-event.js';
import { securitySinkFor, type SecurityEventSink } from '../../src/audit/security-sink.js';
import { withSecurityEvents } from '../../src/audit/security-store.js';
import { createLogger } from '../../src/log.js';
import { PartialCommitError, TABLES, type RowStore, type RowWrite } from '../../src/store/port.js';
import { UnitOfWork } from '../../src/store/unit.js';
import { MemoryData, MemoryRowStore } from '../fakes/memory-store.js';

const auditEvent = (type: AuditEventType, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  id: 'e1',
  at: '2026-03-02T10:00:00.000Z',
  type,
  requestId: 'r1',
  actor: { oid: 'dana-oid', name: 'Dana Reyes' },
  target: { id: 'alice-oid', userPrincipalName: 'alice@contoso.com', displayName: 'Alice Wong' },
  ...extra,
});

/** A sink that keeps what it was given. */
function recordingSink(): SecurityEventSink & { events: SecurityEvent[] } {
  const events: SecurityEvent[] = [];
  return { kind: 'log', events, emit: (e) => void events.push(e), flush: async () => undefined };
}

describe('the security event of an audit event', () => {
  it('every audit type maps to a valid event with its outcome', () => {
    const types = Object.keys(OUTCOME_OF) as AuditEventType[];
    expect(types.length).toBeGreaterThan(20);
    for (const type of types) {
      const event = securityEventSchema.parse(securityEventOf(auditEvent(type)));
      expect(event.eventType).toBe(type);
      expect(event.outcome).toBe(OUTCOME_OF[type]);
    }
    expect(OUTCOME_OF['tap.issued']).toBe('success');
    expect(OUTCOME_OF['approval.rejected']).toBe('failure');
    expect(OUTCOME_OF['tap.outcome_unknown']).toBe('unknown');
  });

  it('carries the request facts, the privilege and its roles, and the approver', () => {
    const event = securityEventOf(
      auditEvent('tap.issued', {
        verification: 'video-photo-id',
        ticket: 'INC-1',
        lifetimeMinutes: 60,
        isUsableOnce: true,
        startDateTime: '2026-03-02T11:00:00.000Z',
        expiresAt: '2026-03-02T12:00:00.000Z',
        methodId: 'm1',
        targetPrivileged: true,
        targetRoles: 'eligible Global Administrator',
        approvedBy: { oid: 'erin-oid', name: 'Erin Park' },
      }),
    );
    expect(securityEventSchema.parse(event)).toMatchObject({
      actor: { id: 'dana-oid', userPrincipalName: null, displayName: 'Dana Reyes' },
      target: { id: 'alice-oid', userPrincipalName: 'alice@contoso.com' },
      targetPrivileged: true,
      targetPrivilegedReason: 'eligible Global Administrator',
      verification: 'video-photo-id',
      ticket: 'INC-1',
      lifetimeMinutes: 60,
      isUsableOnce: true,
      approvers: [{ id: 'erin-oid', userPrincipalName: null, displayName: 'Erin Park' }],
      methodId: 'm1',
      source: 'chat',
    });
  });

  it('keeps only its own fields: a pass or token on the audit object never leaves', () => {
    const leaky = { ...auditEvent('tap.issued'), temporaryAccessPass: 'Qz7!kP2w', token: 'eyJabc' };
    const text = JSON.stringify(securityEventOf(leaky as AuditEvent));
    expect(text).not.toContain('Qz7!kP2w');
    expect(text).not.toContain('eyJabc');
  });

  it('makes text from others one line without invisible characters, capped', () => {
    const event = securityEventOf(
      auditEvent('approval.rejected', {
        actor: { oid: 'x', name: 'Mallory\n{"outcome":"success"}\u200b' },
        reason: 'r'.repeat(1000),
      }),
    );
    expect(event.actor.displayName).not.toMatch(/[\n\u200b]/);
    expect(event.reason!.length).toBeLessThanOrEqual(256);
  });
});

describe('emission follows the committed audit write', () => {
  it('one event per appended or unit-committed audit event (not per timeline row)', async () => {
    const sink = recordingSink();
    const store = withSecurityEvents(new MemoryRowStore(), sink, () => undefined);
    const audit = new AuditLog(store, () => new Date('2026-03-02T10:00:00Z'));
    await audit.append({
      type: 'tap.revoked',
      requestId: 'r1',
      actor: { oid: 'a', name: 'A' },
      target: null,
    });
    const unit = new UnitOfWork();
    const base = auditEvent('tap.issued');
    audit.appendIn(unit, {
      type: base.type,
      requestId: base.requestId,
      actor: base.actor,
      target: base.target,
    });
    expect(sink.events).toHaveLength(1);
    await unit.commit(store);
    expect(sink.events.map((e) => e.eventType)).toEqual(['tap.revoked', 'tap.issued']);
  });

  it('nothing when the unit did not commit', async () => {
    const data = new MemoryData();
    const sink = recordingSink();
    const store = withSecurityEvents(new MemoryRowStore(data), sink, () => undefined);
    const audit = new AuditLog(store, () => new Date());
    data.failNextWrites(1, { table: TABLES.audit });
    const unit = new UnitOfWork();
    audit.appendIn(unit, {
      type: 'tap.issued',
      requestId: 'r',
      actor: { oid: 'a', name: 'A' },
      target: null,
    });
    await expect(unit.commit(store)).rejects.toThrow();
    expect(sink.events).toHaveLength(0);
  });

  it('a unit committed in part (Azure Tables): the events whose rows landed, and only those', async () => {
    const sink = recordingSink();
    const memory = new MemoryRowStore();
    // The first transaction (writes 0 and 1) landed, the second did not.
    const partly: RowStore = Object.assign(Object.create(memory) as RowStore, {
      commit: async (writes: readonly RowWrite[]) => {
        await memory.commit(writes.slice(0, 2));
        throw new PartialCommitError(new Error('second transaction failed'), [0, 1]);
      },
    });
    const store = withSecurityEvents(partly, sink, () => undefined);
    const audit = new AuditLog(store, () => new Date());
    const unit = new UnitOfWork();
    const event = (requestId: string) => ({
      type: 'tap.issued' as const,
      requestId,
      actor: { oid: 'a', name: 'A' },
      target: null,
    });
    audit.appendIn(unit, event('landed'));
    audit.appendIn(unit, event('landed-too'));
    audit.appendIn(unit, event('lost'));
    await expect(unit.commit(store)).rejects.toBeInstanceOf(PartialCommitError);
    expect(sink.events.map((e) => e.requestId)).toEqual(['landed', 'landed-too']);
  });

  it('a sink that throws is reported in the background and never fails the write', async () => {
    const onBackgroundError = vi.fn();
    const broken: SecurityEventSink = {
      kind: 'log',
      emit: () => {
        throw new Error('collector down');
      },
      flush: async () => undefined,
    };
    const store = withSecurityEvents(new MemoryRowStore(), broken, onBackgroundError);
    const audit = new AuditLog(store, () => new Date());
    await expect(
      audit.append({ type: 'tap.issued', requestId: 'r', actor: { oid: 'a', name: 'A' }, target: null }),
    ).resolves.toBeDefined();
    expect(onBackgroundError).toHaveBeenCalledWith('security.event', expect.any(Error));
  });
});

describe('where events go', () => {
  const lines: string[] = [];
  const log = createLogger('info', { write: (chunk: string) => void lines.push(chunk) });

  it('without a connection string: JSON lines on the security channel of the log; OTel is not started', async () => {
    const start = vi.fn();
    const sink = await securitySinkFor(undefined, log, start);
    expect(sink.kind).toBe('log');
    sink.emit(securityEventOf(auditEvent('tap.issued')));
    expect(start).not.toHaveBeenCalled();
    const line = JSON.parse(lines.at(-1)!) as { channel: string; securityEvent: unknown };
    expect(line.channel).toBe('security');
    expect(securityEventSchema.parse(line.securityEvent).eventType).toBe('tap.issued');
  });

  it('with a connection string: OpenTelemetry log records through the started exporter', async () => {
    const records: { body: string; attributes: Record<string, unknown> }[] = [];
    const flush = vi.fn(async () => undefined);
    const start = vi.fn(async () => ({
      logger: { emit: (r: (typeof records)[number]) => void records.push(r) },
      flush,
    }));
    const sink = await securitySinkFor('InstrumentationKey=00000000-0000-0000-0000-000000000000', log, start);
    expect(sink.kind).toBe('opentelemetry');
    expect(start).toHaveBeenCalledWith('InstrumentationKey=00000000-0000-0000-0000-000000000000');
    sink.emit(securityEventOf(auditEvent('approval.approved')));
    expect(securityEventSchema.parse(JSON.parse(records[0]!.body)).eventType).toBe('approval.approved');
    expect(records[0]!.attributes).toMatchObject({
      eventType: 'approval.approved',
      'actor.id': 'dana-oid',
      'target.userPrincipalName': 'alice@contoso.com',
    });
    await sink.flush();
    expect(flush).toHaveBeenCalled();
  });
});
