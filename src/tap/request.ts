import type { StartSpec } from '../chat/grammar.js';
import type { IssuerStrength } from './roles.js';
import type { ShownFacts } from './facts.js';
import type { OnboardingInfo } from '../onboard/info.js';
import type { CardFacts, FaceCheckRecord } from '../facecheck/record.js';

/**
 * A request's life: choosing (several users matched) → pending (confirmation card shown) →
 * issuing (click accepted, Graph called) → issued | failed | unknown; or cancelled / expired.
 * `issuing` is written before Graph is called, so a replay, a double click or a second
 * instance can never create a second pass; `unknown` is never retried automatically.
 * A revoke request (kind 'revoke') runs pending → revoking → revoked | failed; an issued request
 * can also be revoked from a notice: issued → revoking → revoked.
 * An approval request (kind 'approval') runs awaiting → issuing → issued | failed | unknown, or ends
 * rejected / cancelled / expired; when Entra refuses one approver it goes back to awaiting.
 * A pending request whose facts changed before Confirm (the person's pass, account, roles or the
 * policy) is `superseded` by a fresh one, so its card can never act on what it showed.
 * An issued pass that a newer pass replaced is `replaced`: its reminders and Revoke button are moot.
 */
export type RequestState =
  | 'choosing'
  | 'pending'
  | 'awaiting'
  | 'rejected'
  | 'issuing'
  | 'issued'
  | 'failed'
  | 'unknown'
  | 'cancelled'
  | 'expired'
  | 'revoking'
  | 'revoked'
  | 'superseded'
  | 'replaced';

export interface Person {
  oid: string;
  name: string;
}

/** The actor recorded when TapDesk itself ends or gives up on something (no person clicked). */
export const TAPDESK: Person = { oid: 'tapdesk', name: 'TapDesk' };

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

/** The tenant policy's limits the plan was made against, kept so every card about the request shows them. */
export interface PolicyTerms {
  minimumLifetimeInMinutes: number;
  maximumLifetimeInMinutes: number;
  isUsableOnce: boolean;
}

/** The pass a revoke request is about, as Graph listed it when the request was made. */
export interface PassRef {
  methodId: string;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
}

/**
 * A manager or SMS delivery. The SMS number is kept only masked and as a SHA-256, so the number the
 * approver saw can be compared with the one read again at Approve without storing it.
 */
export interface DeliveryInfo {
  smsMasked?: string;
  smsSha256?: string;
  /** The manager read from Entra with the approver's token at Approve: the only one who may reveal. */
  recipient?: Person;
  outcome?: 'delivered' | 'failed';
}

/** Who must approve, where, and what happened so far; only on approval requests. */
export interface ApprovalInfo {
  reason?: string;
  /**
   * Why the requester may ask: they manage the target, are in the requester group, or are an admin;
   * `api`: another system asked through the request API (REQUEST_API_CLIENTS lists it).
   */
  basis: 'manager' | 'requester-group' | 'admin' | 'api';
  /** What the plan changed from what was asked (tenant policy, TapDesk's cap), for the cards. */
  notes: string[];
  /** The one-time Reveal card in the requester's chat (DELIVER_TO=requester). */
  revealActivityId?: string;
  /** 'privileged' when the target holds a directory role: only a Privileged Authentication Administrator (or Global Administrator) may approve. */
  needs: 'authentication' | 'privileged';
  /** The channel or group chat where approvers see the approval card. */
  approversConversationId: string;
  approvalActivityId?: string;
  /**
   * `manager` and `sms` are chosen per request (chat option, the request API, or a Lifecycle Workflows
   * joiner, always `manager`); the manager is read from Graph, never from the request; see src/delivery.
   */
  deliverTo: 'approver' | 'requester' | 'manager' | 'sms';
  /** Where a manager or SMS delivery goes and how it went; never the pass (src/delivery/info.ts). */
  delivery?: DeliveryInfo;
  /** API requests: the approver who first read the person in Entra with their own sign-in, and when. */
  checkedBy?: Person;
  checkedAt?: string;
  /** Set by the approver whose click claimed the request (kept when it ends). */
  decidedBy?: Person;
  decidedAt?: string;
  rejectReason?: string;
  /** Approvers Entra (or our pre-check) turned down; the request stayed open for someone else. */
  refusals?: { by: Person; code: string; at: string }[];
  /** Approvers whose click was handed off to their 1:1 chat; only they may approve from there. */
  handedOffTo?: string[];
}

