// The contract between card buttons and the handler. Cards only ever carry a request id
// (and, on the choice card, the chosen user's id); everything else the server needs is
// looked up from its own store, so nothing a client sends back is trusted as a fact.
// Revoke and reissue buttons work the same way: the request id names a stored request that
// says whose pass it is, so a tampered click can at most point at another stored request.
import { z } from 'zod';

export const VERBS = {
  confirm: 'tap.confirm',
  cancel: 'tap.cancel',
  choose: 'tap.choose',
  revoke: 'tap.revoke',
  reissue: 'tap.reissue',
  approve: 'tap.approve',
  reject: 'tap.reject',
  reveal: 'tap.reveal',
  bulkConfirm: 'bulk.confirm',
  bulkAsk: 'bulk.ask',
  bulkApprove: 'bulk.approve',
  bulkReject: 'bulk.reject',
  bulkReissue: 'bulk.reissue',
  bulkCancel: 'bulk.cancel',
  runSuggestion: 'chat.run',
  onboardConfirm: 'onboard.confirm',
  activate: 'pim.activate',
  faceCheck: 'tap.facecheck',
} as const;
export type Verb = (typeof VERBS)[keyof typeof VERBS];

const KNOWN_VERBS: ReadonlySet<string> = new Set(Object.values(VERBS));

export const VERIFICATION_METHODS = [
  { value: 'video-photo-id', title: 'Video call with photo ID' },
  { value: 'callback', title: 'Call-back to a number on file' },
  { value: 'manager', title: 'Manager confirmed' },
  { value: 'in-person', title: 'In person' },
] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number]['value'];

const verificationValues = VERIFICATION_METHODS.map((method) => method.value) as [
  VerificationMethod,
  ...VerificationMethod[],
];

/**
 * The choice a confirmation card offers once the person passed a Face Check. Accepted from a click only
 * as a claim the core checks: Confirm refuses it unless a passing, recent check is stored for the request.
 */
export const FACE_CHECK_CHOICE = 'verified-id-face-check';
export type ConfirmVerification = VerificationMethod | typeof FACE_CHECK_CHOICE;

