import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, ConfigError, loadConfig } from '../../src/config.js';

// docs/configuration.md against the code: every variable the code reads is documented once, every
// documented default is the code's, and the page names no variable the code does not read.

const root = new URL('../../', import.meta.url);
const text = (path: string) => readFileSync(new URL(path, root), 'utf8');

const doc = text('docs/configuration.md');
const configSource = text('src/config.ts');
const settingsSource = text('src/store/settings.ts');

/** Every .ts/.mjs file under src/, as [path, source]. */
function sourcesUnder(dir: string): [string, string][] {
  return readdirSync(new URL(dir, root), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name))
    .map((e) => {
      const path = join(e.parentPath, e.name);
      return [path, readFileSync(path, 'utf8')];
    });
}
// The product and the sandbox runner (its ports and Playground switches are documented too).
const allSources = [...sourcesUnder('src/'), ...sourcesUnder('sandbox/')];

const NAME = '[A-Z][A-Z0-9_]*';

/** Variables src/config.ts and src/store/settings.ts read: env.X / rawEnv.X, read('X'), the rules' keys. */
function configReads(): Set<string> {
  const names = new Set<string>(Object.keys(CONFIG_DEFAULTS));
  for (const source of [configSource, settingsSource]) {
    for (const m of source.matchAll(new RegExp(`\\b(?:env|rawEnv)\\.(${NAME})\\b`, 'g'))) names.add(m[1]!);
    for (const m of source.matchAll(new RegExp(`\\bread\\('(${NAME})'\\)`, 'g'))) names.add(m[1]!);
  }
  const rules = /^const rules = \{\n([\s\S]*?)^\};/m.exec(configSource)?.[1];
  if (!rules) throw new Error('src/config.ts has no `const rules = {…};` block any more: update this test');
  for (const m of rules.matchAll(new RegExp(`^ {2}(${NAME}):`, 'gm'))) names.add(m[1]!);
  return names;
}

/** Every `process.env.X` read anywhere in src or the sandbox. */
function processEnvReads(): Set<string> {
  const names = new Set<string>();
  for (const [, source] of allSources)
    for (const m of source.matchAll(new RegExp(`\\bprocess\\.env\\.(${NAME})\\b`, 'g'))) names.add(m[1]!);
  return names;
}

/** Literal fallbacks in src: `env.X || 'v'`, `process.env.X ?? 'v'`, `process.env.X || 123`. */
function sourceFallbacks(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const pattern = new RegExp(
    `\\b(?:process\\.env|env|rawEnv)\\.(${NAME})\\s*(?:\\|\\||\\?\\?)\\s*(?:'([^']*)'|(\\d+)\\b)`,
    'g',
  );
  for (const [, source] of allSources)
    for (const m of source.matchAll(pattern)) {
      const value = m[2] ?? m[3]!;
      out.set(m[1]!, [...(out.get(m[1]!) ?? []), value]);
    }
  return out;
}

type Documented = { name: string; default: 'required' | string };

/** The rows of every table whose first cell is one backticked variable name. */
function documentedRows(): Documented[] {
  const rows: Documented[] = [];
  for (const line of doc.split('\n')) {
    const m = new RegExp(`^\\|\\s*\`(${NAME})\`\\s*\\|([^|]*)\\|`).exec(line);
    if (!m) continue;
    const cell = m[2]!.trim();
    if (cell === 'required') rows.push({ name: m[1]!, default: 'required' });
    else if (cell === 'empty') rows.push({ name: m[1]!, default: '' });
    else {
      const value = /^`([^`]*)`/.exec(cell);
      if (!value)
        throw new Error(
          `docs/configuration.md: ${m[1]}'s default cell '${cell}' is not required/empty/\`value\``,
        );
      rows.push({ name: m[1]!, default: value[1]! });
    }
  }
  return rows;
}

const rows = documentedRows();
const documented = new Map(rows.map((r) => [r.name, r]));
const reads = configReads();
const envReads = processEnvReads();
const fallbacks = sourceFallbacks();

