// Error messages for the grammar. Each one says what was wrong and what to type instead,
// with an example the admin can copy, because a bare "invalid input" teaches nothing.
import { neutraliseChat } from '../text/plain.js';

export type ParseErrorCode =
  | 'unknown_command'
  | 'missing_target'
  | 'bad_duration'
  | 'bad_start'
  | 'conflicting_options'
  | 'unexpected_text'
  | 'bad_count'
  | 'bad_reason'
  | 'too_long';

export type ParseError = { code: ParseErrorCode; message: string };

/** Commands shown in help and in error messages; each one parses successfully. */
export const HELP_EXAMPLES: readonly string[] = [
  'issue TAP for alice@contoso.com',
  'issue TAP for alice@contoso.com for 4h once',
  'issue TAP for alice@contoso.com, bob@contoso.com for 8h once',
  'new TAP for "Alice Wong" for 2 hours start tomorrow 9:00',
  'create pass for alice multi-use starting in 30m',
  'give alice@contoso.com a TAP for 2h tomorrow 9am',
  'request TAP for alice@contoso.com reason: lost phone',
  'request TAP for Alice Wong for 1 day once because new laptop, ticket INC0012345',
  'audit for alice@contoso.com',
  'audit last 20',
  'list TAP for alice@contoso.com',
  'revoke TAP for alice@contoso.com',
  'tap policy',
];

/**
 * The commands that make a pass, named by their canonical verb: 'issue' (also typed 'create' or
 * 'new') makes one now, 'request' asks an admin to approve one. Their messages differ only in it.
 */
export type PassVerb = 'issue' | 'request';

/** The pass commands that take only a person: 'list TAP for <who>' and 'revoke TAP for <who>'. */
export type ManageKind = 'list' | 'revoke';

export const MAX_INPUT_CHARS = 500;
/** How many audit entries 'audit' shows when no 'last <count>' is given, and the most it shows. */
export const AUDIT_DEFAULT_LAST = 20;
export const AUDIT_MAX_LAST = 100;
export const MAX_TARGET_CHARS = 256;
/** The most people one 'issue TAP for a, b, …' message may name; more go in a CSV file. */
export const MAX_BULK_TARGETS = 50;
/** The columns of the CSV file that issues passes for many people, in the order examples show them. */
export const BULK_CSV_COLUMNS = ['user', 'lifetime', 'once', 'start'] as const;
/** An issue for several people, shown in messages; it parses. */
const BULK_EXAMPLE = 'issue TAP for alice@contoso.com, bob@contoso.com for 8h';
/** The longest reason 'request TAP for …' takes. */
export const MAX_REASON_CHARS = 200;
const MAX_ECHO_CHARS = 40;

/**
 * Quotes what the admin typed, shortened so a pasted essay does not flood the reply. The reply is a
 * plain-text message, so the quote is neutralised: a pasted `[x](https://…)` must not come back live.
 */
export function echo(text: string): string {
  return `'${neutraliseChat(text, MAX_ECHO_CHARS)}'`;
}

/** A typed word put into an example to copy (a duration, a count): neutralised like an echo. */
const typed = (word: string): string => neutraliseChat(word, MAX_ECHO_CHARS);

/** How every example of a pass command starts: "issue TAP for" or "request TAP for". */
const tapFor = (verb: PassVerb): string => `${verb} TAP for`;
/** Request examples show the reason, which approvers look for, so every one is complete. */
const reasonFor = (verb: PassVerb): string => (verb === 'request' ? ' reason: lost phone' : '');

function fail(code: ParseErrorCode, message: string): { ok: false; error: ParseError } {
  return { ok: false, error: { code, message } };
}

