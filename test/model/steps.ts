// Step descriptors for the model test and their fast-check arbitraries. A step names people and
// verbs, never ids: which card a click uses is an index into the cards seen so far in the run, so
// a shrunk sequence still means something when read.
import fc from 'fast-check';
import { VERBS, type Verb } from '../../src/cards/actions.js';
import { PERSON_NAMES, TARGETS, type PersonName } from './people.js';

export type Where = 'personal' | 'approvers';

export type Step =
  | { kind: 'say'; who: PersonName; text: string; where: Where }
  /**
   * A real button: the `pick`-th newest button seen with this verb (any button when none has it),
   * by a named person where they say, or by 'owner': whoever the card was shown to, where it was shown.
   */
  | { kind: 'press'; who: PersonName | 'owner'; verb: Verb; pick: number; where: Where }
  /** The id of the `pick`-th newest `from` button, under another verb (e.g. tap.confirm with a revoke request's id). */
  | { kind: 'forge'; who: PersonName | 'owner'; from: Verb; pick: number; verb: Verb; where: Where }
  /** The `pick`-th click sent earlier, sent again exactly (same person, same conversation). */
  | { kind: 'replay'; pick: number }
  | { kind: 'clock'; minutes: number }
  /** A tenant admin changes the TAP policy's default lifetime in Entra (the fixture's is 60). */
  | { kind: 'policy'; defaultMinutes: number };

export const ALL_VERBS = Object.values(VERBS) as Verb[];

const clicker = (step: { who: string }) => (step.who === 'owner' ? 'its recipient' : step.who);
const at = (step: { who: string; where: Where }) =>
  step.who !== 'owner' && step.where === 'approvers' ? ' in the approvers’ channel' : '';

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'say':
      return `${step.who} says "${step.text}"${step.where === 'approvers' ? ' in the approvers’ channel' : ''}`;
    case 'press':
      return `${clicker(step)} presses ${step.verb} #${step.pick}${at(step)}`;
    case 'forge':
      return `${clicker(step)} sends ${step.verb} with the id of ${step.from} #${step.pick}${at(step)}`;
    case 'replay':
      return `replay of click #${step.pick}`;
    case 'clock':
      return `clock +${step.minutes} min`;
    case 'policy':
      return `the tenant's default pass lifetime becomes ${step.defaultMinutes} min`;
  }
}

/** Gives a step a readable form in fast-check's counterexample output. */
const readable = (step: Step): Step =>
  Object.defineProperty(step, fc.toStringMethod, { value: () => describeStep(step), enumerable: false });

const person = fc.constantFrom(...PERSON_NAMES);
// Who types commands: mostly people with a reason to (admins, the service desk, a manager).
const speaker = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<PersonName>('dana', 'erin') },
  { weight: 2, arbitrary: fc.constantFrom<PersonName>('carol', 'harry') },
  { weight: 1, arbitrary: person },
);
const clickerArb = fc.oneof(
  { weight: 5, arbitrary: fc.constant('owner' as const) },
  { weight: 2, arbitrary: person },
);
// Mostly a few people, so passes pile up on them and list, revoke and reissue have something to act on.
const target = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<(typeof TARGETS)[number]>('bob@contoso.com', 'kim@contoso.com') },
  { weight: 2, arbitrary: fc.constantFrom(...TARGETS) },
);
const where = fc.constantFrom<Where>('personal', 'personal', 'personal', 'approvers');
const lifetime = fc.constantFrom('', '', ' for 1h', ' for 2h', ' for 30m', ' for 8h');
const once = fc.constantFrom('', '', ' once');

const command: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(target, lifetime, once).map(([t, l, o]) => `issue TAP for ${t}${l}${o}`) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(target, lifetime, once)
      .map(([t, l, o]) => `request TAP for ${t}${l}${o} reason: lost phone`),
  },
  { weight: 2, arbitrary: target.map((t) => `list TAP for ${t}`) },
  { weight: 3, arbitrary: target.map((t) => `revoke TAP for ${t}`) },
  {
    weight: 2,
    arbitrary: fc
      .uniqueArray(target, { minLength: 2, maxLength: 3 })
      .chain((ts) => lifetime.map((l) => `issue TAP for ${ts.join(', ')}${l}`)),
  },
);

// Mostly one of the newest buttons.
// Buttons people mostly press: the ones that move a request on.
const buttonVerb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<Verb>(VERBS.confirm, VERBS.approve, VERBS.revoke) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Verb>(VERBS.choose, VERBS.reissue, VERBS.bulkConfirm, VERBS.bulkApprove),
  },
  { weight: 1, arbitrary: fc.constantFrom(...ALL_VERBS) },
);
const anyVerb = fc.constantFrom(...ALL_VERBS);
// Forged clicks mostly move a request's id between the verbs that change something.
const forgeFrom = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom<Verb>(
      VERBS.revoke,
      VERBS.approve,
      VERBS.reissue,
      VERBS.confirm,
      VERBS.bulkConfirm,
    ),
  },
  { weight: 1, arbitrary: anyVerb },
);
const forgeTo = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom<Verb>(
      VERBS.confirm,
      VERBS.approve,
      VERBS.revoke,
      VERBS.reissue,
      VERBS.reveal,
      VERBS.bulkConfirm,
      VERBS.bulkApprove,
    ),
  },
  { weight: 1, arbitrary: anyVerb },
);

const pick = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: 5 }) },
  { weight: 1, arbitrary: fc.nat({ max: 63 }) },
);

export const stepArb: fc.Arbitrary<Step> = fc
  .oneof(
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('say' as const), who: speaker, text: command, where }),
    },
    {
      weight: 7,
      arbitrary: fc.record({
        kind: fc.constant('press' as const),
        who: clickerArb,
        verb: buttonVerb,
        pick,
        where,
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('forge' as const),
        who: clickerArb,
        from: forgeFrom,
        pick,
        verb: forgeTo,
        where,
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('clock' as const), minutes: fc.constantFrom(3, 3, 11, 61) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('policy' as const),
        defaultMinutes: fc.constantFrom(60, 120, 480),
      }),
    },
  )
  .map((s) => readable(s as Step));

/** Up to `length` steps (clicks before the bot has said anything find no button and do nothing). */
export const sequenceArb = (length: number) =>
  fc.array(stepArb, { minLength: 1, maxLength: length, size: 'max' });
