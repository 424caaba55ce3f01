// Onboarding a person on a Windows Autopilot device, in one command:
//   onboard <who> on <serial> [tag <group tag>] [reassign] [for <duration>] [once|multi-use] [start <when>]
// and asking how it went: "onboarding status [for] [<who>]".
// The person is read like a pass command's (an address, a quoted name, or words up to 'on'); the
// serial is one word of letters, digits and dashes (it ends up in an OData filter); a group tag is
// one word or a quoted phrase. 'reassign' is how the admin says, in advance, that a device assigned
// to someone else may be given to this person: without it such a device is refused, never taken.
// Pure, like the rest of the grammar.
import { echo, MAX_TARGET_CHARS, type ParseError } from './messages.js';
import { lowerAt, textOf, type Token } from './normalise.js';
import { bareStartAt, DAY_WORD, durationWidthAt, readOption, type PassOptions } from './options.js';
import type { StartSpec } from './start.js';

export interface OnboardCommand {
  kind: 'onboard';
  who: string;
  serial: string;
  groupTag?: string;
  reassign?: boolean;
  lifetimeMinutes?: number;
  usableOnce?: boolean;
  start?: StartSpec;
}

/** The onboardings the asker started (all recent ones, or one person's). */
export interface OnboardingStatusCommand {
  kind: 'onboarding-status';
  who?: string;
}

type Refused = { ok: false; error: ParseError };
export type OnboardParseResult = { ok: true; command: OnboardCommand | OnboardingStatusCommand } | Refused;

/** A full serial number: letters, digits and dashes; Autopilot serials are at least 4 long. */
export const SERIAL_NUMBER = /^[A-Za-z0-9-]{4,64}$/;
/** Intune group tags are free text; TapDesk accepts a sane subset and checks it against known tags. */
export const GROUP_TAG = /^[A-Za-z0-9 _.-]{1,64}$/;

const VERBS = new Set(['onboard', 'on-board']);
const EXAMPLE = "'onboard alice@contoso.com on PF4KX1A3 tag Finance start monday 8:00'";

function fail(code: ParseError['code'], message: string): Refused {
  return { ok: false, error: { code, message } };
}

const refusals = {
  missingPerson: () => fail('missing_target', `Who is joining, and on which device? Type ${EXAMPLE}.`),
  missingSerial: () =>
    fail('missing_target', `On which device? Add 'on' and the serial number, e.g. ${EXAMPLE}.`),
  badSerial: (typed: string) =>
    fail(
      'unexpected_text',
      `${echo(typed)} is not a serial number: use the 4 to 64 letters, digits or dashes printed on the device, e.g. 'PF4KX1A3'.`,
    ),
  missingTag: () =>
    fail(
      'unexpected_text',
      "Which group tag? Add it after 'tag', e.g. 'tag Finance' or 'tag \"Front desk\"'.",
    ),
  badTag: (typed: string) =>
    fail(
      'unexpected_text',
      `${echo(typed)} is not a group tag I can set: use up to 64 letters, digits, spaces, dots, dashes or underscores.`,
    ),
  repeated: (what: string) => fail('conflicting_options', `The ${what} is given twice; keep one.`),
  tooLong: () => fail('too_long', `That name is too long. Type ${EXAMPLE}.`),
  extra: (word: string) =>
    fail(
      'unexpected_text',
      `I didn't understand ${echo(word)}. After the device I only know 'tag _group tag_', 'reassign', ` +
        `'for _duration_', 'once', 'multi-use' and 'start _when_', e.g. ${EXAMPLE}.`,
    ),
  reason: () =>
    fail(
      'unexpected_text',
      `Onboarding takes no reason; record how you verified the person on the card. Type ${EXAMPLE}.`,
    ),
};

/** Reads "onboarding status [for] [<who>]" at the head, or null when the words are not that. */
function parseStatus(tokens: readonly Token[]): OnboardParseResult | null {
  const first = lowerAt(tokens, 0);
  if (first !== 'onboarding' && first !== 'onboard') return null;
  if (lowerAt(tokens, 1) !== 'status') return null;
  const at = lowerAt(tokens, 2) === 'for' || lowerAt(tokens, 2) === 'of' ? 3 : 2;
  if (tokens[at] === undefined) return { ok: true, command: { kind: 'onboarding-status' } };
  const named = tokens[at]!;
  if ((named.quoted || named.text.includes('@')) && tokens[at + 1] !== undefined)
    return refusals.extra(tokens[at + 1]!.text);
  const who = named.quoted ? named.text : textOf(tokens, at, tokens.length);
  if (who.length === 0) return { ok: true, command: { kind: 'onboarding-status' } };
  if (who.length > MAX_TARGET_CHARS) return refusals.tooLong();
  return { ok: true, command: { kind: 'onboarding-status', who } };
}

