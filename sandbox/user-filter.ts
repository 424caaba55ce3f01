import type { FixtureUser } from './fixture.js';

/** A compiled `$filter` or `$search` expression. */
export type UserPredicate = (user: FixtureUser) => boolean;

const filterableFields = [
  'id',
  'userPrincipalName',
  'mail',
  'displayName',
  'userType',
  'accountEnabled',
  'jobTitle',
  'department',
];
const searchableFields = ['displayName', 'mail', 'userPrincipalName'];

function canonicalField(name: string, allowed: string[]): string | undefined {
  return allowed.find((f) => f.toLowerCase() === name.toLowerCase());
}

function fieldText(user: FixtureUser, field: string): string | null {
  const value = (user as unknown as Record<string, unknown>)[field];
  return value === null || value === undefined ? null : String(value);
}

/** One lexical token of an OData `$filter`. */
export type Token = { kind: 'word' | 'string' | 'punct'; text: string };

/** Splits an OData `$filter` into words, string literals ('' escapes a quote) and `(`, `)`, `,`. */
export function tokenize(input: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (/\s/.test(ch)) i++;
    else if ('(),'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch });
      i++;
    } else if (ch === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= input.length) return 'unterminated string literal';
        if (input[i] === "'" && input[i + 1] === "'") {
          text += "'"; // '' is an escaped quote inside an OData string literal
          i += 2;
        } else if (input[i] === "'") break;
        else text += input[i++];
      }
      i++;
      tokens.push({ kind: 'string', text });
    } else {
      const word = /^[A-Za-z0-9_.@-]+/.exec(input.slice(i))?.[0];
      if (!word) return `unexpected character '${ch}'`;
      tokens.push({ kind: 'word', text: word });
      i += word.length;
    }
  }
  return tokens;
}

/** Compiles the supported `$filter` subset: startswith(f,'x'), f eq 'x'|true|false|null, and/or, parentheses. */
export function compileUserFilter(input: string): UserPredicate | string {
  const tokens = tokenize(input);
  if (typeof tokens === 'string') return tokens;
  let pos = 0;
  const peekWord = () => (tokens[pos]?.kind === 'word' ? tokens[pos]?.text.toLowerCase() : undefined);
  const expect = (text: string) => {
    if (tokens[pos]?.text !== text) throw new Error(`expected '${text}'`);
    pos++;
  };
  const field = (): string => {
    const token = tokens[pos++];
    const name = token?.kind === 'word' ? canonicalField(token.text, filterableFields) : undefined;
    if (!name) throw new Error(`unsupported property '${token?.text ?? ''}'`);
    return name;
  };
  const primary = (): UserPredicate => {
    if (tokens[pos]?.text === '(') {
      pos++;
      const inner = orExpr();
      expect(')');
      return inner;
    }
    if (peekWord() === 'startswith' && tokens[pos + 1]?.text === '(') {
      pos += 2;
      const name = field();
      expect(',');
      const literal = tokens[pos++];
      if (literal?.kind !== 'string') throw new Error('startswith needs a string literal');
      expect(')');
      const prefix = literal.text.toLowerCase();
      return (u) => (fieldText(u, name) ?? '').toLowerCase().startsWith(prefix);
    }
    const name = field();
    if (peekWord() !== 'eq') throw new Error('only eq and startswith are supported');
    pos++;
    const literal = tokens[pos++];
    if (literal?.kind === 'string')
      return (u) => (fieldText(u, name) ?? '').toLowerCase() === literal.text.toLowerCase();
    const keyword = literal?.text.toLowerCase();
    if (keyword === 'true' || keyword === 'false') return (u) => fieldText(u, name) === keyword;
    if (keyword === 'null') return (u) => fieldText(u, name) === null;
    throw new Error('eq needs a string, boolean or null literal');
  };
  const andExpr = (): UserPredicate => {
    let left = primary();
    while (peekWord() === 'and') {
      pos++;
      const [l, r] = [left, primary()];
      left = (u) => l(u) && r(u);
    }
    return left;
  };
  function orExpr(): UserPredicate {
    let left = andExpr();
    while (peekWord() === 'or') {
      pos++;
      const [l, r] = [left, andExpr()];
      left = (u) => l(u) || r(u);
    }
    return left;
  }
  try {
    const predicate = orExpr();
    if (pos !== tokens.length) return `unexpected '${tokens[pos]?.text ?? ''}'`;
    return predicate;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Splits text into lower-case words the way the sandbox's `$search` tokenizer does. */
export function searchWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Compiles `$search`: `"field:words"` clauses joined by AND/OR; every word must prefix a word of the field. */
export function compileUserSearch(input: string): UserPredicate | string {
  const clausePattern = /\s*"([^"]*)"\s*(?:(AND|OR)\s*|$)/y;
  const clauses: Array<{ predicate: UserPredicate; joiner?: string }> = [];
  let match: RegExpExecArray | null;
  while ((match = clausePattern.exec(input))) {
    const [, clause = '', joiner] = match;
    const colon = clause.indexOf(':');
    const name = colon > 0 ? canonicalField(clause.slice(0, colon), searchableFields) : undefined;
    if (!name)
      return `Invalid $search clause "${clause}": expected "displayName:...", "mail:..." or "userPrincipalName:..."`;
    const wanted = searchWords(clause.slice(colon + 1));
    clauses.push({
      predicate: (u) => {
        const words = searchWords(fieldText(u, name) ?? '');
        return wanted.every((w) => words.some((word) => word.startsWith(w)));
      },
      joiner,
    });
    if (!joiner) break;
  }
  if (clauses.length === 0 || clausePattern.lastIndex !== input.length || clauses.at(-1)?.joiner) {
    return 'Syntax error: $search must be quoted clauses like "displayName:alice" joined by AND or OR';
  }
  // AND binds tighter than OR, as in Graph's $search grammar.
  const groups: UserPredicate[][] = [[]];
  clauses.forEach((c, i) => {
    groups.at(-1)?.push(c.predicate);
    if (c.joiner === 'OR' && i < clauses.length - 1) groups.push([]);
  });
  return (u) => groups.some((group) => group.every((p) => p(u)));
}
