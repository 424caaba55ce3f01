// Step one of onboarding: read, as the admin, who the person is, which device the serial names and
// which group tags exist; refuse what must not happen (no TAP role, no Intune role, a device that
// belongs to someone else, an unknown tag); plan the day-one pass; and store one pending request
// whose card shows all of it. Nothing is changed in Intune or Entra here.
import type { OnboardCommand } from '../chat/grammar.js';
import { problem, type Problem } from '../errors/catalog.js';
import { problemForDeviceFailure } from '../devices/problems.js';
import type { AutopilotDevice, DeviceGraph } from '../graph/device-port.js';
import { problemForGraphFailure } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import type { DirectoryUser, TapGraph } from '../graph/port.js';
import type { CoreDeps } from '../tap/core-deps.js';
import { checkAndPlan, type PrepareOutcome } from '../tap/prepare.js';
import type { Person, TapRequest } from '../tap/request.js';
import { resolveTarget } from '../tap/resolve.js';
import { issuerStrength } from '../tap/roles.js';
import type { OnboardDevice, OnboardingInfo } from './info.js';
import { planOnboardingPass } from './plan.js';
import { onboardingSettingsOf } from './settings.js';
import { knownGroupTags, matchGroupTag } from './tags.js';

export interface OnboardInput {
  requester: Person;
  timeZone: string;
  utcOffsetMinutes: number;
  conversationId: string;
  command: OnboardCommand;
}

/** What the onboarding card shows beyond the issue card's facts. */
export type OnboardPrepareOutcome =
  { kind: 'problem'; problem: Problem } | Extract<PrepareOutcome, { kind: 'confirm' }>;

const READ_TIMEOUT_MS = 8_000;
/** Serials that merely contain what was typed, named when none matches exactly. */
const NEAR_SERIALS_SHOWN = 5;

const same = (a: string | null | undefined, b: string) => !!a && a.toLowerCase() === b.toLowerCase();

export function onboardDeviceOf(d: AutopilotDevice): OnboardDevice {
  return {
    id: d.id,
    serialNumber: d.serialNumber,
    manufacturer: d.manufacturer,
    model: d.model,
    groupTag: d.groupTag === '' ? null : d.groupTag,
    userPrincipalName: d.userPrincipalName === '' ? null : d.userPrincipalName,
    enrollmentState: d.enrollmentState,
  };
}

/** Reads the device by its serial and, unless the deployment lists its tags, the tags in use. */
async function readDevice(
  graph: DeviceGraph,
  serial: string,
  configuredTags: readonly string[],
  signal: AbortSignal,
): Promise<{ matches: AutopilotDevice[]; tags: string[] }> {
  const [bySerial, all] = await Promise.all([
    graph.listAutopilotDevices({ serialContains: serial }, signal),
    configuredTags.length > 0 ? undefined : graph.listAutopilotDevices(null, signal),
  ]);
  return { matches: bySerial.devices, tags: knownGroupTags(configuredTags, all?.devices ?? []) };
}

/** The refusal for a device the admin may not have, or null when it may go to `user`. */
function deviceRefusal(
  device: OnboardDevice | undefined,
  matches: AutopilotDevice[],
  command: OnboardCommand,
  user: DirectoryUser,
): Problem | null {
  if (!device) {
    const near = matches.slice(0, NEAR_SERIALS_SHOWN).map((d) => d.serialNumber);
    return problem('ONBOARD_DEVICE_NOT_FOUND', { detail: command.serial, matches: near.join(', ') });
  }
  const owner = device.userPrincipalName;
  if (owner !== null && !same(owner, user.userPrincipalName) && command.reassign !== true)
    return problem('ONBOARD_DEVICE_ASSIGNED', {
      detail: device.serialNumber,
      managerName: owner,
      targetName: user.displayName,
      who: user.userPrincipalName,
    });
  return null;
}

/** Prepares an onboarding as the admin: the checks, the plan and the stored pending request. */
export async function prepareOnboarding(
  deps: CoreDeps,
  graph: TapGraph,
  devices: () => Promise<DeviceGraph>,
  input: OnboardInput,
): Promise<OnboardPrepareOutcome> {
  const settings = onboardingSettingsOf(deps);
  const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
  const { command } = input;
  const who = command.who;
  let step: 'person' | 'device' = 'person';
  try {
    const [myRoles, policy, resolution] = await Promise.all([
      graph.getRoles('me', signal),
      graph.getTapPolicy(signal),
      resolveTarget(graph, who, signal),
    ]);
    // Checked before Intune is even read: an onboarding that cannot end with a pass changes nothing.
    if (issuerStrength(myRoles) === 'none') return refused('ONBOARD_TAP_ROLE_MISSING', { who });
    if (resolution.kind === 'none') return refused('TAP_USER_NOT_FOUND', { who });
    if (resolution.kind === 'many') {
      const matches = resolution.users.map((u) => `${u.displayName} (${u.userPrincipalName})`).join(', ');
      return refused('ONBOARD_PERSON_AMBIGUOUS', { matches });
    }
    const user = resolution.user;
    step = 'device';
    const read = await readDevice(await devices(), command.serial, settings.groupTags, signal);
    const exact = read.matches.find((d) => same(d.serialNumber, command.serial));
    const device = exact ? onboardDeviceOf(exact) : undefined;
    const refusal = deviceRefusal(device, read.matches, command, user);
    if (refusal || !device) return { kind: 'problem', problem: refusal ?? problem('UNEXPECTED') };
    let groupTag: string | null = null;
    if (command.groupTag !== undefined) {
      const known = matchGroupTag(command.groupTag, read.tags);
      if (!known)
        return refused('ONBOARD_TAG_UNKNOWN', { decision: command.groupTag, matches: read.tags.join(', ') });
      groupTag = known;
    }
    const owner = device.userPrincipalName;
    const onboarding: OnboardingInfo = {
      device,
      tagChoices: read.tags,
      groupTag,
      reassignFrom: owner !== null && !same(owner, user.userPrincipalName) ? owner : null,
      setupMinutes: settings.setupMinutes,
    };
    const now = deps.clock.now();
    const draft: Omit<TapRequest, 'id'> = {
      kind: 'onboard',
      state: 'pending',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + deps.requestTtlMinutes * 60_000).toISOString(),
      requester: input.requester,
      timeZone: input.timeZone,
      conversationId: input.conversationId,
      query: who,
      asked: {
        lifetimeMinutes: command.lifetimeMinutes,
        usableOnce: command.usableOnce,
        start: command.start,
        utcOffsetMinutes: input.utcOffsetMinutes,
      },
      onboarding,
    };
    const outcome = await checkAndPlan(
      deps,
      graph,
      draft,
      user,
      myRoles,
      policy,
      signal,
      undefined,
      (asked, at) => planOnboardingPass(asked, policy, at, deps.maxLifetimeMinutes, settings.setupMinutes),
    );
    if (outcome.kind === 'choose') return { kind: 'problem', problem: problem('UNEXPECTED') };
    return outcome;
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    const found =
      step === 'device'
        ? problemForDeviceFailure(error)
        : problemForGraphFailure(error, { operation: 'read', who });
    return { kind: 'problem', problem: found };
  }
}

function refused(
  code: Parameters<typeof problem>[0],
  context: Parameters<typeof problem>[1],
): OnboardPrepareOutcome {
  return { kind: 'problem', problem: problem(code, context) };
}
