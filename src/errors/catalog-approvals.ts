// Catalog entries for approvals and bulk issuance, kept beside the rest of the closed catalog
// (catalog.ts), which spreads them into its one table of codes.
import { guardStart } from '../text/plain.js';
import { commandFor, them, type CatalogEntry } from './catalog-entry.js';

export const APPROVAL_AND_BULK_ENTRIES = {
  APPROVALS_OFF: {
    title: 'Approval requests are not set up',
    message: () =>
      'This TapDesk has no approvers’ conversation configured, so I cannot ask anyone to approve.',
    nextStep: () =>
      'An admin sets APPROVERS_CONVERSATION (see `docs/deploy.md`, "Approvals") and adds TapDesk to that channel or group chat; until then ask a helpdesk admin directly.',
  },
  APPROVERS_UNREACHABLE: {
    title: 'I cannot reach the approvers yet',
    message: () =>
      'TapDesk has not been added to the approvers’ channel or group chat (or was removed), so the approval card could not be posted. Nothing was requested.',
    nextStep: () =>
      'Ask a Teams admin to add TapDesk to the approvers’ conversation (any message there mentioning TapDesk also works), then ask again.',
  },
  REQUEST_FROM_PERSONAL_CHAT: {
    title: 'Ask from your 1:1 chat with TapDesk',
    message: () =>
      'Approved passes are handed to the requester privately, in their 1:1 chat with TapDesk, and I have no such chat with you yet.',
    nextStep: () => 'Open a 1:1 chat with TapDesk and send the same request there.',
  },
  APPROVAL_NOT_ALLOWED: {
    title: 'You cannot request a pass for this person',
    message: (c) =>
      `Only ${them(c)}'s manager${c.managerName ? ` (${c.managerName})` : ''}, members of the service desk requester group, and admins who can issue passes may ask for one.`,
    nextStep: () =>
      'Ask their manager or the service desk to request it for them, or contact the helpdesk directly.',
  },
  APPROVAL_AMBIGUOUS: {
    title: 'Several people match',
    message: (c) => `'${c.who ?? ''}' matches more than one person: ${c.matches ?? ''}.`,
    nextStep: () =>
      'Ask again with the full sign-in address, for example `request TAP for alice@contoso.com reason: new phone`.',
  },
  APPROVAL_OWN_REQUEST: {
    title: 'You asked for this one',
    message: () => 'Approvals need a second person: whoever asked for a pass cannot approve or reject it.',
    nextStep: () => 'Another approver must decide. To withdraw it, use Cancel on your tracking card.',
  },
  APPROVAL_FOR_SELF: {
    title: 'This pass is for you',
    message: () => 'Nobody can approve or reject a pass for their own account.',
    nextStep: () => 'Another approver must decide.',
  },
  APPROVAL_DECIDED: {
    title: 'Already decided',
    message: (c) =>
      `This request was already ${c.decision ?? 'handled'} by ${c.deciderName ?? 'another approver'}${c.decidedText ? ` at ${c.decidedText}` : ''}; your click changed nothing.`,
    nextStep: (c) => `Use ${commandFor('list TAP for', c.who)} to see the current pass.`,
  },
  APPROVER_ROLE_MISSING: {
    title: 'Your role cannot approve this',
    message: () =>
      'Approving creates the pass with your own Entra role, and your account has no active Authentication Administrator, Privileged Authentication Administrator or Global Administrator role.',
    nextStep: () =>
      'If you are eligible through PIM, activate the role and click Approve again; otherwise leave it to another approver. The request stays open.',
  },
  APPROVER_NOT_PRIVILEGED: {
    title: 'This one needs a Privileged Authentication Administrator',
    message: (c) =>
      `${them(c)} holds a directory role, so only a Privileged Authentication Administrator or Global Administrator may approve a pass for them.`,
    nextStep: () => 'Leave it to a Privileged Authentication Administrator. The request stays open.',
  },
  APPROVAL_WRONG_PLACE: {
    title: 'Decide in the approvers’ conversation',
    message: () => 'Approval requests are decided on the card in the approvers’ channel or group chat.',
    nextStep: () => 'Open the approval card there and click Approve or Reject.',
  },
  APPROVAL_HANDED_OFF: {
    title: 'Continue in your 1:1 chat',
    message: () =>
      'Teams could not give me your sign-in here, so I sent you a one-tap Approve card in your 1:1 chat with TapDesk.',
    nextStep: () => 'Open your chat with TapDesk and click Approve there. Nothing has been issued yet.',
  },
  REJECT_REASON_MISSING: {
    title: 'Give a reason',
    message: () => 'A rejection needs a reason: the requester sees it and it goes into the audit trail.',
    nextStep: () => 'Type a reason (up to 200 characters) under Reject and click Reject again.',
  },
  REVEAL_GONE: {
    title: 'The pass is no longer here',
    message: () =>
      'A pass waits here for one reveal and at most 15 minutes, in memory only. It was already revealed, it timed out, or TapDesk restarted.',
    nextStep: (c) =>
      `The pass still exists in Entra but nobody can read its code again. Ask again: ${commandFor('request TAP for', c.who)} \`reason:\` _why_ (the new pass replaces it).`,
  },
  BULK_PERSONAL_ONLY: {
    title: 'Bulk issuance works in your 1:1 chat',
    message: () =>
      'A bulk hands every pass back as a file only you can download, so it runs only in your personal chat with TapDesk. Nothing was issued.',
    nextStep: () => 'Open your 1:1 chat with TapDesk and send the same command or CSV file there.',
  },
  BULK_CSV_UNREADABLE: {
    title: 'I could not read that CSV file',
    message: (c) => `${guardStart(c.detail ?? 'The file is not a CSV file I can read.')} Nothing was issued.`,
    nextStep: () =>
      'Fix the file and send it again. The first line is the header `user,lifetime,once,start` (only `user` is required), then one person per line, e.g. `alice@contoso.com,8h,yes,`.',
  },
  BULK_FILE_UNAVAILABLE: {
    title: 'I could not download the file',
    message: () =>
      'Teams gave me a link to your file, but it was not a Teams/SharePoint download link or the download failed. Nothing was issued.',
    nextStep: () => 'Send the file again in this chat; if it keeps failing, paste the people instead.',
  },
  BULK_OVER_ALLOWANCE: {
    title: 'More passes than your allowance',
    message: (c) =>
      `${c.count ?? 'These'} passes are ready, but ${c.detail ?? 'the hourly limit'} allows only ${c.max ?? 0} more${c.resetsAtText ? ` until ${c.resetsAtText}` : ''}. Every pass in a bulk counts. Nothing was issued.`,
    nextStep: () =>
      'Split the list, wait for the limit to reset, or ask the TapDesk operator to raise TAP_LIMIT_PER_ISSUER_PER_HOUR / TAP_LIMIT_TENANT_PER_HOUR.',
  },
  BULK_NEEDS_APPROVERS: {
    title: 'This bulk needs approval, which is not set up',
    message: (c) =>
      `Bulks of more than ${c.max ?? 'a few'} passes need a second admin's approval, and this TapDesk has no approvers' conversation configured. Nothing was issued.`,
    nextStep: (c) =>
      `Split the list into bulks of at most ${c.max ?? 'that many'}, or ask an admin to set APPROVERS_CONVERSATION (see \`docs/deploy.md\`, "Approvals").`,
  },
  BULK_RESULTS_GONE: {
    title: 'The passes are no longer here',
    message: () =>
      'Bulk passes wait in memory only, for one download and at most 15 minutes. They were already delivered, declined, timed out, or TapDesk restarted.',
    nextStep: () =>
      'The passes exist in Entra but nobody can read them again. Use "Issue again" on the summary card to issue new ones (they replace the old ones).',
  },
  BULK_NOT_YOURS: {
    title: 'This is not your bulk',
    message: (c) =>
      `Only ${c.requesterName ?? 'the admin who started it'} can act on it. Nothing was changed.`,
    nextStep: () =>
      'To issue passes yourself, type `issue TAP for` followed by people separated by commas, or send a CSV file.',
  },
  BULK_STATE_CHANGED: {
    title: 'This bulk has moved on',
    message: (c) => `This bulk is ${c.decision ?? 'no longer waiting for this'}; your click changed nothing.`,
    nextStep: () => 'The latest card in your 1:1 chat with TapDesk shows where it stands.',
  },
} satisfies Record<string, CatalogEntry>;
