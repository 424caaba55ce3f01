// Catalog entries for onboarding on a Windows Autopilot device, kept beside the rest of the closed
// catalog (catalog.ts), which spreads them into its one table of codes. `detail` carries the serial
// number or the group tags, already checked to be plain letters, digits and dashes.
import { commandFor, them, type CatalogEntry } from './catalog-entry.js';

export const ONBOARDING_ENTRIES = {
  ONBOARD_TAP_ROLE_MISSING: {
    title: 'You need an authentication admin role to onboard',
    message: () =>
      'Onboarding ends with a Temporary Access Pass, and Entra only lets Authentication Administrators, Privileged Authentication Administrators and Global Administrators create one; your account has none of these roles active. Nothing was changed on the device.',
    nextStep: (c) =>
      `Ask a colleague who holds one of these roles to onboard, or ask for the pass to be approved: ${commandFor('request TAP for', c.who)} \`reason:\` _new joiner_.`,
  },
  ONBOARD_PERSON_AMBIGUOUS: {
    title: 'Several people match',
    message: (c) => `More than one person matches: ${c.matches ?? ''}.`,
    nextStep: () =>
      'Onboard with the full sign-in address, for example `onboard alice@contoso.com on PF4KX1A3`.',
  },
  ONBOARD_DEVICE_NOT_FOUND: {
    title: 'No such Autopilot device',
    message: (c) =>
      `Intune has no Windows Autopilot device with serial number ${c.detail ?? 'that'}${c.matches ? `; serials that contain it: ${c.matches}` : ''}.`,
    nextStep: () =>
      'Check the serial on the device or its box (Autopilot knows a device only once its hardware hash was imported), or search with `find device` _part of the serial_.',
  },
  ONBOARD_DEVICE_ASSIGNED: {
    title: 'This device belongs to someone else',
    message: (c) =>
      `Device ${c.detail ?? ''} is assigned to ${c.managerName ?? 'another person'} in Autopilot. I will not take it from them without being told.`,
    nextStep: (c) =>
      `If it really goes to ${them(c)} now, say so: \`onboard ${c.who ?? '…'} on ${c.detail ?? '…'} reassign\`, and the card will say it is reassigned.`,
  },
  ONBOARD_TAG_UNKNOWN: {
    title: 'Unknown group tag',
    message: (c) =>
      `'${c.decision ?? ''}' is not one of this tenant's Autopilot group tags${c.matches ? ` (${c.matches})` : ''}. A wrong tag gives the device the wrong profile and apps.`,
    nextStep: () =>
      'Use one of the tags listed, or leave the tag out and choose it on the card. Admins set the list with AUTOPILOT_GROUP_TAGS.',
  },
  ONBOARD_TAG_NOT_OFFERED: {
    title: 'That group tag was not on the card',
    message: () => 'The group tag sent with this click is not one the card offered, so nothing was changed.',
    nextStep: () => 'Pick a tag from the card’s list and click Confirm again.',
  },
  ONBOARD_DEVICE_CHANGED: {
    title: 'The device changed since the card was made',
    message: (c) =>
      `Device ${c.detail ?? ''} ${c.managerName ? `is now assigned to ${c.managerName}` : 'is no longer in Autopilot'}, which the card did not show. Nothing was changed.`,
    nextStep: (c) =>
      `Check it with \`device ${c.detail ?? ''}\`, then onboard ${them(c)} again if it is still right.`,
  },
  ONBOARD_DEVICE_REFUSED: {
    title: 'Intune refused the device change',
    message: (c) =>
      `Intune did not let you set the user and group tag of device ${c.detail ?? ''}: it needs an Intune Administrator (or Global Administrator) or an Intune role that may manage enrollment program devices, with your role active. No pass was created.`,
    nextStep: () =>
      'Activate Intune Administrator in Privileged Identity Management if you are eligible and click Confirm again, or ask a colleague who holds it to onboard.',
  },
  ONBOARD_DEVICE_WRITE_NOT_CONSENTED: {
    title: 'TapDesk may not change Autopilot devices yet',
    message: () =>
      'Entra or Intune says TapDesk has not been granted the delegated Graph permission DeviceManagementServiceConfig.ReadWrite.All, which onboarding needs to set a device’s user and group tag. No pass was created.',
    nextStep: () =>
      'An admin who may consent to delegated permissions must grant admin consent to the TapDesk app again (Enterprise applications > TapDesk > Permissions); see the README, "Permissions".',
  },
  ONBOARD_DEVICE_BUSY: {
    title: 'Intune is busy',
    message: (c) =>
      `Intune asked TapDesk to slow down before it changed device ${c.detail ?? ''}${c.retryAfterSeconds !== undefined ? ` (for ${Math.ceil(c.retryAfterSeconds)} seconds)` : ''}. Nothing was changed and no pass was created.`,
    nextStep: () => 'Wait a little, then click Confirm again.',
  },
  ONBOARD_DEVICE_UNKNOWN: {
    title: 'Intune did not answer in time',
    message: (c) =>
      `I could not tell whether Intune changed device ${c.detail ?? ''}, so I stopped there: no pass was created.`,
    nextStep: (c) => `Check the device with \`device ${c.detail ?? ''}\`, then onboard again if needed.`,
  },
  ONBOARD_PASS_REFUSED: {
    title: 'The device is ready, but the pass was refused',
    message: (c) =>
      `Device ${c.detail ?? ''} is now assigned to ${them(c)}${c.decision ? ` with group tag ${c.decision}` : ''}, but Entra refused the Temporary Access Pass.`,
    nextStep: (c) =>
      `A colleague with the role can approve the pass: ${commandFor('request TAP for', c.who)} \`reason:\` _new joiner_. The device keeps its new user and tag.`,
  },
  ONBOARDING_NOT_FOUND: {
    title: 'No onboarding found',
    message: (c) =>
      c.who
        ? `You have not onboarded anyone matching '${c.who}' recently.`
        : 'You have not onboarded anyone recently.',
    nextStep: () => 'Start one with `onboard` _person_ `on` _serial number_.',
  },
} satisfies Record<string, CatalogEntry>;
