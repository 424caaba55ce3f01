// Catalog entries for delivering an approved pass to the person's manager or by SMS (src/delivery),
// spread into the one table of codes in catalog.ts.
import { them, type CatalogEntry } from './catalog-entry.js';

export const DELIVERY_ENTRIES = {
  SMS_NO_MOBILE: {
    title: 'No mobile number to send the pass to',
    message: (c) =>
      `${them(c)} has no mobile number in Entra that TapDesk can text (it must start with + and a country code). An SMS goes only to the number on their directory entry, never to one given in a request.`,
    nextStep: () =>
      "Ask for the pass to go to the approver or the manager instead, or have their mobile number set in Entra first (an admin's sensitive action).",
  },
  SMS_NUMBER_CHANGED: {
    title: 'The mobile number changed since the card was shown',
    message: (c) =>
      `${them(c)}'s mobile number in Entra is not the one the approval card showed, so no SMS was sent.`,
    nextStep: () => 'Check why the number changed before anyone asks again.',
  },
  SMS_NOT_CONFIGURED: {
    title: 'SMS delivery is not set up',
    message: () =>
      'This TapDesk has no Azure Communication Services resource configured (ACS_ENDPOINT, ACS_SMS_FROM), so it cannot send a pass by SMS.',
    nextStep: () =>
      'Ask for the pass to go to the approver or the manager, or ask your TapDesk admin to set up SMS.',
  },
  MANAGER_NONE: {
    title: 'Nobody to deliver the pass to',
    message: (c) => `${them(c)} has no manager in Entra, so the pass cannot be delivered to their manager.`,
    nextStep: () => 'Ask for the pass to go to the approver or by SMS instead.',
  },
  DELIVERY_FAILED: {
    title: 'The pass could not be delivered, so it was revoked',
    message: (c) =>
      `The pass for ${them(c)} was created, but ${c.detail ?? 'its delivery failed'}. It was revoked with your sign-in right away, so no pass is left on the account, and TapDesk did not try again.`,
    nextStep: () => 'Find out why the delivery failed (the audit trail has it), then ask again.',
  },
  DELIVERY_FAILED_NOT_REVOKED: {
    title: 'The pass could not be delivered, and revoking it failed',
    message: (c) =>
      `The pass for ${them(c)} was created, but ${c.detail ?? 'its delivery failed'}, and Entra did not confirm the revoke.`,
    nextStep: (c) => `Revoke it now: \`list TAP for ${c.who ?? 'them'}\`, then Revoke.`,
  },
} satisfies Record<string, CatalogEntry>;
