// The onboarding form of the bulk CSV: a header with a `serial` column makes every line a person and
// the Windows Autopilot device they join on, e.g.
//   user,serial,groupTag,start,lifetime
//   alice@contoso.com,PF4KX1A3,Finance,2026-12-01T08:00:00+01:00,
// `user` and `serial` are required; an empty groupTag keeps the device's own tag, an empty lifetime
// or once gives the onboarding defaults (multi-use, at least as long as Windows setup). Only the
// shape of each cell is read here; whether the device and tag exist is checked against Intune later.
import { GROUP_TAG, SERIAL_NUMBER } from '../chat/onboard.js';
import { echo } from '../chat/messages.js';

/** The columns of an onboarding CSV, in the order examples show them (header names are any case). */
export const ONBOARD_CSV_COLUMNS = ['user', 'serial', 'grouptag', 'start', 'lifetime', 'once'] as const;
export type OnboardColumn = (typeof ONBOARD_CSV_COLUMNS)[number];

/** A header naming this column is an onboarding bulk. */
export const isOnboardingHeader = (names: readonly string[]) => names.includes('serial');

export const ONBOARD_EXAMPLE_VALUES: Readonly<Record<OnboardColumn, string>> = {
  user: 'alice@contoso.com',
  serial: 'PF4KX1A3',
  grouptag: 'Finance',
  start: '2026-12-01T08:00:00+01:00',
  lifetime: '',
  once: '',
};

export const ONBOARD_COLUMNS_TEXT = 'user and serial (required), groupTag, start, lifetime and once';

type Cell<T> = { ok: true; value: T | undefined } | { ok: false; problem: string };

/** The serial cell: required, 4 to 64 letters, digits or dashes; read in upper case as Intune shows it. */
export function readSerial(typed: string): Cell<string> {
  if (typed.length === 0)
    return {
      ok: false,
      problem: `The serial cell is empty. Put the device's serial number in it, e.g. PF4KX1A3.`,
    };
  if (!SERIAL_NUMBER.test(typed))
    return {
      ok: false,
      problem: `${echo(typed)} is not a serial number: use the 4 to 64 letters, digits or dashes printed on the device, e.g. PF4KX1A3.`,
    };
  return { ok: true, value: typed.toUpperCase() };
}

/** The groupTag cell: empty keeps the device's tag; otherwise a tag's shape (checked against known tags later). */
export function readGroupTag(typed: string): Cell<string> {
  if (typed.length === 0) return { ok: true, value: undefined };
  if (!GROUP_TAG.test(typed))
    return {
      ok: false,
      problem: `${echo(typed)} is not a group tag: use up to 64 letters, digits, spaces, dots, dashes or underscores, e.g. Finance, or leave it empty to keep the device's tag.`,
    };
  return { ok: true, value: typed };
}
