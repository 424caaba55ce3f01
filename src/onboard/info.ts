// What an onboarding request keeps besides the pass: the device as the card showed it, the group
// tags the card offered, whom the device is taken from (only when the admin said 'reassign'), and
// how the device part went. Confirm acts only on what is stored here, never on what a card sends.
import type { AutopilotDevice } from '../graph/device-port.js';

/** The Autopilot device as read when the card was made (empty strings from Intune kept as null). */
export type OnboardDevice = Pick<
  AutopilotDevice,
  'id' | 'serialNumber' | 'manufacturer' | 'model' | 'groupTag' | 'userPrincipalName' | 'enrollmentState'
>;

/** How the device part of Confirm ended. */
export interface DevicePartOutcome {
  result: 'updated' | 'refused' | 'failed' | 'unknown';
  /** The tag set (or that would have been set). */
  groupTag: string | null;
  /** The catalog code when the part did not succeed. */
  code?: string;
  at: string;
}

export interface OnboardingInfo {
  device: OnboardDevice;
  /** The tags the card offered; Confirm refuses any other value. */
  tagChoices: string[];
  /** The tag the admin typed (preselected on the card), or null to keep the device's own. */
  groupTag: string | null;
  /** Whose device this was when the card was made, when the admin said it may be reassigned. */
  reassignFrom: string | null;
  /** How long Windows setup is expected to take; the pass lasts at least this long. */
  setupMinutes: number;
  devicePart?: DevicePartOutcome;
  /** When the device first reported enrolled, as the follow-through saw it. */
  enrolledAt?: string;
}
