import { describe, expect, it } from 'vitest';
import type { BulkChunk, BulkItem, ItemState } from '../../src/bulk/job.js';
import type { CreatedTap } from '../../src/graph/port.js';
import { passesCsv, passRow, resultOf, type PassRow } from '../../src/bulk/results.js';

const START = '2026-05-04T10:00:00.000Z';
const EXPIRY = '2026-05-04T18:00:00.000Z';

function row(extra: Partial<PassRow> = {}): PassRow {
  return {
    userPrincipalName: 'alice@contoso.com',
    displayName: 'Alice Example',
    pass: 'Abc12345',
    startDateTime: START,
    expiresAt: EXPIRY,
    isUsableOnce: true,
    ...extra,
  };
}

/** The cells of the single data line (line 2) of a one-row file, split on unquoted commas. */
const dataLine = (csv: string) => csv.split('\r\n')[1];

describe('passesCsv', () => {
  it('writes the header and one CRLF-terminated line per pass', () => {
    const csv = passesCsv([
      row(),
      row({ userPrincipalName: 'bob@contoso.com', displayName: 'Bob', pass: 'Zz9', isUsableOnce: false }),
    ]);
    expect(csv).toBe(
      'user,name,pass,start,expiry,use\r\n' +
        `alice@contoso.com,Alice Example,Abc12345,${START},${EXPIRY},once\r\n` +
        `bob@contoso.com,Bob,Zz9,${START},${EXPIRY},multi-use\r\n`,
    );
  });

  it('is only the header line for no passes', () => {
    expect(passesCsv([])).toBe('user,name,pass,start,expiry,use\r\n');
  });

  it('has no bare LF line ends', () => {
    const csv = passesCsv([row(), row()]);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(csv.split('\r\n')).toHaveLength(4); // header, two rows, the empty string after the last CRLF
  });

  it('quotes commas, doubles quotes and quotes embedded newlines (RFC 4180)', () => {
    expect(dataLine(passesCsv([row({ displayName: 'Example, Alice' })]))).toBe(
      `alice@contoso.com,"Example, Alice",Abc12345,${START},${EXPIRY},once`,
    );
    expect(dataLine(passesCsv([row({ displayName: 'Alice "Al" Example' })]))).toBe(
      `alice@contoso.com,"Alice ""Al"" Example",Abc12345,${START},${EXPIRY},once`,
    );
    expect(passesCsv([row({ displayName: 'Line1\nLine2' })])).toBe(
      'user,name,pass,start,expiry,use\r\n' +
        `alice@contoso.com,"Line1\nLine2",Abc12345,${START},${EXPIRY},once\r\n`,
    );
    expect(passesCsv([row({ displayName: 'A\r\nB' })])).toContain(',"A\r\nB",');
  });

  it.each([
    ['=', '=SUM(A1)', "'=SUM(A1)"],
    ['+', '+123', "'+123"],
    ['-', '-5', "'-5"],
    ['@', '@cmd', "'@cmd"],
    ['tab', '\tx', "'\tx"],
  ])('guards a name starting with %s', (_label, name, expected) => {
    expect(dataLine(passesCsv([row({ displayName: name })]))).toBe(
      `alice@contoso.com,${expected},Abc12345,${START},${EXPIRY},once`,
    );
  });

  it('guards a name starting with CR and quotes it', () => {
    expect(passesCsv([row({ displayName: '\rx' })])).toContain(`,"'\rx",Abc12345,`);
  });

  it('guards the user column too, then quotes what needs it', () => {
    expect(dataLine(passesCsv([row({ userPrincipalName: '=evil@contoso.com' })]))).toBe(
      `'=evil@contoso.com,Alice Example,Abc12345,${START},${EXPIRY},once`,
    );
    expect(dataLine(passesCsv([row({ displayName: '=HYPERLINK("http://x","y")' })]))).toBe(
      `alice@contoso.com,"'=HYPERLINK(""http://x"",""y"")",Abc12345,${START},${EXPIRY},once`,
    );
  });

  it('does not guard a formula character that is not first', () => {
    expect(dataLine(passesCsv([row({ displayName: 'Anne-Marie @ HQ' })]))).toBe(
      `alice@contoso.com,Anne-Marie @ HQ,Abc12345,${START},${EXPIRY},once`,
    );
  });

  it.each(['=Ab+cd12', '+Xy=9', '-pass', '@pass', '=', '+'])('writes the pass %j byte for byte', (pass) => {
    const line = dataLine(passesCsv([row({ pass })]));
    expect(line).toBe(`alice@contoso.com,Alice Example,${pass},${START},${EXPIRY},once`);
    expect(line.split(',')[2]).toBe(pass);
  });

  it('quotes a pass containing a comma or quote without adding a guard', () => {
    expect(dataLine(passesCsv([row({ pass: '=a,b"c' })]))).toBe(
      `alice@contoso.com,Alice Example,"=a,b""c",${START},${EXPIRY},once`,
    );
  });

  it('passRow takes the target from the item and the times from the created pass', () => {
    const item = {
      target: { id: 'u1', userPrincipalName: 'carol@contoso.com', displayName: 'Carol' },
    } as BulkItem;
    expect(
      passRow(
        item,
        {
          id: 'm1',
          createdDateTime: START,
          temporaryAccessPass: '+Secret1',
          startDateTime: START,
          lifetimeInMinutes: 480,
          isUsableOnce: false,
          isUsable: true,
          methodUsabilityReason: 'InEffect',
        } satisfies CreatedTap,
        EXPIRY,
      ),
    ).toStrictEqual({
      userPrincipalName: 'carol@contoso.com',
      displayName: 'Carol',
      pass: '+Secret1',
      startDateTime: START,
      expiresAt: EXPIRY,
      isUsableOnce: false,
    });
  });
});

