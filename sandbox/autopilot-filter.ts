import type { StoredDevice } from './autopilot-devices.js';
import { tokenize } from './user-filter.js';

/** A compiled Autopilot `$filter`. */
export type DevicePredicate = (device: StoredDevice) => boolean;

/** `contains(...)` takes the fields clients are seen using (next-wave §3.3). */
const containsFields = ['serialNumber', 'groupTag', 'displayName', 'model', 'manufacturer'] as const;
/**
 * `eq` takes the same fields plus the assigned user and the enrollment state [sandbox choice]: the
 * contract names `eq` without fields, and finding a person's devices or the enrolled ones needs these.
 */
const eqFields = [...containsFields, 'userPrincipalName', 'enrollmentState'] as const;

type Field = (typeof eqFields)[number];

function canonical(name: string | undefined, allowed: readonly Field[]): Field | undefined {
  return allowed.find((f) => f.toLowerCase() === (name ?? '').toLowerCase());
}

/**
 * Compiles `contains(<field>,'<text>')` and `<field> eq '<text>'` clauses joined by `and`, comparing
 * case-insensitively. Anything else (`or`, `not`, `startswith`, other operators, parentheses around
 * clauses, other fields) is refused with a reason, which the caller answers with 400.
 */
export function compileDeviceFilter(input: string): DevicePredicate | string {
  const tokens = tokenize(input);
  if (typeof tokens === 'string') return tokens;
  let pos = 0;
  const take = () => tokens[pos++];
  const expect = (text: string) => {
    if (take()?.text !== text) throw new Error(`expected '${text}'`);
  };
  const literal = (): string => {
    const token = take();
    if (token?.kind !== 'string') throw new Error('expected a string literal');
    return token.text.toLowerCase();
  };
  const clause = (): DevicePredicate => {
    const first = take();
    if (first?.kind !== 'word') throw new Error(`unexpected '${first?.text ?? 'end of filter'}'`);
    if (first.text.toLowerCase() === 'contains' && tokens[pos]?.text === '(') {
      pos++;
      const nameToken = take();
      const field = canonical(nameToken?.text, containsFields);
      if (!field) throw new Error(`contains is not supported on '${nameToken?.text ?? ''}'`);
      expect(',');
      const text = literal();
      expect(')');
      return (d) => d[field].toLowerCase().includes(text);
    }
    if (tokens[pos]?.text === '(') throw new Error(`unsupported function '${first.text}'`);
    const field = canonical(first.text, eqFields);
    if (!field) throw new Error(`unsupported property '${first.text}'`);
    const operator = take();
    if (operator?.text.toLowerCase() !== 'eq')
      throw new Error(`unsupported operator '${operator?.text ?? ''}' (only eq)`);
    const text = literal();
    return (d) => d[field].toLowerCase() === text;
  };
  try {
    const clauses = [clause()];
    while (tokens[pos]?.kind === 'word' && tokens[pos]?.text.toLowerCase() === 'and') {
      pos++;
      clauses.push(clause());
    }
    if (pos !== tokens.length) return `unexpected '${tokens[pos]?.text ?? ''}'`;
    return (d) => clauses.every((c) => c(d));
  } catch (error) {
    return (error as Error).message;
  }
}
