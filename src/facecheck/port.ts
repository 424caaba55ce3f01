/** What TapDesk asks the Verified ID Request Service for: one VerifiedEmployee presentation with Face Check. */
export interface PresentationInput {
  /** Echoed in every callback: the TapDesk request id. */
  state: string;
  /** The per-check secret the service sends back as the `api-key` header. */
  apiKey: string;
  /** Addresses the credential's `mail` claim may have: the person's own mail and UPN. */
  mailValues: string[];
  threshold: number;
}

/** The service's 201 answer (contract: requestId, url, expiry in Unix seconds, qrCode when asked). */
export interface CreatedPresentation {
  requestId: string;
  url: string;
  expiry: number;
  qrCode?: string;
}

/** The Request Service as the core sees it; an HTTP client in production, a fake in unit tests. */
export interface PresentationService {
  create(input: PresentationInput, signal?: AbortSignal): Promise<CreatedPresentation>;
}

/** The service refused or could not be reached; the message is safe to log (no token, no secret). */
export class PresentationServiceError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'PresentationServiceError';
  }
}
