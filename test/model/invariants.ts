// The invariants the model test checks after every step, from the sandbox's own state (passes,
// Graph log) and the bot's store (audit trail, requests, bulks) and logs. Each returns readable
// violations instead of throwing, so one step can report all it broke.
import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../src/audit/event.js';
import { BulkRepository } from '../../src/bulk/repository.js';
import { VERBS } from '../../src/cards/actions.js';
import { TABLES } from '../../src/store/port.js';
import type { TapRequest } from '../../src/tap/request.js';
import { sandboxState, type SandboxState } from '../helpers/sandbox-admin.js';
import { APPROVERS_THREAD, MAX_LIFETIME_MINUTES, type ModelWorld, type StepRecord } from './world.js';

export interface Violation {
  /** Which invariant: I1 … I5. */
  invariant: string;
  message: string;
}

const TAP_PATH = /^\/v1\.0\/users\/([^/]+)\/authentication\/temporaryAccessPassMethods(?:\/([^/?]+))?$/;
/** The sandbox's pass length (the fixture policy's defaultLength; nothing in a run changes it). */
const PASS_LENGTH = 8;
const PASS_RUNS = /[A-Za-z0-9!@#$%&*?]{8,}/g;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface GraphWrite {
  kind: 'create' | 'delete';
  userId: string;
  callerOid: string;
  status: number;
}

function tapWrites(log: SandboxState['graphLog']): GraphWrite[] {
  const writes: GraphWrite[] = [];
  for (const entry of log) {
    const m = TAP_PATH.exec(entry.path.split('?')[0]!);
    if (!m) continue;
    const userId = decodeURIComponent(m[1]!);
    if (entry.method === 'POST' && !m[2])
      writes.push({ kind: 'create', userId, callerOid: entry.callerOid, status: entry.status });
    else if (entry.method === 'DELETE' && m[2])
      writes.push({ kind: 'delete', userId, callerOid: entry.callerOid, status: entry.status });
  }
  return writes;
}

/** Every string value inside a JSON-like value. */
function stringsIn(node: unknown, into: string[]): string[] {
  if (typeof node === 'string') into.push(node);
  else if (Array.isArray(node)) node.forEach((n) => stringsIn(n, into));
  else if (node && typeof node === 'object') Object.values(node).forEach((n) => stringsIn(n, into));
  return into;
}

/** Invariant state carried from step to step within one sequence. */
export class InvariantChecker {
  private seenEvents = new Set<string>();
  private passHashes = new Set<string>();
  private connectorScanned = 0;
  private logScanned = 0;
  private writesBefore = 0;
  /** What the sequence did so far, for the coverage summary: audit event types and Graph TAP writes. */
  readonly coverage = new Map<string, number>();

  constructor(private readonly world: ModelWorld) {}

