import type { FixtureUser } from './fixture.js';

/** Properties the sandbox returns for a user by default: Graph fields only, no sandbox wiring. */
export const defaultUserFields = [
  'id',
  'displayName',
  'userPrincipalName',
  'mail',
  'userType',
  'accountEnabled',
  'jobTitle',
  'department',
] as const;

// Real user properties the fixture does not model: selectable, returned empty rather than rejected.
const absentUserFields: Record<string, unknown> = {
  businessPhones: [],
  otherMails: [],
  proxyAddresses: [],
  givenName: null,
  surname: null,
  mobilePhone: null,
  officeLocation: null,
  preferredLanguage: null,
  employeeId: null,
  companyName: null,
  createdDateTime: null,
  usageLocation: null,
  onPremisesSyncEnabled: null,
};

/** Parses `$select` against the given properties; returns canonical names or the unknown name. */
export function parseSelect(
  select: string | null,
  known: readonly string[],
  fallback: readonly string[],
): { ok: true; fields: string[] } | { ok: false; unknown: string } {
  if (select === null || select.trim() === '') return { ok: true, fields: [...fallback] };
  const fields: string[] = [];
  for (const raw of select.split(',')) {
    const name = raw.trim();
    const canonical = known.find((k) => k.toLowerCase() === name.toLowerCase());
    if (!canonical) return { ok: false, unknown: name };
    if (!fields.includes(canonical)) fields.push(canonical);
  }
  return { ok: true, fields };
}

/** Every selectable user property name. */
export const selectableUserFields = [
  ...defaultUserFields,
  ...Object.keys(absentUserFields),
  // Modelled when set (a joiner's, by the Lifecycle Workflows callout); null otherwise.
  'employeeHireDate',
];

/** A user as Graph returns it, restricted to the selected properties. */
export function userView(user: FixtureUser, fields: readonly string[]): Record<string, unknown> {
  const source = user as unknown as Record<string, unknown>;
  const view: Record<string, unknown> = {};
  for (const field of fields)
    // The fixture models some optional properties (mobilePhone) on some users only.
    view[field] =
      source[field] !== undefined
        ? source[field]
        : field in absentUserFields
          ? absentUserFields[field]
          : null;
  return view;
}

/** The message Graph gives for an unknown `$select` property. */
export function unknownPropertyMessage(name: string, type: string): string {
  return `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${type}'.`;
}
