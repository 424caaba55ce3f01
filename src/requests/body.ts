import { z } from 'zod';

/**
 * Where an approved pass goes: `approver` (the approver who clicked sees it once, in Teams),
 * `manager` (a one-time Reveal card for the person's manager, read from Entra at Approve) or `sms`
 * (the mobile number on the person's directory entry). Never a destination the caller names.
 */
export const DELIVERY_CHANNELS = ['approver', 'manager', 'sms'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** The body of POST /api/requests is small; anything bigger is refused (413) before it is parsed. */
export const MAX_REQUEST_BODY_BYTES = 8 * 1024;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPN = /^[^@\s]{1,113}@[^@\s]{1,140}\.[^@\s]{1,60}$/;
// A ticket names a record in another system: letters, digits and a little punctuation, nothing that
// could read as markup or a link once it is on a card.
const TICKET_SYSTEM = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,39}$/u;
const TICKET_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._:#/-]{0,63}$/;

const deliverTo = z.string().superRefine((value, ctx) => {
  if ((DELIVERY_CHANNELS as readonly string[]).includes(value)) return;
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be 'approver', 'manager' or 'sms'` });
});

/**
 * What another system may ask for: one person (an exact sign-in address or object id, never a name
 * to search), why, the ticket it comes from, the pass's shape, and where it goes. Unknown fields are
 * refused, so a caller's typo (`lifetimeMinute`) is an error instead of a silently default pass.
 */
export const apiRequestBodySchema = z
  .object({
    user: z
      .string()
      .trim()
      .refine((v) => GUID.test(v) || UPN.test(v), 'must be a sign-in address (UPN) or an object id'),
    reason: z.string().trim().min(1, 'must say why the pass is needed').max(200, 'at most 200 characters'),
    ticket: z
      .object({
        system: z
          .string()
          .trim()
          .regex(TICKET_SYSTEM, "must name the system, e.g. 'ServiceNow' (≤ 40 characters)"),
        number: z
          .string()
          .trim()
          .regex(TICKET_NUMBER, "must be the ticket's number, e.g. 'INC0012345' (≤ 64 characters)"),
      })
      .strict(),
    lifetimeMinutes: z.number().int('must be whole minutes').min(10).max(43_200).optional(),
    startDateTime: z
      .string()
      .datetime({
        offset: true,
        message: 'must be an ISO 8601 date and time with an offset, e.g. 2026-12-01T09:00:00Z',
      })
      .optional(),
    isUsableOnce: z.boolean().optional(),
    deliverTo,
  })
  .strict();

export type ApiRequestBody = Omit<z.infer<typeof apiRequestBodySchema>, 'deliverTo'> & {
  deliverTo: DeliveryChannel;
};

export type BodyCheck = { ok: true; body: ApiRequestBody } | { ok: false; field: string; message: string };

/** Validates a parsed JSON body; a refusal names the first bad field by its path (`ticket.number`). */
export function checkApiRequestBody(raw: unknown): BodyCheck {
  const parsed = apiRequestBodySchema.safeParse(raw);
  if (parsed.success) return { ok: true, body: parsed.data as ApiRequestBody };
  const issue = parsed.error.issues[0]!;
  const unknownKeys = issue.code === z.ZodIssueCode.unrecognized_keys ? issue.keys : [];
  const path = [...issue.path, ...unknownKeys.slice(0, 1)].join('.');
  const message = unknownKeys.length > 0 ? 'is not a field of this API' : issue.message;
  return { ok: false, field: path || '(body)', message };
}
