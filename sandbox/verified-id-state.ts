import type { PresentationRequestSpec } from './verified-id-request.js';

/** Where a presentation request stands: created, then opened on the phone, then verified or failed. */
export type PresentationStatus =
  'created' | 'request_retrieved' | 'presentation_verified' | 'presentation_error';

/** A presentation request the sandbox's Request Service accepted, and the callbacks it sent. */
export interface StoredPresentation {
  requestId: string;
  spec: PresentationRequestSpec;
  /** The app that created it (the token's appid). */
  appId: string;
  createdAt: Date;
  expiry: Date;
  status: PresentationStatus;
  /** Who presented (object id), once someone did. */
  presentedBy?: string;
  callbacks: { requestStatus: string; httpStatus: number | null }[];
}

/**
 * The `/_sandbox/state.presentations` view: everything a test may check, except the callback's header
 * values (the verifier's secret), of which only the names are shown.
 */
export function presentationView(p: StoredPresentation): Record<string, unknown> {
  return {
    requestId: p.requestId,
    appId: p.appId,
    status: p.status,
    createdAt: p.createdAt.toISOString(),
    expiry: p.expiry.toISOString(),
    authority: p.spec.authority,
    clientName: p.spec.clientName,
    credentialType: p.spec.credentialType,
    acceptedIssuers: [...p.spec.acceptedIssuers],
    constraints: p.spec.constraints.map((c) => ({ ...c })),
    faceCheck: p.spec.faceCheck ? { ...p.spec.faceCheck } : null,
    callbackUrl: p.spec.callback.url,
    callbackState: p.spec.callback.state ?? null,
    callbackHeaderNames: Object.keys(p.spec.callback.headers),
    presentedBy: p.presentedBy ?? null,
    callbacks: p.callbacks.map((c) => ({ ...c })),
  };
}
