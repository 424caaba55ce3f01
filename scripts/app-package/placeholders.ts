// Fills the Toolkit's ${{NAME}} placeholders, the same syntax m365agents.yml and the Developer Portal
// use, so one manifest template serves the Toolkit and `npm run package` alike.

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Placeholders that may be empty: APP_NAME_SUFFIX tells local and dev installs apart and is
 * deliberately empty in a production environment.
 */
export const OPTIONAL_PLACEHOLDERS: ReadonlySet<string> = new Set(['APP_NAME_SUFFIX']);

/** Thrown when placeholders have no value; the message names each variable, where and what to do. */
export class MissingVariablesError extends Error {
  constructor(
    readonly missing: readonly string[],
    envFile: string,
    vars: ReadonlyMap<string, string>,
  ) {
    super(
      `Cannot fill the Teams app manifest:\n` +
        missing
          .map(
            (name) =>
              `  - ${name} is ${vars.has(name) ? 'empty in' : 'missing from'} ${envFile}: ` +
              `run the Toolkit's provision first, or fill it in`,
          )
          .join('\n'),
    );
    this.name = 'MissingVariablesError';
  }
}

/** The distinct placeholder names in a template, in order of first appearance. */
export function placeholdersIn(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1]))];
}

/**
 * Replaces every ${{NAME}} in a JSON template with its value, escaped as JSON string content (the
 * placeholders sit inside strings, and a value with a quote must not break the document).
 * Throws MissingVariablesError listing every missing or empty variable at once, so one run tells
 * the whole story rather than one variable per attempt.
 */
export function fillPlaceholders(
  template: string,
  vars: ReadonlyMap<string, string>,
  envFile: string,
): string {
  const missing = placeholdersIn(template).filter(
    (name) => !OPTIONAL_PLACEHOLDERS.has(name) && !vars.get(name),
  );
  if (missing.length > 0) throw new MissingVariablesError(missing, envFile, vars);
  return template.replace(PLACEHOLDER, (_, name: string) =>
    JSON.stringify(vars.get(name) ?? '').slice(1, -1),
  );
}
