// Loads the JSON card templates next to this module and expands them with typed view data.
import { readFileSync } from 'node:fs';
import * as ACData from 'adaptivecards-templating';

/** An Adaptive Card as a plain JSON object, ready to put in an attachment or invoke response. */
export type AdaptiveCardJson = Record<string, unknown>;

export type TemplateName =
  | 'confirm'
  | 'choice'
  | 'pass'
  | 'issued'
  | 'closed'
  | 'problem'
  | 'welcome'
  | 'audit'
  | 'pass-list'
  | 'passes'
  | 'revoke-confirm'
  | 'revoked'
  | 'policy'
  | 'notice'
  | 'approval'
  | 'bulk'
  | 'suggestion'
  | 'devices'
  | 'onboard'
  | 'onboarded'
  | 'onboarding-status';

const templates = new Map<TemplateName, unknown>();

function loadTemplate(name: TemplateName): unknown {
  let template = templates.get(name);
  if (template === undefined) {
    const file = new URL(`./templates/${name}.json`, import.meta.url);
    template = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    templates.set(name, template);
  }
  return template;
}

/**
 * The templating engine leaves "${missing}" in the card when a field is undefined and
 * crashes on null inside a string, so a view must be complete; this finds the first gap.
 */
function findMissingValue(value: unknown, path: string): string | null {
  if (value === undefined || value === null) return path;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const missing = findMissingValue(item, `${path}[${index}]`);
      if (missing !== null) return missing;
    }
  } else if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const missing = findMissingValue(item, `${path}.${key}`);
      if (missing !== null) return missing;
    }
  }
  return null;
}

/** Expands a named template with a complete view object; throws if the view has gaps. */
export function expandTemplate(name: TemplateName, view: Record<string, unknown>): AdaptiveCardJson {
  const missing = findMissingValue(view, 'view');
  if (missing !== null) throw new Error(`Card '${name}' cannot be rendered: ${missing} is missing.`);
  // Data values are substituted as plain strings; the engine does not evaluate "${...}"
  // found inside data, which the card tests check.
  const expanded = new ACData.Template(loadTemplate(name)).expand({ $root: view }) as AdaptiveCardJson;
  // Buttons shown only "$when" allowed can all drop out, leaving "actions": []; the Adaptive Card
  // parser discards an empty list, so the card is sent without one rather than differ from it.
  const actions = expanded['actions'];
  if (Array.isArray(actions) && actions.length === 0) delete expanded['actions'];
  return expanded;
}
