/** What the device search needs from Intune through Graph, always on behalf of one signed-in admin. */

/** A Windows Autopilot device identity, as v1.0 returns it (only the fields TapDesk shows). */
export interface AutopilotDevice {
  id: string;
  serialNumber: string;
  manufacturer: string | null;
  model: string | null;
  groupTag: string | null;
  userPrincipalName: string | null;
  displayName: string | null;
  /** v1.0: unknown, enrolled, pendingReset, failed, notContacted. */
  enrollmentState: string | null;
  /** Never-contacted devices carry 0001-01-01T00:00:00Z. */
  lastContactedDateTime: string | null;
}

/** No filter lists every device; `serialContains` is a checked fragment (letters, digits, dashes). */
export type DeviceFilter = { serialContains: string } | null;

/** The devices read, and whether every page was read (false when the page cap stopped the read). */
export interface DeviceListing {
  devices: AutopilotDevice[];
  complete: boolean;
}

/** Pages read at most per search; pages beyond are left unread and the listing says so. */
export const MAX_DEVICE_PAGES = 10;

export interface DeviceGraph {
  /**
   * GET /deviceManagement/windowsAutopilotDeviceIdentities[?$filter=contains(serialNumber,'…')],
   * following `@odata.nextLink` (same host only) for at most MAX_DEVICE_PAGES pages. Throws
   * GraphFailure; a 403 may be the Intune role check or a missing scope (see devices/problems.ts).
   */
  listAutopilotDevices(filter: DeviceFilter, signal?: AbortSignal): Promise<DeviceListing>;
}

/** What onboarding sets on a device: its user (both names, as Intune shows them) and its group tag. */
export interface DeviceUpdate {
  userPrincipalName?: string;
  addressableUserName?: string;
  groupTag?: string;
}

/** Onboarding's device writes, with a token that carries DeviceManagementServiceConfig.ReadWrite.All. */
export interface DeviceWriteGraph extends DeviceGraph {
  /** GET …/{id}; null when Intune no longer has the device (404). */
  getAutopilotDevice(id: string, signal?: AbortSignal): Promise<AutopilotDevice | null>;
  /**
   * POST …/{id}/updateDeviceProperties (204): one call sets the user and the group tag together, so
   * the device is never left with one and not the other. Throws GraphFailure.
   */
  updateDeviceProperties(id: string, update: DeviceUpdate, signal?: AbortSignal): Promise<void>;
}