  private async audit(): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    let continuation: string | undefined;
    do {
      const page = await this.world.h.store.list<AuditEvent>(
        { table: TABLES.audit, partition: 'all' },
        { continuation },
      );
      events.push(...page.rows.map((r) => r.value));
      continuation = page.continuation;
    } while (continuation);
    return events;
  }

  private async request(id: string): Promise<TapRequest | undefined> {
    return (await this.world.h.store.get<TapRequest>(TABLES.requests, id, 'request'))?.value;
  }

  /** Checks everything after `record`'s step has settled. */
  async check(record: StepRecord): Promise<Violation[]> {
    const w = this.world;
    const state = await sandboxState(w.h);
    const events = await this.audit();
    const violations: Violation[] = [];
    const fail = (invariant: string, message: string) => violations.push({ invariant, message });
    for (const pass of state.passes) this.passHashes.add(pass.passSha256);

    const writes = tapWrites(state.graphLog);
    const created = writes.filter((x) => x.kind === 'create' && x.status === 201);
    const deleted = writes.filter((x) => x.kind === 'delete' && x.status === 204);
    const issued = events.filter((e) => e.type === 'tap.issued');
    const unknown = events.filter((e) => e.type === 'tap.outcome_unknown');

    // 1. Every new pass comes from an allowed transition, made in this step.
    for (const e of issued.filter((x) => !this.seenEvents.has(x.id))) {
      const who = `${w.nameOf(e.actor.oid)}'s pass for ${e.target?.userPrincipalName} (${w.alias(e.requestId)})`;
      if (e.reason === 'bulk') {
        const job = (await new BulkRepository(w.h.store).get(e.requestId))?.value;
        const c = record.click;
        if (!job) fail('I1', `${who}: a bulk pass for a bulk the store does not know`);
        else if (!c || !c.verb.startsWith('bulk.'))
          fail('I1', `${who}: a bulk pass issued by a step that was no bulk click`);
        else {
          if (job.run?.by.oid !== e.actor.oid || job.requester.oid !== e.actor.oid)
            fail(
              'I1',
              `${who}: a bulk run by ${w.nameOf(job.run?.by.oid)} for ${w.nameOf(job.requester.oid)}`,
            );
          if (job.needsApproval && !job.approval?.decidedBy)
            fail('I1', `${who}: a bulk above the approval size issued without an approver`);
          if (job.approval?.decidedBy && job.approval.decidedBy.oid === job.requester.oid)
            fail('I1', `${who}: a bulk approved by its own requester`);
        }
        continue;
      }
      const request = await this.request(e.requestId);
      const c = record.click;
      if (!request) {
        fail('I1', `${who}: tap.issued for a request the store does not know`);
        continue;
      }
      const kind = request.kind ?? 'issue';
      const clickedId = c ? String(c.data.requestId ?? c.data.bulkId ?? '') : '';
      if (!c || clickedId !== e.requestId) {
        fail('I1', `${who}: issued in a step that clicked no button of this request`);
      } else if (kind === 'issue') {
        if (c.verb !== VERBS.confirm)
          fail('I1', `${who}: an issue request turned into a pass by ${c.verb} (only tap.confirm may)`);
        if (c.oid !== request.requester.oid || e.actor.oid !== request.requester.oid)
          fail(
            'I1',
            `${who}: confirmed by ${c.who}, not by its requester ${w.nameOf(request.requester.oid)}`,
          );
        if (!events.some((x) => x.type === 'request.confirmed' && x.requestId === e.requestId))
          fail('I1', `${who}: no request.confirmed before the pass`);
      } else if (kind === 'approval') {
        if (c.verb !== VERBS.approve)
          fail('I1', `${who}: an approval request turned into a pass by ${c.verb} (only tap.approve may)`);
        if (c.oid === request.requester.oid) fail('I1', `${who}: approved by its own requester`);
        if (c.oid === request.target?.id) fail('I1', `${who}: approved by its own target`);
        const handedOff = request.approval?.handedOffTo?.includes(c.oid) ?? false;
        if (c.conversationId !== APPROVERS_THREAD && !handedOff)
          fail(
            'I1',
            `${who}: approved in ${w.conversationName(c.conversationId)}, not the approvers’ channel`,
          );
      } else {
        fail('I1', `${who}: a pass created for a ${kind} request, by ${c.verb}`);
      }
      if (e.target?.id !== request.target?.id)
        fail(
          'I1',
          `${who}: the pass is for ${e.target?.userPrincipalName}, the request for ${request.target?.userPrincipalName}`,
        );
    }
    for (const e of events) {
      if (!this.seenEvents.has(e.id)) this.coverage.set(e.type, (this.coverage.get(e.type) ?? 0) + 1);
      this.seenEvents.add(e.id);
    }

    // 2. Never two passes for one request (for one person of a bulk); never more creates than outcomes.
    const perRequest = new Map<string, number>();
    for (const e of issued) {
      const key = `${e.requestId}|${e.target?.id}`;
      perRequest.set(key, (perRequest.get(key) ?? 0) + 1);
    }
    for (const [key, n] of perRequest)
      if (n > 1) fail('I2', `${n} tap.issued events for request ${w.alias(key.split('|')[0]!)}`);
    if (created.length > issued.length + unknown.length)
      fail(
        'I2',
        `${created.length} passes created in Graph, but only ${issued.length} issued + ${unknown.length} unknown outcomes audited`,
      );

    // 3. The audit trail matches the Graph log, person by person.
    const count = (ids: string[]) => {
      const m = new Map<string, number>();
      for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
      return m;
    };
    const graphPer = count(created.map((x) => x.userId));
    const auditPer = count(issued.map((e) => e.target?.id ?? '?'));
    for (const id of new Set([...graphPer.keys(), ...auditPer.keys()])) {
      const g = graphPer.get(id) ?? 0;
      const a = auditPer.get(id) ?? 0;
      if (g !== a) fail('I3', `${w.nameOf(id)}: ${g} passes created in Graph, ${a} tap.issued audited`);
    }
    const revokedLogged = w.h.logLines.filter(
      (l) => l.includes('"event":"tap.revoked"') && l.includes('"deleted":true'),
    ).length;
    if (deleted.length !== revokedLogged)
      fail(
        'I3',
        `${deleted.length} passes deleted in Graph (204), ${revokedLogged} tap.revoked logged with deleted=true`,
      );
    const revokedAudited = events.filter((e) => e.type === 'tap.revoked').length;
    const deleteCalls = writes.filter((x) => x.kind === 'delete' && (x.status === 204 || x.status === 404));
    if (revokedAudited > deleteCalls.length || deleted.length > revokedAudited)
      fail('I3', `${revokedAudited} tap.revoked audited, ${deleted.length} deleted in Graph`);

    // 4. Nobody creates a pass for themselves; Mallory never makes TapDesk write; no pass in shared text.
    for (const x of created)
      if (x.callerOid === x.userId) fail('I4', `${w.nameOf(x.callerOid)} created a pass for themselves`);
    const mallory = w.person('mallory').id;
    const newWrites = writes.slice(this.writesBefore).filter((x) => x.status >= 200 && x.status < 300);
    for (const x of newWrites) {
      if (x.callerOid === mallory)
        fail('I4', `Graph ${x.kind} for ${w.nameOf(x.userId)} with Mallory's token (${x.status})`);
      else if (record.actor === 'mallory')
        fail(
          'I4',
          `Mallory's step caused a Graph ${x.kind} for ${w.nameOf(x.userId)} as ${w.nameOf(x.callerOid)}`,
        );
    }
    const stepWrites = writes.slice(this.writesBefore);
    if (stepWrites.length > 0)
      record.text += ` ⇒ Graph: ${stepWrites.map((x) => `${x.kind} for ${w.nameOf(x.userId)} as ${w.nameOf(x.callerOid)} ${x.status}`).join('; ')}`;
    this.writesBefore = writes.length;
    const calls = w.h.connector.calls;
    for (; this.connectorScanned < calls.length; this.connectorScanned += 1) {
      const call = calls[this.connectorScanned]!;
      const leak = this.findPass(stringsIn(call.activity, []));
      if (leak)
        fail('I4', `a pass value (${leak}) in a message to ${w.conversationName(call.conversationId)}`);
    }
    const lines = w.h.logLines;
    for (; this.logScanned < lines.length; this.logScanned += 1) {
      const line = lines[this.logScanned]!;
      const leak = this.findPass(stringsIn(safeJson(line), []));
      if (leak) {
        const event = (safeJson(line) as { event?: unknown; msg?: unknown } | undefined) ?? {};
        fail('I4', `a pass value (${leak}) in the log, in ${String(event.event ?? event.msg ?? 'a line')}`);
      }
    }

    // 5. No pass lives longer than TapDesk's cap.
    for (const pass of state.passes)
      if (pass.lifetimeInMinutes > MAX_LIFETIME_MINUTES)
        fail(
          'I5',
          `${pass.userPrincipalName}'s pass (by ${w.nameOf(pass.createdBy)}) lives ${pass.lifetimeInMinutes} min > ${MAX_LIFETIME_MINUTES}`,
        );
    return violations;
  }

  /** A pass code (any created this sequence) inside one of the strings, redacted for the report. */
  private findPass(strings: string[]): string | undefined {
    if (this.passHashes.size === 0) return undefined;
    // Codes use letters, digits and !@#$%&*? only: just runs of those can hold one.
    for (const s of strings)
      for (const [run] of s.matchAll(PASS_RUNS))
        for (let i = 0; i + PASS_LENGTH <= run.length; i += 1) {
          const window = run.slice(i, i + PASS_LENGTH);
          if (this.passHashes.has(sha256(window))) return `${window.slice(0, 2)}…`;
        }
    return undefined;
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return line;
  }
}
