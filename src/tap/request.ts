import type { StartSpec } from '../chat/grammar.js';
import type { IssuerStrength } from './roles.js';

/**
 * A request's life: choosing (several users matched) → pending (confirmation card shown) →
 * issuing (click accepted, Graph called) → issued | failed | unknown; or cancelled / expired.
 * `issuing` is written before Graph is called, so a replay, a double click or a second
 * instance can never create a second pass; `unknown` is never retried automatically.
 */
export type RequestState =
  'choosing' | 'pending' | 'issuing' | 'issued' | 'failed' | 'unknown' | 'cancelled' | 'expired';

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

export interface TapRequest {
  id: string;
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
    at: string;
  };
}

/** States from which nothing more can happen to the request. */
export const FINAL_STATES: ReadonlySet<RequestState> = new Set([
  'issuing',
  'issued',
  'failed',
  'unknown',
  'cancelled',
  'expired',
]);
