// The corpus of real phrasings (corpus/phrasings.tsv): each line's input must give exactly the
// command, refusal or "Did you mean" suggestion the line expects.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCommand, type Command, type ParseErrorCode } from '../../src/chat/grammar.js';

type Expected = { ok: true; command: Command } | { ok: false; code: ParseErrorCode; suggestion?: string };

interface Line {
  number: number;
  input: string;
  expected: Expected;
}

function readExpected(cell: string): Expected {
  if (cell.startsWith('{')) return { ok: true, command: JSON.parse(cell) as Command };
  const [word, code, ...rest] = cell.split(' ');
  if (word === 'refused' && code !== undefined && rest.length === 0) {
    return { ok: false, code: code as ParseErrorCode };
  }
  if (word === 'suggest' && code !== undefined && rest.length > 0) {
    return { ok: false, code: code as ParseErrorCode, suggestion: rest.join(' ') };
  }
  throw new Error(`unreadable expectation: ${cell}`);
}

function readCorpus(): Line[] {
  const text = readFileSync(new URL('./corpus/phrasings.tsv', import.meta.url), 'utf8');
  return text.split('\n').flatMap((raw, index) => {
    if (raw === '' || raw.startsWith('#')) return [];
    const [typed = '', cell = '', extra] = raw.split('\t');
    if (extra !== undefined || cell === '') throw new Error(`line ${index + 1} needs exactly one tab`);
    const input = typed.startsWith('json:') ? (JSON.parse(typed.slice(5)) as string) : typed;
    return [{ number: index + 1, input, expected: readExpected(cell) }];
  });
}

const corpus = readCorpus();

describe('the corpus of phrasings', () => {
  it('holds at least 200 phrasings, each once', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(new Set(corpus.map((line) => line.input)).size).toBe(corpus.length);
  });

  it('covers commands, small talk, refusals and suggestions', () => {
    const results = corpus.map((line) => line.expected);
    const kinds = new Set(results.map((r) => (r.ok ? r.command.kind : r.suggestion ? 'suggest' : 'refused')));
    expect([...kinds].sort()).toStrictEqual(
      [
        'audit',
        'bulk',
        'devices',
        'help',
        'issue',
        'list',
        'onboard',
        'onboarding-status',
        'policy',
        'refused',
        'request',
        'revoke',
        'suggest',
      ].sort(),
    );
  });

  it.each(corpus.map((line) => ({ ...line, name: `${line.number}: ${line.input.slice(0, 70)}` })))(
    '$name',
    ({ input, expected }) => {
      const result = parseCommand(input);
      if (expected.ok) {
        expect(result).toStrictEqual(expected);
        return;
      }
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe(expected.code);
      expect(result.suggestion).toBe(expected.suggestion);
      // What a suggestion offers is a command, and the same one however often it is clicked.
      if (expected.suggestion !== undefined) {
        const again = parseCommand(expected.suggestion);
        expect(again.ok).toBe(true);
        expect('suggestion' in again).toBe(false);
      }
    },
  );
});