function item(state: ItemState, code?: string): BulkItem {
  return {
    ask: { line: 1, user: 'x@contoso.com' },
    target: { id: 'x', userPrincipalName: 'x@contoso.com', displayName: 'X' },
    plan: {},
    state,
    posts: state === 'ready' ? 0 : 1,
    ...(code ? { code } : {}),
  };
}

const FINISHED = '2026-05-04T11:00:00.000Z';

describe('resultOf', () => {
  it('counts every state across chunks', () => {
    const chunks: BulkChunk[] = [
      {
        index: 0,
        items: [item('issued'), item('issued'), item('posting'), item('unknown'), item('ready')],
      },
      {
        index: 1,
        items: [item('skipped'), item('failed', 'TAP_POLICY'), item('issued'), item('ready')],
      },
    ];
    expect(resultOf(chunks, FINISHED, 'file')).toStrictEqual({
      issued: 3,
      failed: 1,
      unknown: 2,
      notStarted: 3,
      failures: [{ code: 'TAP_POLICY', count: 1 }],
      finishedAt: FINISHED,
      delivery: 'file',
    });
  });

  it('groups failures by code, most frequent first, and names a missing code UNEXPECTED', () => {
    const chunks: BulkChunk[] = [
      {
        index: 0,
        items: [
          item('failed', 'A_ONCE'),
          item('failed', 'C_THRICE'),
          item('failed'),
          item('failed', 'C_THRICE'),
          item('failed'),
        ],
      },
      { index: 1, items: [item('failed', 'C_THRICE')] },
    ];
    const result = resultOf(chunks, FINISHED, 'none');
    expect(result.failed).toBe(6);
    expect(result.failures).toStrictEqual([
      { code: 'C_THRICE', count: 3 },
      { code: 'UNEXPECTED', count: 2 },
      { code: 'A_ONCE', count: 1 },
    ]);
  });

  it('is all zeros for no chunks', () => {
    expect(resultOf([], FINISHED, 'lost')).toStrictEqual({
      issued: 0,
      failed: 0,
      unknown: 0,
      notStarted: 0,
      failures: [],
      finishedAt: FINISHED,
      delivery: 'lost',
    });
  });
});