/** Characters a ticket reference may use; the card's Input.Text applies the same pattern. */
export const TICKET_PATTERN = /^[A-Za-z0-9#._/-]*$/;
export const TICKET_MAX_CHARS = 64;

// Action.Execute sends { ...data, ...inputValues } as value.action.data. The confirm card
// has two inputs, `verification` and `ticket`, so those are the only extra keys allowed.
export const ConfirmAction = z
  .object({
    requestId: z.string().uuid(),
    verification: z.union([z.enum(verificationValues), z.literal(FACE_CHECK_CHOICE)]),
    ticket: z.string().trim().max(TICKET_MAX_CHARS).regex(TICKET_PATTERN).optional(),
  })
  .strict();

/** Group tags as the onboarding card offers them; the server accepts only one it stored for the request. */
export const GROUP_TAG_PATTERN = /^[A-Za-z0-9 _.-]{1,64}$/;

// The onboarding card has the confirm card's inputs plus the group tag choice (absent when the card
// offered none, i.e. the device keeps its tag).
export const OnboardConfirmAction = z
  .object({
    requestId: z.string().uuid(),
    verification: z.union([z.enum(verificationValues), z.literal(FACE_CHECK_CHOICE)]),
    ticket: z.string().trim().max(TICKET_MAX_CHARS).regex(TICKET_PATTERN).optional(),
    groupTag: z.union([z.literal(''), z.string().regex(GROUP_TAG_PATTERN)]).optional(),
  })
  .strict();

// Cancel uses associatedInputs "none", but older clients may still send the confirm card's
// inputs; they are tolerated (as short strings) and then dropped, never read.
export const CancelAction = z
  .object({
    requestId: z.string().uuid(),
    verification: z.string().max(256).optional(),
    ticket: z.string().max(256).optional(),
    groupTag: z.string().max(256).optional(),
  })
  .strict();

// The choice card has no inputs, so nothing may ride along.
export const ChooseAction = z.object({ requestId: z.string().uuid(), userId: z.string().uuid() }).strict();

// Revoke and reissue buttons sit on cards without inputs (confirm, list and notice cards), so
// the request id is all they may carry.
export const RequestOnlyAction = z.object({ requestId: z.string().uuid() }).strict();

/** A rejection's reason: the requester reads it, the audit trail keeps it. */
export const REJECT_REASON_MAX_CHARS = 200;

// Approve sits on the approval card next to Reject's reason box; clients that ignore
// associatedInputs may send that box along, so it is tolerated and dropped, as for Cancel.
export const ApproveAction = z
  .object({ requestId: z.string().uuid(), rejectReason: z.string().max(256).optional() })
  .strict();

export const RejectAction = z
  .object({
    requestId: z.string().uuid(),
    rejectReason: z.string().trim().min(1).max(REJECT_REASON_MAX_CHARS),
  })
  .strict();

// Bulk buttons carry only the bulk's id; the approval card's Approve may bring Reject's reason box
// along (tolerated and dropped), and Reject needs it.
const BulkOnlyAction = z
  .object({ bulkId: z.string().uuid(), rejectReason: z.string().max(256).optional() })
  .strict();
const BulkRejectAction = z
  .object({ bulkId: z.string().uuid(), rejectReason: z.string().trim().min(1).max(REJECT_REASON_MAX_CHARS) })
  .strict();

// The "Did you mean …?" card's button carries the suggested command as text, and nothing else. It is
// no fact: the handler parses it again and runs it as the clicker, exactly as if they had typed it.
export const RunSuggestionAction = z.object({ command: z.string().trim().min(1).max(500) }).strict();

/** Activation lengths the activation card offers, in minutes: never above PIM's 8 hours. */
export const ACTIVATION_MINUTES = ['30', '60', '120', '240', '480'] as const;
/** PIM takes up to 500 characters of justification. */
export const JUSTIFICATION_MAX_CHARS = 500;

// The activation card's inputs: a duration from its list, a justification and a ticket number (both
// may be empty: the role's settings, checked by Entra, decide whether they are required).
export const ActivateAction = z
  .object({
    requestId: z.string().uuid(),
    duration: z.enum(ACTIVATION_MINUTES),
    justification: z.string().trim().max(JUSTIFICATION_MAX_CHARS).optional(),
    ticket: z.string().trim().max(TICKET_MAX_CHARS).regex(TICKET_PATTERN).optional(),
  })
  .strict();

type BulkVerb =
  | typeof VERBS.bulkConfirm
  | typeof VERBS.bulkAsk
  | typeof VERBS.bulkApprove
  | typeof VERBS.bulkReissue
  | typeof VERBS.bulkCancel;
const BULK_VERBS: ReadonlySet<string> = new Set<BulkVerb>([
  VERBS.bulkConfirm,
  VERBS.bulkAsk,
  VERBS.bulkApprove,
  VERBS.bulkReissue,
  VERBS.bulkCancel,
]);

export type CardAction =
  | { [V in BulkVerb]: { verb: V; bulkId: string } }[BulkVerb]
  | { verb: typeof VERBS.bulkReject; bulkId: string; reason: string }
  | {
      verb: typeof VERBS.onboardConfirm;
      requestId: string;
      verification: ConfirmVerification;
      ticket: string | null;
      /** '': keep the device's own tag (the card's first choice); null: the card offered no choice. */
      groupTag: string | null;
    }
  | {
      verb: typeof VERBS.confirm;
      requestId: string;
      verification: ConfirmVerification;
      ticket: string | null;
    }
  | { verb: typeof VERBS.cancel; requestId: string }
  | { verb: typeof VERBS.choose; requestId: string; userId: string }
  | { verb: typeof VERBS.revoke; requestId: string }
  | { verb: typeof VERBS.reissue; requestId: string }
  | { verb: typeof VERBS.approve; requestId: string }
  | { verb: typeof VERBS.reject; requestId: string; reason: string }
  | { verb: typeof VERBS.reveal; requestId: string }
  | { verb: typeof VERBS.runSuggestion; command: string }
  | {
      verb: typeof VERBS.activate;
      requestId: string;
      minutes: number;
      justification: string | null;
      ticket: string | null;
    }
  | { verb: typeof VERBS.faceCheck; requestId: string };

/** The action a verb's schema produces: what that verb's handler receives. */
export type ActionOf<V extends Verb> = Extract<CardAction, { verb: V }>;

export type ActionRejection =
  | 'unknown_verb'
  | 'data_not_object'
  | 'unexpected_field'
  | 'request_id_invalid'
  | 'user_id_invalid'
  | 'verification_missing'
  | 'verification_invalid'
  | 'ticket_too_long'
  | 'ticket_invalid'
  | 'reason_missing'
  | 'reason_invalid'
  | 'command_invalid';

export type ParseActionResult = { ok: true; action: CardAction } | { ok: false; reason: ActionRejection };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Picks the most useful reason from zod's issues: unknown keys first, then ids, then inputs. */
function reasonFor(error: z.ZodError, data: Record<string, unknown>): ActionRejection {
  const fields = new Set(
    error.issues.map((issue) => (issue.code === 'unrecognized_keys' ? '*' : issue.path[0])),
  );
  if (fields.has('*')) return 'unexpected_field';
  if (fields.has('requestId') || fields.has('bulkId')) return 'request_id_invalid';
  if (fields.has('userId')) return 'user_id_invalid';
  if (fields.has('command')) return 'command_invalid';
  if (fields.has('verification')) {
    const given = data['verification'];
    return given === undefined || given === '' ? 'verification_missing' : 'verification_invalid';
  }
  if (fields.has('rejectReason')) {
    const given = data['rejectReason'];
    return typeof given !== 'string' || given.trim() === '' ? 'reason_missing' : 'reason_invalid';
  }
  const ticketIssue = error.issues.find((issue) => issue.path[0] === 'ticket');
  if (ticketIssue?.code === 'too_big') return 'ticket_too_long';
  if (ticketIssue) return 'ticket_invalid';
  return 'unexpected_field';
}

function isVerb(verb: string): verb is Verb {
  return KNOWN_VERBS.has(verb);
}

/** Validates the verb and data of an Action.Execute click against the card contract. */
export function parseAction(verb: string, data: unknown): ParseActionResult {
  if (!isVerb(verb)) return { ok: false, reason: 'unknown_verb' };
  if (!isPlainObject(data)) return { ok: false, reason: 'data_not_object' };
  if (verb === VERBS.confirm) {
    const parsed = ConfirmAction.safeParse(data);
    if (!parsed.success) return { ok: false, reason: reasonFor(parsed.error, data) };
    const { requestId, verification, ticket } = parsed.data;
    // The ticket box is optional, so an empty string means "no ticket".
    return { ok: true, action: { verb, requestId, verification, ticket: ticket ? ticket : null } };
  }
  if (verb === VERBS.onboardConfirm) {
    const parsed = OnboardConfirmAction.safeParse(data);
    if (!parsed.success) return { ok: false, reason: reasonFor(parsed.error, data) };
    const { requestId, verification, ticket, groupTag } = parsed.data;
    return {
      ok: true,
      action: {
        verb,
        requestId,
        verification,
        ticket: ticket ? ticket : null,
        // '' is the card's "keep the device's tag" choice; absent means the card offered no choice.
        groupTag: groupTag ?? null,
      },
    };
  }
  if (verb === VERBS.cancel) {
    const parsed = CancelAction.safeParse(data);
    if (!parsed.success) return { ok: false, reason: reasonFor(parsed.error, data) };
    return { ok: true, action: { verb, requestId: parsed.data.requestId } };
  }
  if (verb === VERBS.choose) {
    const parsed = ChooseAction.safeParse(data);
    if (!parsed.success) return { ok: false, reason: reasonFor(parsed.error, data) };
    return { ok: true, action: { verb, requestId: parsed.data.requestId, userId: parsed.data.userId } };
  }
  if (verb === VERBS.bulkReject) {
    const parsed = BulkRejectAction.safeParse(data);
    if (!parsed.success) return { ok: false, reason: reasonFor(parsed.error, data) };
    return { ok: true, action: { verb, bulkId: parsed.data.bulkId, reason: parsed.data.rejectReason } };
  }
  if (BULK_VERBS.has(verb)) {
    const parsed = BulkOnlyAction.safeParse(data);
    if (!parsed.success) return { ok: false, reason: reasonFor(parsed.error, data) };
    return { ok: true, action: { verb: verb as BulkVerb, bulkId: parsed.data.bulkId } };
  }
  if (verb === VERBS.reject) {
    const parsed = RejectAction.safeParse(data);
    if (!parsed.success) return { ok: false, reason: reasonFor(parsed.error, data) };
    return { ok: true, action: { verb, requestId: parsed.data.requestId, reason: parsed.data.rejectReason } };
  }
  if (verb === VERBS.activate) {
    const parsed = ActivateAction.safeParse(data);
    if (!parsed.success) return { ok: false, reason: reasonFor(parsed.error, data) };
    const { requestId, duration, justification, ticket } = parsed.data;
    return {
      ok: true,
      action: {
        verb,
        requestId,
        minutes: Number(duration),
        justification: justification ? justification : null,
        ticket: ticket ? ticket : null,
      },
    };
  }
  if (verb === VERBS.runSuggestion) {
    const parsed = RunSuggestionAction.safeParse(data);
    if (!parsed.success) return { ok: false, reason: reasonFor(parsed.error, data) };
    return { ok: true, action: { verb, command: parsed.data.command } };
  }
  if (verb === VERBS.approve) {
    const parsed = ApproveAction.safeParse(data);
    if (!parsed.success) return { ok: false, reason: reasonFor(parsed.error, data) };
    return { ok: true, action: { verb, requestId: parsed.data.requestId } };
  }
  const parsed = RequestOnlyAction.safeParse(data);
  if (!parsed.success) return { ok: false, reason: reasonFor(parsed.error, data) };
  return {
    ok: true,
    action: {
      verb: verb as 'tap.revoke' | 'tap.reissue' | 'tap.reveal' | 'tap.facecheck',
      requestId: parsed.data.requestId,
    },
  };
}
