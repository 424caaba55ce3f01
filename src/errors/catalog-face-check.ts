// Catalog entries for Face Check with Verified ID, spread into the closed catalog (catalog.ts).
import { them, type CatalogEntry } from './catalog-entry.js';

export const FACE_CHECK_ENTRIES = {
  FACE_CHECK_NOT_CONFIGURED: {
    title: 'Face Check is not set up',
    message: () => 'This TapDesk has no Verified ID verifier configured, so it cannot ask for a Face Check.',
    nextStep: () =>
      'Verify the person another way, or ask an admin to set VERIFIED_ID_AUTHORITY (see `docs/face-check.md`).',
  },
  FACE_CHECK_UNAVAILABLE: {
    title: 'Face Check could not start',
    message: () =>
      'The Verified ID service refused or did not answer the request for a Face Check. Nothing was issued and the card still works.',
    nextStep: () =>
      'Click **Verify with Face Check** again in a minute; if it keeps failing, tell your TapDesk admins.',
  },
  FACE_CHECK_REQUIRED: {
    title: 'A Face Check is required first',
    message: (c) =>
      `Passes are only issued after the person passes a Verified ID Face Check, and ${them(c)} has not passed one for this request.`,
    nextStep: () =>
      'Click **Verify with Face Check**, have them scan the QR code (or open the link) in Microsoft Authenticator, then Confirm once the card says it passed.',
  },
  FACE_CHECK_EXPIRED: {
    title: 'The Face Check is too old',
    message: (c) =>
      `${them(c)} passed a Face Check more than ${c.max ?? 10} minutes ago; a pass needs a recent one.`,
    nextStep: () => 'Click **Verify with Face Check** for a new check, then Confirm.',
  },
} satisfies Record<string, CatalogEntry>;
