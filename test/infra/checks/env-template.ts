// Parses Toolkit env templates and ${{VAR}} placeholders: every variable must be documented and set in time.

export interface EnvEntry {
  value: string;
  documented: boolean;
}

/** KEY=VALUE lines of a Toolkit env file; "documented" = the contiguous block holding it opens with a comment. */
export function parseEnvTemplate(text: string): Map<string, EnvEntry> {
  const entries = new Map<string, EnvEntry>();
  let blockHasComment = false;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') {
      blockHasComment = false;
    } else if (trimmed.startsWith('#')) {
      blockHasComment = true;
    } else {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(trimmed);
      if (!match) throw new Error(`not a KEY=VALUE line: ${line}`);
      entries.set(match[1], { value: match[2], documented: blockHasComment });
    }
  }
  return entries;
}

export const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
export const placeholdersIn = (text: string) => [
  ...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1])),
];
