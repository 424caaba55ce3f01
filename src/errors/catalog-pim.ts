// Catalog entries for just-in-time role activation (PIM), kept beside the rest of the closed catalog
// (catalog.ts), which spreads them into its one table of codes.
import type { CatalogEntry } from './catalog-entry.js';

/**
 * Where a person activates their own Entra roles themselves: PIM's "My roles" in the Entra admin
 * center. The answer for what a bot cannot do for them (MFA now, an authentication context).
 */
export const PIM_PORTAL_URL =
  'https://entra.microsoft.com/#view/Microsoft_Azure_PIMCommon/ActivationMenuBlade/~/aadmigratedroles';

const role = (c: { detail?: string }) => c.detail ?? 'the role';
// Card text is neutralised (no live links in it), so the link itself is a button on the card.
const MY_ROLES = 'Entra admin center > Identity governance > Privileged Identity Management > My roles';
const inPortal = `Activate it yourself with "Open Privileged Identity Management" (${MY_ROLES}), then click Activate here again: I see the active role and continue with the pass.`;

export const PIM_ENTRIES = {
  PIM_ACTIVATION_PENDING: {
    title: 'Your activation waits for an approver',
    message: (c) =>
      `Entra accepted your request to activate ${role(c)}, and the role's settings require an approver to agree first. Nothing was issued yet.`,
    nextStep: () =>
      'Once an approver agrees (Entra tells you by email), click Activate again on this card and I continue with the pass.',
  },
  PIM_JUSTIFICATION_REQUIRED: {
    title: 'A justification is required',
    message: (c) => `The settings of ${role(c)} require a justification to activate it, and none was given.`,
    nextStep: () => 'Say why you need the role in the justification box and click Activate again.',
  },
  PIM_TICKET_REQUIRED: {
    title: 'A ticket number is required',
    message: (c) => `The settings of ${role(c)} require a ticket number to activate it, and none was given.`,
    nextStep: () => 'Enter the ticket number of this request in the ticket box and click Activate again.',
  },
  PIM_DURATION_TOO_LONG: {
    title: 'That duration is longer than the role allows',
    message: (c) =>
      `The settings of ${role(c)} allow shorter activations than the duration you picked (never more than 8 hours).`,
    nextStep: () => 'Pick a shorter duration and click Activate again; 1 hour is enough for a pass.',
  },
  PIM_MFA_REQUIRED: {
    title: 'Activating this role needs multifactor authentication first',
    message: (c) =>
      `The settings of ${role(c)} require multifactor authentication, and your Teams sign-in did not include it. I cannot ask you for it from a chat.`,
    nextStep: () => inPortal,
  },
  PIM_AUTH_CONTEXT_REQUIRED: {
    title: 'Activating this role needs a stronger sign-in',
    message: (c) =>
      `The settings of ${role(c)} require a Conditional Access authentication context, which means signing in again with extra checks. A bot cannot do that for you.`,
    nextStep: () => inPortal,
  },
  PIM_NOT_ELIGIBLE: {
    title: 'You are no longer eligible for this role',
    message: (c) =>
      `Entra found no eligibility of yours for ${role(c)}: it may have ended or been removed since this card was shown.`,
    nextStep: () =>
      'Ask a Privileged Role Administrator about your eligibility, or ask a colleague who holds Authentication Administrator.',
  },
  PIM_NOT_CONSENTED: {
    title: 'Role activation is not set up',
    message: () =>
      'TapDesk has no consent to activate roles for you (RoleEligibilitySchedule.Read.Directory and RoleAssignmentSchedule.ReadWrite.Directory).',
    nextStep: () =>
      `An admin grants consent to those two delegated permissions (see \`docs/deploy.md\`); until then activate the role in ${MY_ROLES} and ask again.`,
  },
  PIM_ACTIVATION_FAILED: {
    title: 'Entra did not activate the role',
    message: (c) => `Entra refused to activate ${role(c)}. Nothing was issued.`,
    nextStep: () => `Try again, or activate it in ${MY_ROLES}.`,
  },
} satisfies Record<string, CatalogEntry>;
