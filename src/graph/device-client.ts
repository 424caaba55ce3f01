import { RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { GraphTapClient, odataQuote } from './client.js';
import {
  MAX_DEVICE_PAGES,
  type AutopilotDevice,
  type DeviceFilter,
  type DeviceListing,
  type DeviceUpdate,
  type DeviceWriteGraph,
} from './device-port.js';
import { GraphFailure } from './failure.js';
import { nextLinkOf } from './next-link.js';

export const AUTOPILOT_DEVICES_PATH = '/deviceManagement/windowsAutopilotDeviceIdentities';
/** Checked again here, whatever the caller did: the fragment goes inside an OData filter. */
const SERIAL_FRAGMENT = /^[A-Za-z0-9-]{1,64}$/;

/** The filter text for a listing; exported so tests can see exactly what goes on the wire. */
export function deviceFilterText(filter: DeviceFilter): string | undefined {
  if (filter === null) return undefined;
  if (!SERIAL_FRAGMENT.test(filter.serialContains)) throw new Error('Refusing an unchecked serial fragment');
  return `contains(serialNumber,${odataQuote(filter.serialContains)})`;
}

function deviceOf(raw: Record<string, unknown>): AutopilotDevice {
  const text = (key: string): string | null => (typeof raw[key] === 'string' ? raw[key] : null);
  return {
    id: text('id') ?? '',
    serialNumber: text('serialNumber') ?? '',
    manufacturer: text('manufacturer'),
    model: text('model'),
    groupTag: text('groupTag'),
    userPrincipalName: text('userPrincipalName'),
    displayName: text('displayName'),
    enrollmentState: text('enrollmentState'),
    lastContactedDateTime: text('lastContactedDateTime'),
  };
}

/** Graph's Intune device endpoints, on behalf of the admin whose (device-scoped) token this carries. */
export class GraphDeviceClient extends GraphTapClient implements DeviceWriteGraph {
  async listAutopilotDevices(filter: DeviceFilter, signal?: AbortSignal): Promise<DeviceListing> {
    const filterText = deviceFilterText(filter);
    let request = this.get(AUTOPILOT_DEVICES_PATH, signal);
    if (filterText !== undefined) request = request.filter(filterText);
    const devices: AutopilotDevice[] = [];
    for (let page = 1; ; page++) {
      const current = request;
      const body = (await this.call(() => current.get())) as {
        value?: Record<string, unknown>[];
        '@odata.nextLink'?: unknown;
      };
      devices.push(...(body.value ?? []).map(deviceOf));
      const more = typeof body['@odata.nextLink'] === 'string' && body['@odata.nextLink'] !== '';
      // Past the cap the listing is returned as incomplete rather than read on without end.
      if (more && page >= MAX_DEVICE_PAGES) return { devices, complete: false };
      const next = nextLinkOf(body, page, MAX_DEVICE_PAGES + 1, (url) => this.isOwnUrl(url), 'Devices');
      if (next === undefined) return { devices, complete: true };
      request = this.get(next, signal);
    }
  }

  async getAutopilotDevice(id: string, signal?: AbortSignal): Promise<AutopilotDevice | null> {
    const request = this.get(`${AUTOPILOT_DEVICES_PATH}/${encodeURIComponent(id)}`, signal);
    try {
      return deviceOf((await this.call(() => request.get())) as Record<string, unknown>);
    } catch (error) {
      if (error instanceof GraphFailure && error.status === 404) return null;
      throw error;
    }
  }

  async updateDeviceProperties(id: string, update: DeviceUpdate, signal?: AbortSignal): Promise<void> {
    const path = `${AUTOPILOT_DEVICES_PATH}/${encodeURIComponent(id)}/updateDeviceProperties`;
    // Not retried here: Intune's write limit answers 429 for seconds, longer than a click may wait;
    // the admin is told when to try again instead.
    const request = this.get(path, signal).middlewareOptions([new RetryHandlerOptions(0, 0, () => false)]);
    await this.call(() => request.post(update));
  }
}
