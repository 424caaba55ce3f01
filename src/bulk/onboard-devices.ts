// An onboarding bulk's device reads at validation, as the admin: the tenant's Autopilot device list
// once (it also gives the group tags in use), and, only when that list was cut at its page cap, each
// serial still unseen by its own filtered read. Intune's request window is shared by the whole app,
// so the per-serial reads run a few at a time and wait out every 429's Retry-After together.
import { problemForDeviceFailure } from '../devices/problems.js';
import type { AutopilotDevice, DeviceGraph } from '../graph/device-port.js';
import { GraphFailure } from '../graph/failure.js';
import type { Problem } from '../errors/catalog.js';
import type { OnboardingSettings } from '../onboard/settings.js';
import { knownGroupTags } from '../onboard/tags.js';
import type { OnboardFacts } from './onboard-rows.js';
import { forEachConcurrent, ThrottleGate } from './throttle.js';

const READ_TIMEOUT_MS = 15_000;
const MAX_READ_ATTEMPTS = 6;

export type OnboardRead = { ok: true; facts: OnboardFacts } | { ok: false; problem: Problem };

/** Reads what the rows' serials name and which tags are known; a refused read becomes its problem. */
export async function readOnboardFacts(
  graph: DeviceGraph,
  serials: readonly string[],
  settings: OnboardingSettings,
  concurrency: number,
): Promise<OnboardRead> {
  try {
    const listing = await graph.listAutopilotDevices(null, AbortSignal.timeout(READ_TIMEOUT_MS));
    const devices = new Map<string, AutopilotDevice>();
    for (const d of listing.devices) devices.set(d.serialNumber.toUpperCase(), d);
    const unseen = [...new Set(serials.map((s) => s.toUpperCase()))].filter((s) => !devices.has(s));
    if (!listing.complete) await readEach(graph, unseen, devices, concurrency);
    return {
      ok: true,
      facts: {
        devices,
        tags: knownGroupTags(settings.groupTags, listing.devices),
        setupMinutes: settings.setupMinutes,
      },
    };
  } catch (error) {
    if (error instanceof GraphFailure) return { ok: false, problem: problemForDeviceFailure(error) };
    throw error;
  }
}

/** One filtered read per serial; an exact match (any case) is the device. */
async function readEach(
  graph: DeviceGraph,
  serials: readonly string[],
  devices: Map<string, AutopilotDevice>,
  concurrency: number,
): Promise<void> {
  const gate = new ThrottleGate();
  await forEachConcurrent(serials, concurrency, async (serial) => {
    for (let attempt = 1; ; attempt += 1) {
      await gate.pass();
      try {
        const found = await graph.listAutopilotDevices(
          { serialContains: serial },
          AbortSignal.timeout(READ_TIMEOUT_MS),
        );
        const exact = found.devices.find((d) => d.serialNumber.toUpperCase() === serial);
        if (exact) devices.set(serial, exact);
        return;
      } catch (error) {
        if (!(error instanceof GraphFailure) || error.status !== 429 || attempt >= MAX_READ_ATTEMPTS)
          throw error;
        gate.block(error.retryAfterSeconds);
      }
    }
  });
}