export const errors = {
  unknownCommand: (firstWord: string) =>
    fail(
      'unknown_command',
      `I don't know the command ${echo(firstWord)}. Type 'help' to see what I can do, ` +
        `or try 'issue TAP for alice@contoso.com' or 'issue TAP for Alice Wong for 2h once'.`,
    ),
  /** An unknown first word, with a command guessed from the rest: the reply offers to run it. */
  didYouMean: (firstWord: string, suggestion: string) =>
    fail(
      'unknown_command',
      `I'm not sure what you meant by ${echo(firstWord)}. Did you mean '${neutraliseChat(suggestion, 160)}'? ` +
        `If not, type 'help' or try 'issue TAP for alice@contoso.com'.`,
    ),
  /** "give me a pass": passes are for someone named, and the sender's own pass is not one to make here. */
  namedPersonNeeded: (verb: PassVerb) =>
    fail(
      'missing_target',
      `Who is the pass for? Name the person, e.g. '${tapFor(verb)} alice@contoso.com${reasonFor(verb)}' ` +
        `or '${tapFor(verb)} "Alice Wong"${reasonFor(verb)}'.`,
    ),
  unreadable: () =>
    fail(
      'unknown_command',
      `I couldn't read that message. Type 'help' to see what I can do, ` +
        `or try 'issue TAP for alice@contoso.com' or 'issue TAP for Alice Wong for 2h once'.`,
    ),
  missingObject: (verb: PassVerb) =>
    fail(
      'unknown_command',
      `Tell me what to ${verb}: a TAP. Try '${tapFor(verb)} alice@contoso.com${reasonFor(verb)}', ` +
        `or type 'help' for more examples.`,
    ),
  missingTarget: (verb: PassVerb) =>
    fail(
      'missing_target',
      `Who is the pass for? Add 'for' and the person, e.g. '${tapFor(verb)} alice@contoso.com${reasonFor(verb)}' ` +
        `or '${tapFor(verb)} "Alice Wong"${reasonFor(verb)}'.`,
    ),
  targetIsDuration: (word: string, verb: PassVerb) =>
    fail(
      'missing_target',
      `${echo(word)} looks like a duration, not a person. Name the person first, ` +
        `e.g. '${tapFor(verb)} alice@contoso.com for ${typed(word)}${reasonFor(verb)}'.`,
    ),
  unclosedQuote: (verb: PassVerb) =>
    fail(
      'missing_target',
      `The name has an opening quote but no closing one. Try '${tapFor(verb)} "Alice Wong" for 2h${reasonFor(verb)}'.`,
    ),
  emptyQuotes: (verb: PassVerb) =>
    fail(
      'missing_target',
      `The quotes are empty. Put the person inside them: '${tapFor(verb)} "Alice Wong"${reasonFor(verb)}'.`,
    ),
  targetTooLong: (verb: PassVerb = 'issue') =>
    fail(
      'too_long',
      `That name or address is longer than ${MAX_TARGET_CHARS} characters. ` +
        `Use the person's sign-in address, e.g. '${tapFor(verb)} alice@contoso.com${reasonFor(verb)}'.`,
    ),
  inputTooLong: (verb: PassVerb = 'issue') =>
    fail(
      'too_long',
      `That message is longer than ${MAX_INPUT_CHARS} characters. ` +
        (verb === 'request'
          ? `Send a short request with a reason of at most ${MAX_REASON_CHARS} characters, ` +
            `e.g. 'request TAP for alice@contoso.com for 4h once reason: lost phone'.`
          : `Send a short command, e.g. 'issue TAP for alice@contoso.com for 4h once'.`),
    ),
  badDuration: (typed: string, problem: 'unreadable' | 'zero' | 'too_long' | 'fraction_of_minute') => {
    const why = {
      unreadable:
        typed.length === 0
          ? `'for' at the end needs a duration after it.`
          : `I couldn't read ${echo(typed)} as a duration.`,
      zero: `A pass must last at least 1 minute, so ${echo(typed)} won't work.`,
      too_long: `${echo(typed)} is longer than the 30-day maximum for a pass.`,
      fraction_of_minute: `${echo(typed)} is not a whole number of minutes.`,
    }[problem];
    const quoteHint =
      problem === 'unreadable'
        ? ` If 'for' is part of a name, put the name in quotes: 'for "Minister for Health"'.`
        : '';
    return fail('bad_duration', `${why} Try 'for 2h', 'for 90m' or 'for 1 day'.${quoteHint}`);
  },
  badStart: (typed: string, problem: 'unreadable' | 'bad_time' | 'bad_date' | 'bad_delay') => {
    const why = {
      unreadable: `I couldn't read ${echo(typed)} as a start time.`,
      bad_time: `${echo(typed)} doesn't contain a time I can read (hours 0-23, minutes 0-59).`,
      bad_date: `${echo(typed)} doesn't contain a real date written as YYYY-MM-DD.`,
      bad_delay: `${echo(typed)} isn't a delay between 1 minute and 30 days.`,
    }[problem];
    return fail(
      'bad_start',
      `${why} Try 'start in 30m', 'start at 14:00', 'start tomorrow 9am' or 'start 2026-11-23 09:00'.`,
    );
  },
  startWithoutWhen: () =>
    fail(
      'bad_start',
      `'start' needs a time after it. Try 'start in 30m', 'start at 14:00' or 'start tomorrow 9am'.`,
    ),
  conflictingUse: (verb: PassVerb) =>
    fail(
      'conflicting_options',
      `A pass can't be both one-time and multi-use. Pick one: '${tapFor(verb)} alice once${reasonFor(verb)}' ` +
        `or '${tapFor(verb)} alice multi-use${reasonFor(verb)}'.`,
    ),
  repeatedOption: (option: 'lifetime' | 'start', verb: PassVerb) =>
    fail(
      'conflicting_options',
      option === 'lifetime'
        ? `You gave more than one lifetime. Give one, e.g. '${tapFor(verb)} alice for 4h${reasonFor(verb)}'.`
        : `You gave more than one start time. Give one, e.g. '${tapFor(verb)} alice start at 14:00${reasonFor(verb)}'.`,
    ),
  unexpectedWord: (word: string, verb: PassVerb) =>
    fail(
      'unexpected_text',
      verb === 'request'
        ? `I didn't understand ${echo(word)}. After the person I only know 'for _duration_', 'once', ` +
            `'multi-use', 'start _when_', 'deliver to manager' or 'by sms' and, last, 'reason: _why_', ` +
            `e.g. 'request TAP for alice@contoso.com for 4h once start in 30m reason: lost phone'.`
        : `I didn't understand ${echo(word)}. After the person I only know 'for _duration_', 'once', ` +
            `'multi-use' and 'start _when_', e.g. 'issue TAP for alice@contoso.com for 4h once start in 30m'.` +
            (word.includes('@')
              ? ` To issue passes for several people, put a comma between them: '${BULK_EXAMPLE}'.`
              : ''),
    ),
  // Several people in one issue: "issue TAP for alice@contoso.com, bob@contoso.com [options]".
  emptyTarget: () =>
    fail(
      'missing_target',
      `The list of people has an empty place: two commas in a row, or one before the first person. ` +
        `Put one comma between people, e.g. '${BULK_EXAMPLE} once'.`,
    ),
  tooManyTargets: () =>
    fail(
      'too_long',
      `One message can name at most ${MAX_BULK_TARGETS} people. For more, send me a CSV file in our 1:1 chat ` +
        `with the columns ${BULK_CSV_COLUMNS.join(', ')} (only user is needed; one person per line), ` +
        `or split the list over several messages, e.g. '${BULK_EXAMPLE}'.`,
    ),
  requestForSeveral: () =>
    fail(
      'unexpected_text',
      `A request is for one person at a time, so the approver can judge each one. Send one request each, ` +
        `e.g. 'request TAP for alice@contoso.com reason: lost phone'. To issue passes for several people ` +
        `at once, an admin types '${BULK_EXAMPLE}' or sends me a CSV file in our 1:1 chat.`,
    ),
  bulkUnexpectedWord: (word: string) =>
    fail(
      'unexpected_text',
      (word === ',' || word === ';'
        ? `I didn't expect ${echo(word)} among the options. Name everyone first, with a comma between people, ` +
          `then the options, which apply to everyone: `
        : `I didn't understand ${echo(word)}. Put a comma between people, then after the last person only ` +
          `'for _duration_', 'once', 'multi-use' and 'start _when_', which apply to everyone, `) +
        `e.g. '${BULK_EXAMPLE} once start in 30m'.`,
    ),
  // The reason on "request TAP for <who> ... reason: <why>".
  emptyReason: () =>
    fail(
      'bad_reason',
      `The reason is empty. Write why the pass is needed after 'reason:', ` +
        `e.g. 'request TAP for alice@contoso.com reason: lost phone'.`,
    ),
  reasonTooLong: (length: number) =>
    fail(
      'too_long',
      `The reason is ${length} characters long; keep it to ${MAX_REASON_CHARS} or fewer, ` +
        `e.g. 'request TAP for alice@contoso.com reason: lost phone, ticket INC0012345'.`,
    ),
  deliveryOnIssue: () =>
    fail(
      'unexpected_text',
      `Where the pass goes is chosen on a request for an admin to approve, e.g. ` +
        `'request TAP for alice@contoso.com deliver to manager reason: lost phone'. A pass you issue ` +
        `yourself is shown to you, once.`,
    ),
  conflictingDelivery: () =>
    fail(
      'conflicting_options',
      `Choose one place for the pass: 'deliver to manager' or 'by sms', e.g. ` +
        `'request TAP for alice@contoso.com by sms reason: lost phone'.`,
    ),
  reasonOnIssue: () =>
    fail(
      'unexpected_text',
      `A reason goes with a request for an admin to approve, e.g. ` +
        `'request TAP for alice@contoso.com reason: lost phone'. To issue the pass yourself, leave the ` +
        `reason out and record the ticket on the confirmation card: 'issue TAP for alice@contoso.com for 4h'.`,
    ),
  // Audit commands: "audit [for <who>] [last <count>]".
  auditMissingTarget: () =>
    fail(
      'missing_target',
      `Whose audit entries? Add the person after 'for', e.g. 'audit for alice@contoso.com' ` +
        `or 'audit for "Alice Wong"'.`,
    ),
  auditEmptyQuotes: () =>
    fail('missing_target', `The quotes are empty. Put the person inside them: 'audit for "Alice Wong"'.`),
  auditUnclosedQuote: () =>
    fail(
      'missing_target',
      `The name has an opening quote but no closing one. Try 'audit for "Alice Wong" last 50'.`,
    ),
  badCount: (typed: string) =>
    fail(
      'bad_count',
      `${typed.length === 0 ? `'last' needs a number after it.` : `${echo(typed)} is not a number from 1 to ${AUDIT_MAX_LAST}.`} ` +
        `Try 'audit last 20' or 'audit for alice@contoso.com last 50'.`,
    ),
  auditRepeatedOption: (option: 'for' | 'last') =>
    fail(
      'conflicting_options',
      option === 'for'
        ? `You named more than one person. Give one, e.g. 'audit for alice@contoso.com', ` +
            `or put a name containing 'for' in quotes.`
        : `You gave more than one count. Give one, e.g. 'audit last 20'.`,
    ),
  auditUnexpectedWord: (word: string) =>
    fail(
      'unexpected_text',
      `I didn't understand ${echo(word)}. After 'audit' I only know 'for _person_' and 'last _number_', ` +
        `e.g. 'audit for alice@contoso.com last 50'.`,
    ),
  auditNumberInName: (word: string) =>
    fail(
      'unexpected_text',
      `I didn't expect ${echo(word)} in a name. To choose how many entries to show, write 'last' before it, ` +
        `e.g. 'audit for alice last ${typed(word)}'.`,
    ),
  // Pass commands: "list TAP for <who>", "revoke TAP for <who>" and "tap policy".
  manageMissingObject: (verb: string, kind: ManageKind) =>
    fail(
      'unknown_command',
      verb === 'show'
        ? `I don't know what to show after 'show'. Try 'show TAP for alice@contoso.com', ` +
            `'show audit' or 'show TAP policy'.`
        : `Tell me what to ${verb}: a TAP. Try '${kind} TAP for alice@contoso.com'.`,
    ),
  manageMissingTarget: (kind: ManageKind) =>
    fail(
      'missing_target',
      `Whose pass should I ${kind === 'list' ? 'show' : 'revoke'}? Add the person, ` +
        `e.g. '${kind} TAP for alice@contoso.com' or '${kind} TAP for "Alice Wong"'` +
        (kind === 'list' ? `, or type 'list TAPs' for every pass outstanding.` : '.'),
    ),
  manageEmptyQuotes: (kind: ManageKind) =>
    fail(
      'missing_target',
      `The quotes are empty. Put the person inside them: '${kind} TAP for "Alice Wong"'.`,
    ),
  manageUnclosedQuote: (kind: ManageKind) =>
    fail(
      'missing_target',
      `The name has an opening quote but no closing one. Try '${kind} TAP for "Alice Wong"'.`,
    ),
  manageUnexpectedWord: (kind: ManageKind, word: string) =>
    fail(
      'unexpected_text',
      `I didn't understand ${echo(word)}. '${kind} TAP' takes only the person, ` +
        `e.g. '${kind} TAP for alice@contoso.com'. If it is part of the name, put the name in quotes.`,
    ),
  policyUnexpectedWord: (word: string) =>
    fail(
      'unexpected_text',
      `I didn't understand ${echo(word)}. 'tap policy' takes nothing after it. ` +
        `To see one person's pass, try 'list TAP for alice@contoso.com'.`,
    ),
} as const;
