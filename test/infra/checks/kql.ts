// A deliberately small evaluator for the subset of KQL the Sentinel rules in infra/sentinel use, so a
// test can run a rule's own text over a sample event. Anything outside the subset throws: a rule that
// grows a new clause fails its test until this learns it, rather than being skipped.

type Row = Record<string, unknown>;
type Value = string | number | boolean | null | undefined;

/** Every `e.<path>` a rule reads from the security event. */
export function eventFieldsOf(kql: string): string[] {
  const paths = [...stripComments(kql).matchAll(/\be\.([A-Za-z]\w*(?:\.[A-Za-z]\w*)*)/g)].map((m) => m[1]!);
  return [...new Set(paths)];
}

const stripComments = (kql: string) => kql.replace(/\/\/.*$/gm, '');

/** `let name = 5;` and `let window = 1h;` (timespans as milliseconds). */
function letsOf(kql: string): Map<string, number> {
  const lets = new Map<string, number>();
  for (const m of stripComments(kql).matchAll(/^let (\w+) = ([^;]+);$/gm)) {
    const span = /^(\d+)([mhd])$/.exec(m[2]!.trim());
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 };
    lets.set(m[1]!, span ? Number(span[1]) * unit[span[2] as 'm' | 'h' | 'd'] : Number(m[2]));
    if (Number.isNaN(lets.get(m[1]!))) throw new Error(`unsupported let: ${m[0]}`);
  }
  return lets;
}

/** The piped steps after the table name, continuation lines joined to their step. */
function stepsOf(kql: string): string[] {
  const body = stripComments(kql)
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('let '));
  if (body[0]!.trim() !== 'AppTraces') throw new Error(`rules read AppTraces, not ${body[0]}`);
  const steps: string[] = [];
  for (const line of body.slice(1)) {
    if (line.startsWith('|')) steps.push(line.slice(1).trim());
    else steps[steps.length - 1] += ` ${line.trim()}`;
  }
  return steps;
}

const pathValue = (row: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Row | null | undefined)?.[k], row);

function term(text: string, row: Row, lets: Map<string, number>): boolean {
  const operand = (t: string): Value =>
    lets.has(t) ? lets.get(t) : /^\d+$/.test(t) ? Number(t) : (row[t] as Value);
  let m = /^tostring\(e\.([\w.]+)\) (==|!=|startswith) "([^"]*)"$/.exec(text);
  if (m) {
    const v = String(pathValue(row.e, m[1]!) ?? '');
    if (m[2] === '!=') return v !== m[3];
    return m[2] === '==' ? v === m[3] : v.startsWith(m[3]!);
  }
  m = /^tobool\(e\.([\w.]+)\) == (true|false)$/.exec(text);
  if (m) return pathValue(row.e, m[1]!) === (m[2] === 'true');
  m = /^hourofday\(todatetime\(e\.([\w.]+)\)\) (<|>=) (\w+)$/.exec(text);
  if (m) {
    const hour = new Date(String(pathValue(row.e, m[1]!))).getUTCHours();
    const bound = operand(m[3]!) as number;
    return m[2] === '<' ? hour < bound : hour >= bound;
  }
  m = /^(\w+) > (\w+)$/.exec(text);
  if (m) return (operand(m[1]!) as number) > (operand(m[2]!) as number);
  throw new Error(`unsupported condition: ${text}`);
}

function condition(text: string, row: Row, lets: Map<string, number>): boolean {
  return text.split(' or ').some((any) => any.split(' and ').every((all) => term(all.trim(), row, lets)));
}

/** `summarize n = count() by name = tostring(e.path), bin(todatetime(e.time), window)`. */
function summarize(step: string, rows: Row[], lets: Map<string, number>): Row[] {
  const m =
    /^summarize (\w+) = count\(\) by (\w+) = tostring\(e\.([\w.]+)\), bin\(todatetime\(e\.([\w.]+)\), (\w+)\)$/.exec(
      step,
    );
  if (!m) throw new Error(`unsupported summarize: ${step}`);
  const [, countName, byName, byPath, timePath, windowName] = m as unknown as string[];
  const window = lets.get(windowName!);
  if (!window) throw new Error(`no let for ${windowName}`);
  const groups = new Map<string, Row>();
  for (const row of rows) {
    const by = String(pathValue(row.e, byPath!));
    const bin = Math.floor(Date.parse(String(pathValue(row.e, timePath!))) / window) * window;
    const key = `${by}|${bin}`;
    const group = groups.get(key) ?? { [byName!]: by, bin, [countName!]: 0 };
    group[countName!] = (group[countName!] as number) + 1;
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The rows a rule returns over these security events (each as the Message of one AppTraces row). */
export function runRule(kql: string, events: unknown[]): Row[] {
  const lets = letsOf(kql);
  let rows: Row[] = events.map((event) => ({ Message: JSON.stringify(event) }));
  for (const step of stepsOf(kql)) {
    if (step === 'extend e = parse_json(Message)')
      rows = rows.map((r) => ({ ...r, e: JSON.parse(String(r.Message)) as unknown }));
    else if (step.startsWith('where ')) rows = rows.filter((r) => condition(step.slice(6), r, lets));
    else if (step.startsWith('summarize ')) rows = summarize(step, rows, lets);
    else if (step.startsWith('project '))
      continue; // shapes the alert's columns; its fields are checked against the schema
    else throw new Error(`unsupported step: ${step}`);
  }
  return rows;
}
