// Reads the Toolkit's env/.env.<name> files. A dependency-free subset of dotenv is enough: the files
// hold KEY=VALUE lines and # comments, and packaging needs none of the secrets in the .user files.

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

/**
 * Parses KEY=VALUE lines into a map. Blank lines and lines starting with # are skipped; a value in
 * matching single or double quotes is taken verbatim without them; an unquoted value ends at " #",
 * as in dotenv, so a trailing comment never leaks into the manifest. Later lines win.
 */
export function parseEnvFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*(?:#|$)/.test(raw)) continue;
    const match = LINE.exec(raw);
    if (!match) continue;
    const [, key, value] = match;
    const quoted = /^(["'])(.*)\1$/.exec(value);
    vars.set(key, quoted ? quoted[2] : value.replace(/\s+#.*$/, ''));
  }
  return vars;
}
