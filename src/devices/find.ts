// Finding Windows Autopilot devices, read with the asker's own token: by a fragment of the serial
// number (Graph filters: contains(serialNumber,'…')), or by the person they are assigned to. Graph
// documents no filter on userPrincipalName for these devices, so a person's devices are picked from
// the listing here, reading at most MAX_DEVICE_PAGES pages; when that cap stops the read, the answer
// says it may be incomplete instead of claiming "no devices".
import type { DevicesCommand } from '../chat/devices.js';
import type { Problem } from '../errors/catalog.js';
import { problem } from '../errors/catalog.js';
import type { AutopilotDevice, DeviceGraph } from '../graph/device-port.js';
import { GraphFailure } from '../graph/failure.js';
import type { DirectoryUser, TapGraph } from '../graph/port.js';
import { resolveTarget } from '../tap/resolve.js';
import { problemForDeviceFailure } from './problems.js';

/** At most this many devices go on one answer; the rest are counted. */
export const MAX_DEVICES_SHOWN = 10;

export type DeviceSearch =
  | {
      kind: 'found';
      /** Whose devices, when searched by person. */
      person: DirectoryUser | null;
      serial: string | null;
      devices: AutopilotDevice[];
      /** Matches beyond those shown. */
      more: number;
      /** False when the page cap stopped the read: there may be more matches than counted. */
      complete: boolean;
    }
  | { kind: 'ambiguous'; users: DirectoryUser[] }
  | { kind: 'problem'; problem: Problem };

export interface DeviceSearchDeps {
  /** The asker's Graph for people (User.Read.All). */
  directory: () => Promise<TapGraph>;
  /** The asker's Graph for Intune (DeviceManagementServiceConfig.Read.All). */
  devices: () => Promise<DeviceGraph>;
  signal?: AbortSignal;
}

const bySerial = (a: AutopilotDevice, b: AutopilotDevice) => a.serialNumber.localeCompare(b.serialNumber);
const same = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.toLowerCase();

/** Runs a device search; Graph failures come back as catalog problems, never thrown. */
export async function findDevices(deps: DeviceSearchDeps, command: DevicesCommand): Promise<DeviceSearch> {
  try {
    if ('serial' in command) return await findBySerial(deps, command.serial);
    return await findByPerson(deps, command.who);
  } catch (error) {
    if (error instanceof GraphFailure) return { kind: 'problem', problem: problemForDeviceFailure(error) };
    throw error;
  }
}

async function findBySerial(deps: DeviceSearchDeps, serial: string): Promise<DeviceSearch> {
  const graph = await deps.devices();
  const listing = await graph.listAutopilotDevices({ serialContains: serial }, deps.signal);
  return found(null, serial, listing.devices, listing.complete);
}

async function findByPerson(deps: DeviceSearchDeps, who: string): Promise<DeviceSearch> {
  const resolved = await resolveTarget(await deps.directory(), who, deps.signal);
  if (resolved.kind === 'none')
    return { kind: 'problem', problem: problem('DEVICES_USER_NOT_FOUND', { who }) };
  if (resolved.kind === 'many') return { kind: 'ambiguous', users: resolved.users };
  const person = resolved.user;
  const graph = await deps.devices();
  const listing = await graph.listAutopilotDevices(null, deps.signal);
  const theirs = listing.devices.filter((d) => same(d.userPrincipalName, person.userPrincipalName));
  return found(person, null, theirs, listing.complete);
}

function found(
  person: DirectoryUser | null,
  serial: string | null,
  matches: AutopilotDevice[],
  complete: boolean,
): DeviceSearch {
  const sorted = [...matches].sort(bySerial);
  return {
    kind: 'found',
    person,
    serial,
    devices: sorted.slice(0, MAX_DEVICES_SHOWN),
    more: Math.max(0, sorted.length - MAX_DEVICES_SHOWN),
    complete,
  };
}
