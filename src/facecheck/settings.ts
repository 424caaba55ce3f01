/** The Verified ID Request Service's app id: its app-only scope is `{this}/.default`. */
export const VERIFIED_ID_RESOURCE = '3db474b9-6a0c-4840-96ac-1fceb342124f';
export const VERIFIED_ID_APP_SCOPE = `${VERIFIED_ID_RESOURCE}/.default`;

/** The path of the callback endpoint on TapDesk's server; VERIFIED_ID_CALLBACK_URL must end with it. */
export const FACE_CHECK_CALLBACK_PATH = '/api/verified-id/callback';

/** A passing Face Check lets Confirm go ahead for this long after it passed. */
export const FACE_CHECK_MAX_AGE_MINUTES = 10;

/** What TapDesk records as the verification of a pass whose person passed a Face Check. */
export const FACE_CHECK_VERIFICATION = 'verified-id-face-check';

/** Face Check with Microsoft Entra Verified ID; absent from the config when VERIFIED_ID_AUTHORITY is unset. */
export interface FaceCheckSettings {
  /** TapDesk's verifier DID (`did:web:…`), the `authority` of every presentation request. */
  authority: string;
  /** The Request Service, up to and including the version (`https://verifiedid.did.msidentity.com/v1.0`). */
  apiBaseUrl: string;
  /** Where the Request Service posts its callbacks: TapDesk's public URL plus FACE_CHECK_CALLBACK_PATH. */
  callbackUrl: string;
  /** Issuers of the VerifiedEmployee credential TapDesk accepts (empty: any issuer the service trusts). */
  acceptedIssuers: string[];
  /** The Face Check match confidence a presentation must reach (50–100). */
  threshold: number;
  /** When true, Confirm is refused without a passing, fresh Face Check for the request and its person. */
  required: boolean;
}