const entraEnv: Record<string, string> = {
  TAPDESK_MODE: 'entra',
  BOT_ID: '5b1a8f55-3f64-4a5e-9a59-0d6f3c1c1a11',
  BOT_TYPE: 'UserAssignedMSI',
  BOT_TENANT_ID: '983d3322-0fcd-5c35-a4d1-3a425390a6f9',
  AAD_APP_CLIENT_ID: 'e80c831c-776c-55ce-aec6-f90b910f57f0',
  AAD_APP_CLIENT_SECRET: 'secret',
  AAD_APP_TENANT_ID: '983d3322-0fcd-5c35-a4d1-3a425390a6f9',
  SSO_RESOURCE: 'api://tapdesk.example/botid-5b1a8f55-3f64-4a5e-9a59-0d6f3c1c1a11',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('docs/configuration.md', () => {
  it('the source scan still sees the variables (a guard against a blind regex)', () => {
    expect(reads.size).toBeGreaterThan(35);
    for (const name of ['TAPDESK_MODE', 'BOT_PASSWORD', 'APP_PERMISSIONS', 'STORE', 'AZURE_TABLES_PREFIX'])
      expect(reads).toContain(name);
    expect(envReads).toContain('PLAYGROUND_PORT');
    expect(fallbacks.get('OAUTH_CONNECTION_NAME')).toEqual(['graph']);
    expect(rows.length).toBeGreaterThan(35);
  });

  it('documents every variable src/config.ts, src/store/settings.ts or any process.env read uses', () => {
    const missing = [...reads, ...envReads].filter((name) => !documented.has(name));
    expect(missing, 'add these to docs/configuration.md').toEqual([]);
  });

  it('documents each variable in exactly one table row', () => {
    const seen = rows.map((r) => r.name);
    expect(seen.filter((name, i) => seen.indexOf(name) !== i)).toEqual([]);
  });

  it('names no variable the code does not read', () => {
    const named = new Set<string>();
    for (const m of doc.matchAll(/`([A-Z][A-Z0-9_]{3,})(?:=[^`]*)?`/g)) named.add(m[1]!);
    const known = new Set([...reads, ...envReads]);
    expect([...named].filter((name) => !known.has(name))).toEqual([]);
    expect(rows.map((r) => r.name).filter((name) => !known.has(name))).toEqual([]);
  });

  it('gives each default of CONFIG_DEFAULTS as the code has it', () => {
    for (const [name, value] of Object.entries(CONFIG_DEFAULTS)) {
      expect(documented.get(name)?.default, name).toBe(value);
    }
  });

  it('gives the code’s own fallback for every variable read with one (`env.X || value`)', () => {
    for (const [name, values] of fallbacks) {
      for (const value of values) expect(documented.get(name)?.default, name).toBe(value);
    }
    // The table prefix falls back where the tables are opened, not where the setting is read.
    const tablesDefault = /options\.tablePrefix \?\? '([^']*)'/.exec(text('src/store/tables.ts'))?.[1];
    expect(documented.get('AZURE_TABLES_PREFIX')?.default).toBe(tablesDefault);
  });

  it('checks every default it documents (none is left unverified)', () => {
    const unchecked = rows.filter(
      (r) =>
        r.default !== 'required' &&
        r.default !== '' &&
        !(r.name in CONFIG_DEFAULTS) &&
        !fallbacks.has(r.name) &&
        r.name !== 'AZURE_TABLES_PREFIX',
    );
    expect(unchecked).toEqual([]);
  });

  it('calls required exactly what loadConfig refuses to start without', () => {
    expect(problemsOf(entraEnv)).toEqual([]);
    const required = rows.filter((r) => r.default === 'required').map((r) => r.name);
    expect(required.length).toBeGreaterThan(0);
    for (const name of required) {
      expect(name in CONFIG_DEFAULTS, name).toBe(false);
      const without = { ...entraEnv };
      delete without[name];
      expect(
        problemsOf(without).some((p) => p.startsWith(`${name} `)),
        name,
      ).toBe(true);
    }
  });
});
