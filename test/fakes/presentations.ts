import {
  PresentationServiceError,
  type CreatedPresentation,
  type PresentationInput,
  type PresentationService,
} from '../../src/facecheck/port.js';

/**
 * An in-memory Verified ID Request Service: keeps what each presentation request asked for (the
 * callback secret included, as the real service does) and builds the callbacks it would send.
 */
export class FakePresentations implements PresentationService {
  readonly made: (PresentationInput & { requestId: string })[] = [];
  /** When set, create() fails as an unreachable or refusing service would. */
  failWith: PresentationServiceError | undefined;
  private next = 1;

  async create(input: PresentationInput): Promise<CreatedPresentation> {
    if (this.failWith) throw this.failWith;
    const requestId = `00000000-0000-4000-8000-${String(this.next++).padStart(12, '0')}`;
    this.made.push({ ...input, requestId });
    return {
      requestId,
      url: `openid-vc://?request_uri=https://vid.example/r/${requestId}`,
      expiry: 2_000_000_000,
    };
  }

  last(): PresentationInput & { requestId: string } {
    const found = this.made.at(-1);
    if (!found) throw new Error('no presentation request made');
    return found;
  }

  /** The callback for the last request: its key, and a body with the given status and fields. */
  callback(status: string, extra: Record<string, unknown> = {}) {
    const made = this.last();
    return {
      apiKey: made.apiKey,
      body: { requestId: made.requestId, requestStatus: status, state: made.state, ...extra },
    };
  }

  /** A verified presentation of a VerifiedEmployee credential with this mail and score. */
  verified(mail: string, score: number, issuer = 'did:web:verifiedid.contoso.com') {
    return this.callback('presentation_verified', {
      verifiedCredentialsData: [
        {
          issuer,
          type: ['VerifiableCredential', 'VerifiedEmployee'],
          claims: { mail },
          faceCheck: { matchConfidenceScore: score, sourcePhotoQuality: 'HIGH' },
        },
      ],
    });
  }
}
