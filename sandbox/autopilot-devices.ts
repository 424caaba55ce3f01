import { stableGuid } from './directory.js';
import type { FixtureAutopilotDevice } from './fixture.js';

/** `lastContactedDateTime` of a device that never contacted Intune (non-nullable in the v1.0 schema). */
const neverContacted = '0001-01-01T00:00:00Z';
/** Intune's empty GUID for a device not (yet) joined or managed. */
const emptyGuid = '00000000-0000-0000-0000-000000000000';

/** A Windows Autopilot device identity as the sandbox stores it; `updatedBy` is sandbox-only. */
export interface StoredDevice {
  id: string;
  serialNumber: string;
  manufacturer: string;
  model: string;
  groupTag: string;
  userPrincipalName: string;
  addressableUserName: string;
  displayName: string;
  enrollmentState: string;
  lastContactedDateTime: string;
  /** Object id of the caller whose token made the last change through Graph; null until then. */
  updatedBy: string | null;
}

/** Fresh copies of the fixture's devices; `now` stands in for the last contact of enrolled ones. */
export function devicesFromFixture(fixture: readonly FixtureAutopilotDevice[], now: Date): StoredDevice[] {
  return fixture.map((d) => ({
    id: d.id,
    serialNumber: d.serialNumber,
    manufacturer: d.manufacturer,
    model: d.model,
    groupTag: d.groupTag,
    userPrincipalName: d.userPrincipalName,
    addressableUserName: d.addressableUserName ?? '',
    displayName: d.displayName ?? '',
    enrollmentState: d.enrollmentState,
    lastContactedDateTime:
      d.lastContactedDateTime ?? (d.enrollmentState === 'enrolled' ? now.toISOString() : neverContacted),
    updatedBy: null,
  }));
}

/** Every v1.0 property of `windowsAutopilotDeviceIdentity` (next-wave §3.2), in the CSDL's order. */
export const autopilotFields = [
  'id',
  'addressableUserName',
  'azureActiveDirectoryDeviceId',
  'displayName',
  'enrollmentState',
  'groupTag',
  'lastContactedDateTime',
  'managedDeviceId',
  'manufacturer',
  'model',
  'productKey',
  'purchaseOrderIdentifier',
  'resourceName',
  'serialNumber',
  'skuNumber',
  'systemFamily',
  'userPrincipalName',
] as const;

/**
 * The v1.0 object: no beta fields (`deploymentProfileAssignmentStatus` and friends, §3.7 item 4).
 * Entra and Intune ids exist only once the device has enrolled; they are derived from the serial so
 * they stay the same run after run.
 */
export function autopilotView(device: StoredDevice, fields: readonly string[]): Record<string, unknown> {
  const enrolled = device.enrollmentState === 'enrolled';
  const full: Record<string, unknown> = {
    id: device.id,
    addressableUserName: device.addressableUserName,
    azureActiveDirectoryDeviceId: enrolled ? stableGuid(`entraDevice:${device.serialNumber}`) : emptyGuid,
    displayName: device.displayName,
    enrollmentState: device.enrollmentState,
    groupTag: device.groupTag,
    lastContactedDateTime: device.lastContactedDateTime,
    managedDeviceId: enrolled ? stableGuid(`managedDevice:${device.serialNumber}`) : emptyGuid,
    manufacturer: device.manufacturer,
    model: device.model,
    productKey: '',
    purchaseOrderIdentifier: '',
    resourceName: '',
    serialNumber: device.serialNumber,
    skuNumber: '',
    systemFamily: '',
    userPrincipalName: device.userPrincipalName,
  };
  const view: Record<string, unknown> = { '@odata.type': '#microsoft.graph.windowsAutopilotDeviceIdentity' };
  for (const field of fields) view[field] = full[field];
  return view;
}

/** The `/_sandbox/state` view of a device (what tests assert on). */
export function deviceStateView(device: StoredDevice): Record<string, unknown> {
  return {
    id: device.id,
    serialNumber: device.serialNumber,
    model: device.model,
    groupTag: device.groupTag,
    userPrincipalName: device.userPrincipalName,
    addressableUserName: device.addressableUserName,
    displayName: device.displayName,
    enrollmentState: device.enrollmentState,
    updatedBy: device.updatedBy,
  };
}
