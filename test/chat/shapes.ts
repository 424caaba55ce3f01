// The shape every parse result must have, checked by the fuzz test.
import { z } from 'zod';
import {
  AUDIT_MAX_LAST,
  MAX_BULK_TARGETS,
  MAX_LIFETIME_MINUTES,
  MAX_REASON_CHARS,
} from '../../src/chat/grammar.js';

// No leading/trailing space and no control characters in a target.
const Who = z
  .string()
  .min(1)
  .max(256)
  .regex(/^\S(?:.*\S)?$/s)
  // eslint-disable-next-line no-control-regex -- asserting their absence
  .refine((who) => !/[\u0000-\u001f\u007f]/.test(who));

// Free text, but trimmed, with single spaces only and no control or invisible characters.
const Reason = z
  .string()
  .min(1)
  .max(MAX_REASON_CHARS)
  .regex(/^\S(?:.*\S)?$/s)
  // eslint-disable-next-line no-control-regex -- asserting their absence
  .refine((reason) => !/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/.test(reason))
  .refine((reason) => !/\s\s|[^\S ]/.test(reason));

const StartSpecShape = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('in'), minutes: z.number().int().min(1).max(MAX_LIFETIME_MINUTES) }).strict(),
  z
    .object({
      kind: z.literal('at'),
      dayOffset: z.union([z.literal(0), z.literal(1)]),
      hour: z.number().int().min(0).max(23),
      minute: z.number().int().min(0).max(59),
    })
    .strict(),
  z
    .object({
      kind: z.literal('on'),
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      hour: z.number().int().min(0).max(23),
      minute: z.number().int().min(0).max(59),
    })
    .strict(),
  z
    .object({
      kind: z.literal('weekday'),
      weekday: z.number().int().min(0).max(6),
      hour: z.number().int().min(0).max(23),
      minute: z.number().int().min(0).max(59),
    })
    .strict(),
]);

// A suggestion goes on a card and is parsed again when clicked: one line of plain words, no markup,
// no link, no template, and short.
const Suggestion = z
  .string()
  .min(4)
  .max(300)
  .regex(/^[a-z]+(?: [^\s]+)*$/)
  .refine((text) => !/[<>[\]{}$`*\\]|:\/\/|&#?\w+;/.test(text), 'markup in a suggestion')
  // eslint-disable-next-line no-control-regex -- asserting their absence
  .refine((text) => !/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/.test(text));

/** What parseCommand may return for any input at all. */
export const ParseResultShape = z.union([
  z
    .object({
      ok: z.literal(true),
      command: z.union([
        z
          .object({ kind: z.literal('help'), said: z.enum(['hello', 'thanks', 'capabilities']).optional() })
          .strict(),
        z
          .object({
            kind: z.literal('issue'),
            who: Who,
            lifetimeMinutes: z.number().int().min(1).max(MAX_LIFETIME_MINUTES).optional(),
            usableOnce: z.boolean().optional(),
            start: StartSpecShape.optional(),
          })
          .strict(),
        z
          .object({
            kind: z.literal('request'),
            who: Who,
            lifetimeMinutes: z.number().int().min(1).max(MAX_LIFETIME_MINUTES).optional(),
            usableOnce: z.boolean().optional(),
            start: StartSpecShape.optional(),
            reason: Reason.optional(),
          })
          .strict(),
        z
          .object({
            kind: z.literal('bulk'),
            targets: z.array(Who).min(2).max(MAX_BULK_TARGETS),
            lifetimeMinutes: z.number().int().min(1).max(MAX_LIFETIME_MINUTES).optional(),
            usableOnce: z.boolean().optional(),
            start: StartSpecShape.optional(),
          })
          .strict(),
        z.object({ kind: z.enum(['list', 'revoke']), who: Who }).strict(),
        z.object({ kind: z.literal('policy') }).strict(),
        z.object({ kind: z.literal('devices'), who: Who }).strict(),
        // A serial fragment goes into an OData filter: nothing but letters, digits and dashes.
        z
          .object({
            kind: z.literal('devices'),
            serial: z.string().regex(/^[A-Z0-9-]{3,64}$/),
          })
          .strict(),
        // Onboarding: a full serial (it goes into an OData filter) and a tag of safe characters.
        z
          .object({
            kind: z.literal('onboard'),
            who: Who,
            serial: z.string().regex(/^[A-Z0-9-]{4,64}$/),
            groupTag: z
              .string()
              .regex(/^[A-Za-z0-9 _.-]{1,64}$/)
              .optional(),
            reassign: z.literal(true).optional(),
            lifetimeMinutes: z.number().int().min(1).max(MAX_LIFETIME_MINUTES).optional(),
            usableOnce: z.boolean().optional(),
            start: StartSpecShape.optional(),
          })
          .strict(),
        z.object({ kind: z.literal('onboarding-status'), who: Who.optional() }).strict(),
        z
          .object({
            kind: z.literal('audit'),
            who: Who.optional(),
            last: z.number().int().min(1).max(AUDIT_MAX_LAST),
          })
          .strict(),
      ]),
    })
    .strict(),
  z
    .object({
      ok: z.literal(false),
      error: z
        .object({
          code: z.enum([
            'unknown_command',
            'missing_target',
            'bad_duration',
            'bad_start',
            'conflicting_options',
            'unexpected_text',
            'bad_count',
            'bad_reason',
            'too_long',
          ]),
          message: z.string().min(20).max(600),
        })
        .strict(),
      suggestion: Suggestion.optional(),
    })
    .strict(),
]);
