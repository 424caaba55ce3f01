import { parseJsonObject } from './json-body.js';
/** The string parameters an Autopilot action body may carry, by action (next-wave §3.1, CSDL). */
export const actionParameters = {
  updateDeviceProperties: ['userPrincipalName', 'addressableUserName', 'groupTag', 'displayName'],
  assignUserToDevice: ['userPrincipalName', 'addressableUserName'],
  unassignUserFromDevice: [],
} as const;

export type AutopilotAction = keyof typeof actionParameters;
type Parameter = (typeof actionParameters)[AutopilotAction][number];

/** The supplied parameters of one action call; absent ones are left alone, null clears (""). */
export type ActionBody = Partial<Record<Parameter, string>>;

/**
 * Validates an action body: a JSON object with only the action's parameters, each a string or null.
 * `unassignUserFromDevice` takes none, so an empty body is fine there; the others need a JSON object.
 * Returns the reason for a 400 otherwise (OData's wording where it has one).
 */
export function parseActionBody(action: AutopilotAction, raw: string | undefined): ActionBody | string {
  const allowed: readonly Parameter[] = actionParameters[action];
  const value = parseJsonObject(raw, allowed.length === 0 ? {} : undefined);
  if (typeof value === 'string') return value;
  const body: ActionBody = {};
  for (const [key, field] of Object.entries(value)) {
    const name = allowed.find((p) => p === key);
    if (!name)
      return `The parameter '${key}' in the request payload is not a valid parameter for the operation '${action}'.`;
    if (field !== null && typeof field !== 'string')
      return `Cannot convert the literal '${String(field)}' to the expected type 'Edm.String'.`;
    body[name] = field ?? '';
  }
  return body;
}
