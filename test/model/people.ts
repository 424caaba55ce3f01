// The cast of the model test, by first name, with what the fixture gives them (fixtures/contoso-tenant.json).
export const PEOPLE = {
  dana: 'dana@contoso.com', // Authentication Administrator, Service Desk (cannot read the TAP policy)
  erin: 'erin@contoso.com', // Privileged Authentication Administrator, Service Desk
  frank: 'frank@contoso.com', // Global Administrator (a privileged target)
  harry: 'harry@contoso.com', // Helpdesk Administrator, Service Desk (may request, cannot issue)
  carol: 'carol@contoso.com', // no role; manager of alice, alice.smith, bob, gina, quinn
  kim: 'kim@contoso.com', // Password Administrator, Service Desk
  alice: 'alice@contoso.com', // no role ("alice" also matches Alice Smith)
  bob: 'bob@contoso.com', // no role
  mallory: 'mallory@contoso.com', // the attacker: no role, in no group
} as const;
export type PersonName = keyof typeof PEOPLE;
export const PERSON_NAMES = Object.keys(PEOPLE) as PersonName[];

/** Whom the commands name: the cast, plus an ambiguous name, a TAP-excluded user and Alice Smith. */
export const TARGETS = [
  'alice@contoso.com',
  'alice.smith@contoso.com',
  'bob@contoso.com',
  'carol@contoso.com',
  'kim@contoso.com',
  'dana@contoso.com',
  'frank@contoso.com',
  'gina@contoso.com',
  'mallory@contoso.com',
  'alice',
] as const;
