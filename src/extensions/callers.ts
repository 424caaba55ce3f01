/** The two kinds of Entra custom extension TapDesk answers, each on its own route. */
export type ExtensionKind = 'access-package' | 'lifecycle-task';

/**
 * The first-party apps Entra signs these callouts as (their tokens' `azp`/`appid`): Entitlement
 * Management for access package custom extensions, Lifecycle Workflows for custom task extensions.
 */
export const WELL_KNOWN_CALLERS: Record<ExtensionKind, string> = {
  'access-package': '810dcf14-1858-4bf2-8134-4c369fa3235b',
  'lifecycle-task': 'ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7',
};

export interface ExtensionCaller {
  kind: ExtensionKind;
  appId: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * ENTRA_EXTENSION_CALLERS: a comma list of `access-package` and/or `lifecycle-task`, each optionally
 * `=<app id>` when Entra signs as another app than the well-known one; empty switches both routes
 * off. A kind listed once only; each problem names the entry.
 */
export function parseExtensionCallers(raw: string | undefined, problems: string[]): ExtensionCaller[] {
  const callers: ExtensionCaller[] = [];
  for (const entry of (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const cut = entry.indexOf('=');
    const kind = (cut === -1 ? entry : entry.slice(0, cut)).trim().toLowerCase();
    if (kind !== 'access-package' && kind !== 'lifecycle-task') {
      problems.push(
        `ENTRA_EXTENSION_CALLERS has '${entry.slice(0, 80)}': each entry is 'access-package' or 'lifecycle-task', optionally '=<app id>' of the app Entra signs the callout as`,
      );
      continue;
    }
    const appId =
      cut === -1
        ? WELL_KNOWN_CALLERS[kind]
        : entry
            .slice(cut + 1)
            .trim()
            .toLowerCase();
    if (!GUID.test(appId)) {
      problems.push(
        `ENTRA_EXTENSION_CALLERS gives ${kind} '${appId.slice(0, 80)}': the app id must be a GUID`,
      );
    } else if (callers.some((c) => c.kind === kind)) {
      problems.push(`ENTRA_EXTENSION_CALLERS lists ${kind} twice`);
    } else {
      callers.push({ kind, appId });
    }
  }
  return callers;
}
