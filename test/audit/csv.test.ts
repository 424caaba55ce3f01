import { describe, expect, it } from 'vitest';
import { AUDIT_CSV_COLUMNS, AUDIT_CSV_EOL, auditCsvHeader, auditCsvRow } from '../../src/audit/csv.js';
import type { AuditEvent } from '../../src/audit/event.js';

/** A small RFC 4180 reader: a state machine over characters, CRLF (or bare LF) between records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        cell += char;
      }
    } else if (char === '"') {
      if (cell !== '') throw new Error(`quote inside an unquoted field at ${index}`);
      quoted = true;
    } else if (char === ',') {
      record.push(cell);
      cell = '';
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[index + 1] !== '\n') throw new Error(`bare CR at ${index}`);
      if (char === '\r') index += 1;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else {
      cell += char;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (cell !== '' || record.length > 0) records.push([...record, cell]);
  return records;
}

const FORMULA = '=HYPERLINK("http://evil","x")';

const full: AuditEvent = {
  id: 'evt-1',
  at: '2026-11-22T13:05:00.000Z',
  type: 'tap.issued',
  requestId: '6f1c2a1e-8d4b-4c3a-9f2e-1b2c3d4e5f60',
  actor: { oid: 'oid-dana', name: 'Reyes, Dana "DJ"' },
  target: { id: 'user-1', userPrincipalName: 'alice.wong@contoso.com', displayName: 'Alice\nWong' },
  verification: 'callback',
  ticket: 'INC-1',
  lifetimeMinutes: 120,
  isUsableOnce: true,
  startDateTime: '2026-11-22T13:05:00.000Z',
  expiresAt: '2026-11-22T15:05:00.000Z',
  methodId: '8f3c2b1a-0d4e-4f5a-9b6c-7d8e9f0a1b2c',
  code: 'OK',
  source: 'api',
};
const minimal: AuditEvent = {
  id: 'evt-2',
  at: '2026-11-22T13:06:00.000Z',
  type: 'request.created',
  requestId: 'req-2',
  actor: { oid: 'oid-eve', name: FORMULA },
  target: null,
};

function values(e: AuditEvent): string[] {
  const t = e.target;
  return [
    e.id,
    e.at,
    e.type,
    e.requestId,
    e.actor.oid,
    e.actor.name,
    t?.id ?? '',
    t?.userPrincipalName ?? '',
    t?.displayName ?? '',
    e.verification ?? '',
    e.ticket ?? '',
    e.lifetimeMinutes === undefined ? '' : String(e.lifetimeMinutes),
    e.isUsableOnce === undefined ? '' : String(e.isUsableOnce),
    e.startDateTime ?? '',
    e.expiresAt ?? '',
    e.methodId ?? '',
    e.code ?? '',
    e.reason ?? '',
    e.source ?? '',
    e.faceCheckScore === undefined ? '' : String(e.faceCheckScore),
    e.faceCheckRequestId ?? '',
  ];
}

/** Undoes the formula guard, the one change the writer makes on purpose. */
function unguard(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

describe('audit CSV', () => {
  it('has a header with the documented columns', () => {
    expect(auditCsvHeader()).toBe(
      'id,at,type,requestId,actorOid,actorName,targetId,targetUpn,targetName,verification,ticket,' +
        'lifetimeMinutes,isUsableOnce,startDateTime,expiresAt,methodId,code,reason,source,faceCheckScore,faceCheckRequestId',
    );
    expect(AUDIT_CSV_COLUMNS).toHaveLength(21);
  });

  it('writes a plain row unquoted, and missing optional fields as empty cells', () => {
    const row = auditCsvRow({ ...minimal, actor: { oid: 'oid-eve', name: 'Eve' } });
    expect(row).toBe('evt-2,2026-11-22T13:06:00.000Z,request.created,req-2,oid-eve,Eve' + ','.repeat(15));
  });

  it('quotes commas, quotes and newlines, doubling inner quotes', () => {
    const row = auditCsvRow(full);
    expect(row).toContain(',"Reyes, Dana ""DJ""",');
    expect(row).toContain(',"Alice\nWong",');
    expect(row).toContain(',120,true,');
  });

  it('guards a formula so spreadsheets show it as text', () => {
    const row = auditCsvRow(minimal);
    expect(row).toContain(`,"'=HYPERLINK(""http://evil"",""x"")",`);
    expect(parseCsv(row)[0]?.[5]).toBe(`'${FORMULA}`);
  });

  it.each(['=1+1', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('guards a cell starting with %j', (name) => {
    const cell = parseCsv(auditCsvRow({ ...minimal, actor: { oid: 'o', name } }))[0]?.[5];
    expect(cell).toBe(`'${name}`);
  });

  it.each(['Alice', "O'Brien", ' =1', 'a=b', '1-2', 'x@y'])('leaves %j as it is', (name) => {
    expect(parseCsv(auditCsvRow({ ...minimal, actor: { oid: 'o', name } }))[0]?.[5]).toBe(name);
  });

  it('reads back to the original values, record for record', () => {
    const tricky: AuditEvent = {
      ...full,
      actor: { oid: '-oid', name: '"",\r\n,""' },
      target: { id: '+1', userPrincipalName: '@x', displayName: '=A1,"B"\n\nC' },
      ticket: '',
      code: 'Weird\r\ncode',
      reason: '=HYPERLINK("x"), "quoted"\nsecond line',
    };
    const events = [full, minimal, tricky];
    const text = [auditCsvHeader(), ...events.map(auditCsvRow)].join(AUDIT_CSV_EOL) + AUDIT_CSV_EOL;
    const records = parseCsv(text);
    expect(records).toHaveLength(events.length + 1);
    expect(records[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    for (const [index, e] of events.entries()) {
      const record = records[index + 1] ?? [];
      expect(record).toHaveLength(AUDIT_CSV_COLUMNS.length);
      expect(record.map(unguard)).toEqual(values(e));
    }
  });

  it('ends no record with a line terminator, leaving that to the caller', () => {
    expect(auditCsvHeader()).not.toMatch(/[\r\n]$/);
    expect(auditCsvRow(full)).not.toMatch(/[\r\n]$/);
    expect(AUDIT_CSV_EOL).toBe('\r\n');
  });
});
