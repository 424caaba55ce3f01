import type { StartSpec } from '../chat/grammar.js';
import type { IssuerStrength } from './roles.js';

/**
 * A request's life: choosing (several users matched) → pending (confirmation card shown) →
 * issuing (click accepted, Graph called) → issued | failed | unknown; or cancelled / expired.
 * `issuing` is written before Graph is called, so a replay, a double click or a second
 * instance can never create a second pass; `unknown` is never retried automatically.
 * A revoke request (kind 'revoke') runs pending → revoking → revoked | failed; an issued request
 * can also be revoked from a notice: issued → revoking → revoked.
 */
export type RequestState =
  | 'choosing'
  | 'pending'
  | 'issuing'
  | 'issued'
  | 'failed'
  | 'unknown'
  | 'cancelled'
  | 'expired'
  | 'revoking'
  | 'revoked';

export interface Person {
  oid: string;
  name: string;
}

export interface Candidate {
  id: string;
  displayName: string;
  userPrincipalName: string;
  department: string | null;
}

/** What will be sent to Graph, after clamping to the tenant policy. Undefined fields use the policy default. */
export interface IssuePlan {
  lifetimeMinutes?: number;
  isUsableOnce?: boolean;
  startDateTime?: string;
}

/** The pass a revoke request is about, as Graph listed it when the request was made. */
export interface PassRef {
  methodId: string;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
}

export interface TapRequest {
  id: string;
  /** Absent on requests stored before revoke existed, which are all issue requests. */
  kind?: 'issue' | 'revoke';
  state: RequestState;
  createdAt: string;
  expiresAt: string;
  requester: Person;
  /** IANA zone (or 'UTC') the requester's Teams client reported; used to show times. */
  timeZone: string;
  conversationId: string;
  cardActivityId?: string;
  query: string;
  asked: { lifetimeMinutes?: number; usableOnce?: boolean; start?: StartSpec; utcOffsetMinutes: number };
  candidates?: Candidate[];
  target?: Candidate;
  /** The target's manager when the request was prepared (for the "a pass was issued" notice). */
  manager?: { id: string; displayName: string } | null;
  /** For revoke requests: the pass to delete. */
  pass?: PassRef;
  plan?: IssuePlan;
  /** Read at preparation, so a later 403 from Graph can be explained precisely. */
  checks?: { issuerStrength: IssuerStrength; targetPrivileged: boolean };
  usedAt?: string;
  verification?: string;
  ticket?: string;
  outcome?: {
    methodId?: string;
    startDateTime?: string;
    expiresAt?: string;
    isUsableOnce?: boolean;
    problemCode?: string;
    /** Set when the pass was revoked: by whom and when. */
    revokedBy?: Person;
    revokedAt?: string;
    at: string;
  };
}
