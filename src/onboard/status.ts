// `onboarding status [<who>]`: the onboardings the asker confirmed, newest first, each with how its
// parts went and, read live with the asker's own token, whether the device has enrolled. Found through
// the audit trail (the device part is always audited), so no extra index is kept for it.
import type { OnboardingStatusCommand } from '../chat/grammar.js';
import { problem, type Problem } from '../errors/catalog.js';
import type { AuditEvent } from '../audit/event.js';
import { problemForDeviceFailure } from '../devices/problems.js';
import type { AutopilotDevice, DeviceGraph } from '../graph/device-port.js';
import { GraphFailure } from '../graph/failure.js';
import type { TapGraph } from '../graph/port.js';
import type { CoreDeps } from '../tap/core-deps.js';
import type { Person, TapRequest } from '../tap/request.js';
import { resolveTarget } from '../tap/resolve.js';

/** At most this many onboardings on one answer. */
export const MAX_ONBOARDINGS_SHOWN = 10;
/** How far back in the tenant's trail an answer without a person looks. */
const RECENT_EVENTS = 500;
const PER_PERSON_EVENTS = 100;
const READ_TIMEOUT_MS = 8_000;

export interface OnboardingStatusItem {
  request: TapRequest;
  /** The device as Intune shows it now; null when it could not be read (`liveProblem` says why). */
  live: AutopilotDevice | null;
}

export type OnboardingStatus =
  | { kind: 'found'; items: OnboardingStatusItem[]; liveProblem: Problem | null }
  | { kind: 'problem'; problem: Problem };

const DEVICE_PART: ReadonlySet<AuditEvent['type']> = new Set([
  'onboarding.device_updated',
  'onboarding.device_failed',
]);

export async function onboardingStatus(
  deps: CoreDeps,
  asker: Person,
  access: { directory: () => Promise<TapGraph>; devices: () => Promise<DeviceGraph> },
  command: OnboardingStatusCommand,
): Promise<OnboardingStatus> {
  const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
  let events: AuditEvent[];
  if (command.who !== undefined) {
    const resolved = await resolveTarget(await access.directory(), command.who, signal);
    if (resolved.kind === 'none')
      return { kind: 'problem', problem: problem('ONBOARDING_NOT_FOUND', { who: command.who }) };
    if (resolved.kind === 'many') {
      const matches = resolved.users.map((u) => `${u.displayName} (${u.userPrincipalName})`).join(', ');
      return { kind: 'problem', problem: problem('ONBOARD_PERSON_AMBIGUOUS', { matches }) };
    }
    events = await deps.audit.forTarget(resolved.user.id, PER_PERSON_EVENTS);
  } else {
    events = await deps.audit.recent(RECENT_EVENTS);
  }
  // Only the asker's own onboardings: the trail is shared, the status is theirs.
  const ids = [
    ...new Set(
      events.filter((e) => DEVICE_PART.has(e.type) && e.actor.oid === asker.oid).map((e) => e.requestId),
    ),
  ].slice(0, MAX_ONBOARDINGS_SHOWN);
  const rows = await Promise.all(ids.map((id) => deps.requests.get(id)));
  const requests = rows.flatMap((row) => (row?.value.onboarding ? [row.value] : []));
  if (requests.length === 0)
    return { kind: 'problem', problem: problem('ONBOARDING_NOT_FOUND', { who: command.who }) };
  let liveProblem: Problem | null = null;
  const live = new Map<string, AutopilotDevice>();
  try {
    const graph = await access.devices();
    for (const request of requests) {
      const serial = request.onboarding!.device.serialNumber;
      const listing = await graph.listAutopilotDevices({ serialContains: serial }, signal);
      const device = listing.devices.find((d) => d.serialNumber.toLowerCase() === serial.toLowerCase());
      if (device) live.set(request.id, device);
    }
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    liveProblem = problemForDeviceFailure(error);
  }
  return {
    kind: 'found',
    items: requests.map((request) => ({ request, live: live.get(request.id) ?? null })),
    liveProblem,
  };
}
