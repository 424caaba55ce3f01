import { appGraphClient, type AppGraphOptions } from './app-client.js';
import { AUTOPILOT_DEVICES_PATH } from './device-client.js';
import { GraphFailure, toGraphFailure } from './failure.js';

/** The application permission the onboarding follow-through reads devices with (read-only). */
export const DEVICE_READER_PERMISSION = 'DeviceManagementServiceConfig.Read.All';

/** A device's enrollment as Intune reports it, or null when Intune no longer has the device. */
export interface EnrollmentReader {
  enrollmentState(deviceId: string, signal?: AbortSignal): Promise<string | null>;
}

/**
 * Reads one Autopilot device with TapDesk's OWN app-only token. Nobody is signed in when the
 * follow-through looks, and no one's delegated token is kept for later, so a read-only application
 * permission is the least that lets it look; it can change no device and no pass.
 */
export class AppDeviceReader implements EnrollmentReader {
  constructor(private readonly options: AppGraphOptions) {}

  async enrollmentState(deviceId: string, signal?: AbortSignal): Promise<string | null> {
    const client = await appGraphClient(this.options, signal);
    const request = client
      .api(`${AUTOPILOT_DEVICES_PATH}/${encodeURIComponent(deviceId)}`)
      .select('id,enrollmentState');
    try {
      const device = (await (signal ? request.option('signal', signal) : request).get()) as {
        enrollmentState?: unknown;
      };
      return typeof device.enrollmentState === 'string' ? device.enrollmentState : 'unknown';
    } catch (error) {
      const failure = toGraphFailure(error);
      if (failure instanceof GraphFailure && failure.status === 404) return null;
      throw failure;
    }
  }
}
