import { request, type Dispatcher } from 'undici';
import {
  PresentationServiceError,
  type CreatedPresentation,
  type PresentationInput,
  type PresentationService,
} from './port.js';
import type { FaceCheckSettings } from './settings.js';

/** Where the app-only token for the Request Service comes from (ClientSecretAppTokens). */
export interface VerifiedIdTokenSource {
  verifiedIdAppToken(signal?: AbortSignal): Promise<string>;
}

/** The credential type TapDesk asks for, and the claim that holds the person's photo for Face Check. */
const CREDENTIAL_TYPE = 'VerifiedEmployee';
const PHOTO_CLAIM = 'photo';

/** The presentation request body (contract §4.2): one VerifiedEmployee, constrained to the person, with Face Check. */
export function presentationBody(
  settings: FaceCheckSettings,
  input: PresentationInput,
): Record<string, unknown> {
  return {
    authority: settings.authority,
    includeQRCode: true,
    // Face Check cannot return a receipt.
    includeReceipt: false,
    registration: { clientName: 'TapDesk helpdesk', purpose: 'Prove to the helpdesk that it is really you' },
    callback: { url: settings.callbackUrl, state: input.state, headers: { 'api-key': input.apiKey } },
    requestedCredentials: [
      {
        type: CREDENTIAL_TYPE,
        acceptedIssuers: settings.acceptedIssuers,
        configuration: {
          validation: {
            allowRevoked: false,
            validateLinkedDomain: true,
            faceCheck: { sourcePhotoClaimName: PHOTO_CLAIM, matchConfidenceThreshold: input.threshold },
          },
        },
        constraints: [{ claimName: 'mail', values: input.mailValues }],
      },
    ],
  };
}

interface ServiceError {
  error?: { code?: string; message?: string; innererror?: { code?: string; message?: string } };
}

/** The Verified ID Request Service over HTTPS with TapDesk's own app-only token. Never retried: the admin clicks again. */
export class RequestServiceClient implements PresentationService {
  constructor(
    private readonly settings: FaceCheckSettings,
    private readonly tokens: VerifiedIdTokenSource,
    private readonly dispatcher: Dispatcher | undefined,
  ) {}

  async create(input: PresentationInput, signal?: AbortSignal): Promise<CreatedPresentation> {
    const token = await this.tokens.verifiedIdAppToken(signal).catch((error: unknown) => {
      throw new PresentationServiceError((error as Error)?.message ?? 'no token');
    });
    let response: Dispatcher.ResponseData;
    try {
      response = await request(
        `${this.settings.apiBaseUrl}/verifiableCredentials/createPresentationRequest`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(presentationBody(this.settings, input)),
          signal,
          ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
        },
      );
    } catch (error) {
      throw new PresentationServiceError(
        `the Request Service could not be reached (${(error as Error)?.name})`,
      );
    }
    const body = (await response.body.json().catch(() => ({}))) as Record<string, unknown> & ServiceError;
    if (response.statusCode !== 201) {
      const inner = body.error?.innererror?.code ?? body.error?.code ?? 'unknown';
      throw new PresentationServiceError(
        `the Request Service answered ${response.statusCode} (${inner})`,
        response.statusCode,
        inner,
      );
    }
    const { requestId, url, expiry, qrCode } = body;
    if (typeof requestId !== 'string' || typeof url !== 'string' || typeof expiry !== 'number')
      throw new PresentationServiceError('the Request Service answered without requestId, url or expiry');
    return { requestId, url, expiry, ...(typeof qrCode === 'string' ? { qrCode } : {}) };
  }
}