/**
 * Where a request came from when it did not come from chat: another system, through the Entra-protected
 * request API. Its requester is that system (client id and configured name), never a person.
 */
export interface RequestSource {
  /** `access-package`, `lifecycle-task`: an Entra custom extension's callout (src/extensions). */
  kind: 'api' | 'access-package' | 'lifecycle-task';
  /** The calling app's client id (its token's `azp`), as REQUEST_API_CLIENTS lists it. */
  clientId: string;
  /** The ticket in the caller's system that asked, as it sent it. */
  ticket: { system: string; number: string };
  /** Entra custom extensions: the waiting Entra request TapDesk resumes when the approval ends. */
  callout?: CalloutRef;
}

/** The Entra request waiting on a custom extension: what its resume needs. */
export type CalloutRef =
  | { kind: 'access-package'; assignmentRequestId: string; stageInstanceId: string; stage: string }
  /** The Graph path Entra gave to resume the task, validated to its fixed shape. */
  | { kind: 'lifecycle-task'; callbackUriPath: string };

export interface TapRequest {
  id: string;
  /** Absent on requests stored before revoke existed, which are all issue requests. */
  kind?: 'issue' | 'revoke' | 'approval' | 'onboard';
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
  /**
   * Set while the requester must first activate this PIM-eligible role (just-in-time): the request
   * cannot be planned until an Activate click clears it.
   */
  activation?: { roleDefinitionId: string; displayName: string; directoryScopeId: string };
  target?: Candidate;
  /** The target's manager when the request was prepared (for the "a pass was issued" notice). */
  manager?: { id: string; displayName: string } | null;
  /** For revoke requests: the pass to delete. */
  pass?: PassRef;
  plan?: IssuePlan;
  /** The policy's limits when the plan was made; absent when no one could read the policy. */
  policy?: PolicyTerms;
  /** Read at preparation, so a later 403 from Graph can be explained precisely. */
  checks?: {
    issuerStrength: IssuerStrength;
    targetPrivileged: boolean;
    /** The target's roles in words when privileged ("eligible Global Administrator"), for the SOC. */
    targetRoles?: string;
  };
  /** What the card showed about the person; Confirm and Approve re-read it and refuse to act on old facts. */
  shown?: ShownFacts;
  usedAt?: string;
  approval?: ApprovalInfo;
  /** Only on onboarding requests: the device, its group tag and how its part went. */
  onboarding?: OnboardingInfo;
  verification?: string;
  ticket?: string;
  /** Absent for requests typed in chat. */
  source?: RequestSource;
  /** The card's remaining facts, so a Face Check callback (which has no admin token) can redraw it. */
  cardFacts?: CardFacts;
  /** The latest Face Check started from the confirmation card. */
  faceCheck?: FaceCheckRecord;
  /** A passing Face Check's score and presentation request id, recorded when Confirm used it. */
  faceCheckScore?: number;
  faceCheckRequestId?: string;
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

/** Who may reveal an approval's held pass: the manager it was delivered to, else its requester. */
export function recipientOf(request: TapRequest): Person {
  return request.approval?.delivery?.recipient ?? request.requester;
}

/** Who created (or will create) the pass with their own role: the approver on approval requests. */
export function issuerOf(request: TapRequest): Person {
  return request.approval?.decidedBy ?? request.requester;
}

/**
 * A Teams channel conversation id names the thread too ("19:…@thread.tacv2;messageid=123"): a click
 * on a card TapDesk posted to a channel comes from that card's thread. The part before ";messageid="
 * is the channel itself.
 */
export function conversationRoot(conversationId: string): string {
  const cut = conversationId.indexOf(';messageid=');
  return cut === -1 ? conversationId : conversationId.slice(0, cut);
}