/** Reads <who> from `start` up to the word 'on'; an address or a quoted name is one word. */
function readPerson(tokens: readonly Token[], start: number): { who: string; next: number } | Refused {
  const first = tokens[start];
  if (first === undefined || lowerAt(tokens, start) === 'on') return refusals.missingPerson();
  if (first.quoted) {
    if (first.text.length === 0) return refusals.missingPerson();
    return { who: first.text, next: start + 1 };
  }
  if (first.text.includes('@')) return { who: first.text, next: start + 1 };
  let next = start;
  while (next < tokens.length && lowerAt(tokens, next) !== 'on') next += 1;
  const who = textOf(tokens, start, next);
  if (who.length > MAX_TARGET_CHARS) return refusals.tooLong();
  return { who, next };
}

/** Takes the onboarding words ('tag X', 'group tag X', 'reassign') out; the rest are pass options. */
function readDeviceOptions(
  tokens: readonly Token[],
  from: number,
  command: OnboardCommand,
): { rest: Token[] } | Refused {
  const rest: Token[] = [];
  for (let index = from; index < tokens.length;) {
    const word = lowerAt(tokens, index);
    const tagWidth =
      word === 'tag' || word === 'grouptag'
        ? 1
        : word === 'group' && lowerAt(tokens, index + 1) === 'tag'
          ? 2
          : 0;
    if (tagWidth > 0) {
      const tag = tokens[index + tagWidth];
      if (tag === undefined) return refusals.missingTag();
      if (!GROUP_TAG.test(tag.text)) return refusals.badTag(tag.text);
      if (command.groupTag !== undefined) return refusals.repeated('group tag');
      command.groupTag = tag.text;
      index += tagWidth + 1;
      continue;
    }
    if (word === 'reassign' || word === 'reassigned') {
      command.reassign = true;
      index += 1;
      continue;
    }
    rest.push(tokens[index]!);
    index += 1;
  }
  return { rest };
}

/**
 * Parses an onboarding command or its status, or returns null when the message does not start with
 * 'onboard', so the other grammars get it. Expects any mention and opening politeness removed; `rest`
 * is what a reason keyword cut off (onboarding takes none).
 */
export function parseOnboardCommand(tokens: readonly Token[], rest?: string): OnboardParseResult | null {
  const status = parseStatus(tokens);
  if (status !== null) return rest === undefined ? status : refusals.extra(rest.split(' ', 1)[0] ?? rest);
  if (!VERBS.has(lowerAt(tokens, 0) ?? '')) return null;
  if (rest !== undefined) return refusals.reason();
  const person = readPerson(tokens, 1);
  if ('ok' in person) return person;
  if (lowerAt(tokens, person.next) !== 'on' || tokens[person.next + 1] === undefined)
    return refusals.missingSerial();
  const serialToken = tokens[person.next + 1]!;
  // "onboard alice on monday" names a day, not a device.
  const after = person.next + 1;
  if (
    durationWidthAt(tokens, after) > 0 ||
    bareStartAt(tokens, after) !== null ||
    DAY_WORD.test(lowerAt(tokens, after) ?? '')
  )
    return refusals.missingSerial();
  if (serialToken.quoted || !SERIAL_NUMBER.test(serialToken.text))
    return refusals.badSerial(serialToken.text);
  const command: OnboardCommand = {
    kind: 'onboard',
    who: person.who,
    serial: serialToken.text.toUpperCase(),
  };
  const split = readDeviceOptions(tokens, person.next + 2, command);
  if ('ok' in split) return split;
  const options: PassOptions = {};
  for (let index = 0; index < split.rest.length;) {
    const next = readOption(split.rest, index, options, 'issue', refusals.extra);
    if (typeof next !== 'number') return next;
    index = next;
  }
  if (options.lifetimeMinutes !== undefined) command.lifetimeMinutes = options.lifetimeMinutes;
  if (options.usableOnce !== undefined) command.usableOnce = options.usableOnce;
  if (options.start !== undefined) command.start = options.start;
  return { ok: true, command };
}

/** The command text that runs an onboarding again, as the status and refusal cards suggest it. */
export function onboardText(who: string, serial: string): string {
  return `onboard ${who} on ${serial}`;
}
