import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/chat/grammar.js';
import { seededRandom } from './random.js';
import { ParseResultShape } from './shapes.js';

describe('device searches', () => {
  it('reads a serial fragment only as letters, digits and dashes, upper-cased', () => {
    expect(parseCommand('find device 5cg33-ab')).toStrictEqual({
      ok: true,
      command: { kind: 'devices', serial: '5CG33-AB' },
    });
    for (const hostile of ["5CG'33", '5CG33)', 'x%27', '5CG 33', '"5CG33\'"', `${'A1'.repeat(33)}`]) {
      const result = parseCommand(`find device ${hostile}`);
      expect(result.ok, hostile).toBe(false);
    }
  });

  it('checks a quoted serial like any other', () => {
    expect(parseCommand('device "PF4KX1A2"')).toMatchObject({ ok: true, command: { serial: 'PF4KX1A2' } });
    expect(parseCommand('device "PF4\' or 1"').ok).toBe(false);
  });

  it('answers an unclosed quote with a device example', () => {
    const result = parseCommand('find device "PF4KX');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toContain('find device 5CG33');
  });

  it('keeps "show TAP for alice" and "show policy" what they were', () => {
    expect(parseCommand('show TAP for alice')).toMatchObject({ ok: true, command: { kind: 'list' } });
    expect(parseCommand('show policy')).toMatchObject({ ok: true, command: { kind: 'policy' } });
  });

  it('answers every random input after a device prefix with a well-formed result', () => {
    const random = seededRandom(0x5c633);
    const alphabet = ['A', '1', '-', "'", '"', ' ', '@', '(', ')', 'for ', 'bob ', 'é', '\u200b', '%', ','];
    let found = 0;
    for (let run = 0; run < 2000; run += 1) {
      const tail = Array.from({ length: random.int(0, 12) }, () => random.pick(alphabet)).join('');
      const input = random.pick(['find device ', 'devices for ', 'device ', 'which laptop does ']) + tail;
      const result = parseCommand(input);
      const shape = ParseResultShape.safeParse(result);
      expect(shape.success, `${JSON.stringify(input)} -> ${JSON.stringify(result)}`).toBe(true);
      if (result.ok && result.command.kind === 'devices') found += 1;
    }
    expect(found).toBeGreaterThan(100);
  });
});
