// What an onboarding bulk checks per row beyond a pass bulk's checks, against what Intune said at
// validation: the serial names a device, the device is free or already this person's (a bulk never
// takes a device from someone: there is no 'reassign' in a file), and a tag typed in the row is one
// of the known tags. Then the day-one pass is planned as a single onboarding's is. Pure.
import { echo } from '../chat/messages.js';
import type { AutopilotDevice } from '../graph/device-port.js';
import type { DirectoryUser, TapPolicy } from '../graph/port.js';
import { planOnboardingPass } from '../onboard/plan.js';
import { matchGroupTag } from '../onboard/tags.js';
import type { BulkAsk, BulkDevice, Category } from './job.js';
import { planBulkRow, type BulkPlan } from './plan.js';

/** What Intune said at validation, and the deployment's setup time. */
export interface OnboardFacts {
  /** The devices the file names, by serial number in upper case. */
  devices: ReadonlyMap<string, AutopilotDevice>;
  /** The known group tags (AUTOPILOT_GROUP_TAGS, else those in use). */
  tags: readonly string[];
  setupMinutes: number;
}

export type DeviceCheck =
  { ok: true; device: BulkDevice } | { ok: false; category: Exclude<Category, 'ready'>; message: string };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const blankAsNull = (text: string | null) => (text === null || text === '' ? null : text);

/** The device a row may use, or why it may not. */
export function checkRowDevice(ask: BulkAsk, user: DirectoryUser, facts: OnboardFacts): DeviceCheck {
  const serial = ask.serial ?? '';
  const device = facts.devices.get(serial.toUpperCase());
  if (!device)
    return {
      ok: false,
      category: 'deviceNotFound',
      message: `No Windows Autopilot device has the serial number ${echo(serial)}. Check the serial, or import the device into Intune first.`,
    };
  const owner = blankAsNull(device.userPrincipalName);
  if (owner !== null && !same(owner, user.userPrincipalName))
    return {
      ok: false,
      category: 'deviceAssigned',
      message: `${device.serialNumber} is assigned to ${owner}; a bulk never takes a device from someone (to move it, onboard this person alone with 'reassign').`,
    };
  const base = { id: device.id, serialNumber: device.serialNumber, owner };
  // No tag in the row: the device keeps its own, whatever it is when the device is set.
  if (ask.groupTag === undefined)
    return { ok: true, device: { ...base, groupTag: blankAsNull(device.groupTag), keepTag: true } };
  const known = matchGroupTag(ask.groupTag, facts.tags);
  if (!known)
    return {
      ok: false,
      category: 'unknownTag',
      message:
        facts.tags.length > 0
          ? `The group tag ${echo(ask.groupTag)} is not one of this tenant's: ${facts.tags.join(', ')}.`
          : `The group tag ${echo(ask.groupTag)} is not known here: no tags are configured or in use; leave the cell empty.`,
    };
  return { ok: true, device: { ...base, groupTag: known } };
}

/**
 * The day-one pass of one row: what the row asks explicitly must fit the policy and the cap (as in
 * every bulk, refused rather than adjusted); what it leaves open gets the onboarding defaults,
 * multi-use and at least the setup time long, clamped to the policy with a note.
 */
export function planBulkOnboardRow(
  ask: BulkAsk,
  policy: TapPolicy | null,
  now: Date,
  utcOffsetMinutes: number,
  capMinutes: number,
  setupMinutes: number,
): BulkPlan {
  // A lifetime shorter than setup is raised to it (and said), as for a single onboarding: only a
  // lifetime the row really gets is held to the policy here.
  const raised = ask.lifetimeMinutes !== undefined && ask.lifetimeMinutes < setupMinutes;
  const checked = planBulkRow(
    raised ? { ...ask, lifetimeMinutes: undefined } : ask,
    policy,
    now,
    utcOffsetMinutes,
    capMinutes,
  );
  if (!checked.ok) return checked;
  const planned = planOnboardingPass(
    { lifetimeMinutes: ask.lifetimeMinutes, usableOnce: ask.usableOnce, start: ask.start, utcOffsetMinutes },
    policy,
    now,
    capMinutes,
    setupMinutes,
  );
  // planBulkRow already refused every reason planning can fail for.
  if (!planned.ok) return { ok: false, message: "The tenant's TAP policy does not allow this pass." };
  return { ok: true, plan: planned.plan, notes: [...planned.notes, ...(planned.warnings ?? [])] };
}
