// The Intune side of the fake tenant: Windows Autopilot device identities as Graph v1.0 lists them,
// following reference/next-wave-contract.md §3: the scope gate (DeviceManagementServiceConfig.Read.All
// or .ReadWrite.All) and the Intune role check (Intune Administrator or Global Administrator), each a
// 403 in Intune's "FEF" envelope, contains(serialNumber,…) case-insensitive, and nextLink paging.
// Calls are recorded and scriptable on the FakeTenant, as method 'listAutopilotDevices'.
import { GraphFailure } from '../../src/graph/failure.js';
import {
  MAX_DEVICE_PAGES,
  type AutopilotDevice,
  type DeviceFilter,
  type DeviceListing,
  type DeviceUpdate,
  type DeviceWriteGraph,
} from '../../src/graph/device-port.js';
import { ROLES, type FakeTenant } from './graph.js';

export const INTUNE_ADMINISTRATOR = '3a2c62db-5318-420d-8d74-23affee5d9d5';
const INTUNE_READERS = [INTUNE_ADMINISTRATOR, ROLES.globalAdministrator];
export const NEVER_CONTACTED = '0001-01-01T00:00:00Z';

/** The JSON-in-string message Intune puts in a 403 (contract §3.5). */
export function fefMessage(text: string): string {
  return JSON.stringify({
    _version: 3,
    Message: `${text} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000`,
    CustomApiErrorPhrase: '',
    RetryAfter: null,
    ErrorSourceService: '',
    HttpHeaders: '{}',
  });
}

export const FEF = {
  userNotAuthorized: () =>
    new GraphFailure(
      403,
      'Forbidden',
      fefMessage('User is not authorized to perform this operation'),
      undefined,
      undefined,
    ),
  scopeMissing: () =>
    new GraphFailure(
      403,
      'Forbidden',
      fefMessage(
        'Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementServiceConfig.Read.All, DeviceManagementServiceConfig.ReadWrite.All',
      ),
      undefined,
      undefined,
    ),
};

export class FakeIntune {
  readonly devices: AutopilotDevice[] = [];
  /** Devices per page Graph answers; a listing pages on with nextLink. */
  pageSize = 100;
  /** Whether the token carries a device-management scope (admin consent for TapDesk). */
  scopeGranted = true;
  /** Whether it carries DeviceManagementServiceConfig.ReadWrite.All (onboarding's writes). */
  writeScopeGranted = true;

  constructor(readonly tenant: FakeTenant) {}

  addDevice(spec: Partial<AutopilotDevice> & { serialNumber: string }): AutopilotDevice {
    const device: AutopilotDevice = {
      id: `device-${this.devices.length + 1}`,
      manufacturer: 'LENOVO',
      model: 'ThinkPad T14 Gen 4',
      groupTag: '',
      userPrincipalName: '',
      displayName: '',
      enrollmentState: 'notContacted',
      lastContactedDateTime: NEVER_CONTACTED,
      ...spec,
    };
    this.devices.push(device);
    return device;
  }

  /** The signed-in admin `oid`'s view of the device endpoints. */
  asUser(oid: string): DeviceWriteGraph {
    this.tenant.user(oid);
    return {
      listAutopilotDevices: (filter: DeviceFilter, signal?: AbortSignal): Promise<DeviceListing> =>
        this.tenant.run(oid, 'listAutopilotDevices', [filter], signal, () => this.list(oid, filter)),
      getAutopilotDevice: (id: string, signal?: AbortSignal): Promise<AutopilotDevice | null> =>
        this.tenant.run(oid, 'getAutopilotDevice', [id], signal, () => {
          this.check(oid, false);
          const device = this.devices.find((d) => d.id === id);
          return device ? structuredClone(device) : null;
        }),
      updateDeviceProperties: (id: string, update: DeviceUpdate, signal?: AbortSignal): Promise<void> =>
        this.tenant.run(oid, 'updateDeviceProperties', [id, update], signal, () => {
          this.check(oid, true);
          const device = this.devices.find((d) => d.id === id);
          if (!device)
            throw new GraphFailure(404, 'ResourceNotFound', 'No such device', undefined, undefined);
          // Contract §3.7 item 3: only the supplied fields change.
          Object.assign(device, update);
        }),
    };
  }

  /** The scope gate, then Intune's role check (contract §3.7 items 1 and 2). */
  private check(oid: string, write: boolean): void {
    if (!this.scopeGranted || (write && !this.writeScopeGranted)) throw FEF.scopeMissing();
    if (!this.tenant.hasRole(this.tenant.user(oid), INTUNE_READERS)) throw FEF.userNotAuthorized();
  }

  /** Pages as Graph would, and reads them as src/graph/device-client.ts does (capped). */
  private list(oid: string, filter: DeviceFilter): DeviceListing {
    this.check(oid, false);
    const fragment = filter?.serialContains.toLowerCase();
    const matches = this.devices.filter(
      (d) => fragment === undefined || d.serialNumber.toLowerCase().includes(fragment),
    );
    const readable = matches.slice(0, MAX_DEVICE_PAGES * this.pageSize);
    return { devices: structuredClone(readable), complete: readable.length === matches.length };
  }
}
