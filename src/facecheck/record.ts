import type { Person } from '../tap/request.js';

/**
 * A Face Check as the request keeps it: the Verified ID presentation request TapDesk made, who made it,
 * for whom, and what the person's phone answered. The callback secret is kept only as a SHA-256 hash.
 */
export interface FaceCheckRecord {
  /** The Request Service's id of the presentation request (echoed in every callback). */
  verifiedIdRequestId: string;
  /** SHA-256 (hex) of the per-check callback secret sent as the `api-key` header. */
  secretSha256: string;
  status: 'waiting' | 'retrieved' | 'passed' | 'failed';
  /** The admin who started it (the requester of the request). */
  by: Person;
  /** The person it must be: the request's target, by object id, and the addresses the constraint allows. */
  targetId: string;
  expectedMail: string[];
  threshold: number;
  startedAt: string;
  /** When the presentation request stops being answerable (the service's `expiry`). */
  expiresAt: string;
  /** The link the person opens in Microsoft Authenticator (the QR code encodes it). */
  url: string;
  /** The card the check is shown on, updated live when a callback arrives. */
  cardActivityId?: string;
  score?: number;
  /** The service's error code, or TapDesk's reason for failing a verified presentation. */
  failure?: string;
  decidedAt?: string;
}

/** What the confirmation card showed that the request does not otherwise keep, so it can be drawn again. */
export interface CardFacts {
  mail: string | null;
  jobTitle: string | null;
  accountEnabled: boolean | null;
  existingPass: { createdDateTime: string; isUsable: boolean; methodUsabilityReason: string } | null;
  notes: string[];
  warnings: string[];
}
