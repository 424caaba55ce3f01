import type { StartSpec } from '../chat/grammar.js';
import type { IssuePlan, Person } from '../tap/request.js';

/**
 * A bulk's life: pending (confirmation card shown) → [awaiting → approved, when above the approval
 * size] → issuing → done | interrupted (the instance running it died); or cancelled / expired /
 * rejected. Items are stored in chunks of at most 20 (one Graph $batch each); an item is marked
 * 'posting' durably before its create is sent, so after a crash it becomes 'unknown', never re-sent.
 */
export type BulkState =
  | 'pending'
  | 'awaiting'
  | 'approved'
  | 'rejected'
  | 'issuing'
  | 'done'
  | 'interrupted'
  | 'cancelled'
  | 'expired';

/** Why a row will not get a pass; 'ready' rows will. Shown as counts on the confirmation card. */
export const CATEGORIES = [
  'ready',
  'notFound',
  'guest',
  'privileged',
  'duplicate',
  'outsidePolicy',
  'limited',
  'invalid',
  // Onboarding bulks only: the row's device or tag cannot be used.
  'deviceNotFound',
  'deviceAssigned',
  'unknownTag',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  ready: 'Ready',
  notFound: 'Not found',
  guest: 'Guest',
  privileged: 'Privileged (excluded from bulk)',
  duplicate: 'Duplicate',
  outsidePolicy: 'Outside policy',
  limited: 'Over the daily limit for that person',
  invalid: 'Invalid row',
  deviceNotFound: 'Device not found',
  deviceAssigned: 'Device assigned to someone else',
  unknownTag: 'Unknown group tag',
};

/** What one row asked for (CSV columns or the command's options). */
export interface BulkAsk {
  line: number;
  user: string;
  lifetimeMinutes?: number;
  usableOnce?: boolean;
  start?: StartSpec;
  /** Onboarding bulks: the Autopilot device's serial number and the group tag asked for. */
  serial?: string;
  groupTag?: string;
}

export interface BulkProblem {
  line: number;
  user: string;
  category: Exclude<Category, 'ready'>;
  message: string;
}

export interface BulkTarget {
  id: string;
  userPrincipalName: string;
  displayName: string;
}

/**
 * An onboarding row's device: as validated, and how its part went. The part runs before the pass;
 * an item whose device part did not end 'updated' gets no pass.
 */
export interface BulkDevice {
  id: string;
  serialNumber: string;
  /** The tag to set: the row's (a known one), else the device's own; null when it has none. */
  groupTag: string | null;
  /** The row named no tag: the device keeps whatever tag it has when it is set. */
  keepTag?: boolean;
  /** Whom the device was assigned to at validation: nobody, or the row's own person. */
  owner: string | null;
  part?: 'updated' | 'refused' | 'failed' | 'unknown';
  /** The catalog code when the part did not end 'updated'. */
  code?: string;
}

export type ItemState = 'ready' | 'posting' | 'issued' | 'failed' | 'unknown' | 'skipped';

/** One ready row inside a chunk. Never holds the pass itself: only Graph's method id and times. */
export interface BulkItem {
  ask: BulkAsk;
  target: BulkTarget;
  plan: IssuePlan;
  state: ItemState;
  /** How many times a create was sent for it: more than one only after Graph answered 429. */
  posts: number;
  code?: string;
  methodId?: string;
  startDateTime?: string;
  expiresAt?: string;
  /** Onboarding bulks: the device this person joins on. */
  device?: BulkDevice;
}

export interface BulkChunk {
  index: number;
  items: BulkItem[];
}

export interface BulkResult {
  issued: number;
  failed: number;
  unknown: number;
  notStarted: number;
  /** Catalog codes of failures with their counts, most frequent first. */
  failures: { code: string; count: number }[];
  finishedAt: string;
  /** Onboarding bulks: how many devices got their person and tag (passes or not). */
  devicesSet?: number;
  /** What became of the passes: only 'file' means someone holds them. */
  delivery: 'none' | 'waiting' | 'file' | 'declined' | 'upload-failed' | 'timed-out' | 'lost';
}

/** How many of a bulk's ready people its cards name. */
export const READY_PREVIEW = 25;

export interface BulkJob {
  id: string;
  state: BulkState;
  createdAt: string;
  expiresAt: string;
  requester: Person;
  timeZone: string;
  utcOffsetMinutes: number;
  /** The requester's 1:1 chat with TapDesk: the only place a bulk runs and delivers. */
  conversationId: string;
  cardActivityId?: string;
  source: { kind: 'command' } | { kind: 'csv'; fileName: string } | { kind: 'reissue'; of: string };
  /** An onboarding bulk: each ready row's device is set (user and group tag) before its pass. */
  onboarding?: boolean;
  total: number;
  counts: Record<Category, number>;
  /** Ready rows whose account is disabled: their pass works once the account is enabled. */
  disabledAccounts: number;
  /** The first problems, in row order, for the card. */
  problems: BulkProblem[];
  /**
   * Who will get a pass: the first READY_PREVIEW ready people as "Name (UPN)", in row order, so the
   * requester and a second admin see whom they confirm or approve (the rest are in the chunks).
   * Absent on bulks stored before it existed.
   */
  readyPreview?: string[];
  notes: string[];
  chunkCount: number;
  needsApproval: boolean;
  approval?: {
    approversConversationId: string;
    activityId?: string;
    decidedBy?: Person;
    decidedAt?: string;
    rejectReason?: string;
  };
  run?: { by: Person; startedAt: string; instance: string; heartbeatAt: string };
  result?: BulkResult;
  /** The bulk made by "Issue again" from this one; set once, so a second click issues nothing twice. */
  reissuedAs?: string;
}

export const FIRST_PROBLEMS_SHOWN = 10;
export const ITEMS_PER_CHUNK = 20;

export const emptyCounts = (): Record<Category, number> =>
  Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
