import { problem } from '../errors/catalog.js';
import type { DirectoryUser, TapPolicy } from '../graph/port.js';
import { barrierFor, type Barrier } from '../tap/eligibility.js';
import type { Person } from '../tap/request.js';
import {
  emptyCounts,
  type BulkJob,
  FIRST_PROBLEMS_SHOWN,
  type BulkAsk,
  type BulkItem,
  type BulkProblem,
  type Category,
} from './job.js';
import type { Found } from './lookups.js';
import { planBulkRow } from './plan.js';
import { checkRowDevice, planBulkOnboardRow, type OnboardFacts } from './onboard-rows.js';

/** What a bulk is asked for: the rows (typed or from a CSV) and who asks, from where. */
export interface BulkInput {
  requester: Person;
  timeZone: string;
  utcOffsetMinutes: number;
  conversationId: string;
  source: BulkJob['source'];
  asks: BulkAsk[];
  /** An onboarding bulk (a CSV with a serial column): every row also names a device. */
  onboarding?: boolean;
  /** Rows the CSV reader already refused. */
  rowErrors: { line: number; user: string; message: string }[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A sign-in address or an object id: the only things a bulk row may name. */
export const looksLikeUserKey = (text: string) => GUID.test(text) || /^[^@\s]+@[^@\s]+$/.test(text);

/** The bulk card's counts: which problem category each barrier falls in. */
const BARRIER_CATEGORY: Record<Barrier, Exclude<Category, 'ready'>> = {
  TAP_USER_NOT_FOUND: 'notFound',
  TAP_SELF: 'invalid',
  TAP_GUEST: 'guest',
  TAP_TARGET_PRIVILEGED: 'privileged',
};

const targetOf = (u: DirectoryUser) => ({
  id: u.id,
  userPrincipalName: u.userPrincipalName,
  displayName: u.displayName,
});

type Refuse = (
  ask: { line: number; user: string },
  category: Exclude<Category, 'ready'>,
  message: string,
) => void;

/** What the rows came to: counts per category, the first problems, the ready rows and their notes. */
export interface SortedRows {
  total: number;
  counts: ReturnType<typeof emptyCounts>;
  problems: BulkProblem[];
  notes: Set<string>;
  ready: BulkItem[];
  disabledAccounts: number;
  /** Counts one more refused row (later checks, such as the daily limit, refuse ready rows too). */
  refuse: Refuse;
}

/**
 * Sorts every row, in file order, into ready or exactly one problem: unreadable, not an address,
 * a duplicate, a barrier of the eligibility rules (the same as a single pass), or outside policy.
 */
export function sortRows(
  input: BulkInput,
  facts: {
    found: Map<string, Found>;
    privileged: Map<string, string>;
    policy: TapPolicy | null;
    now: Date;
    capMinutes: number;
    /** Set for an onboarding bulk: every row also names a device, checked here. */
    onboarding?: OnboardFacts;
  },
): SortedRows {
  const { found, privileged, policy, now, capMinutes, onboarding } = facts;
  const seenSerials = new Set<string>();
  const counts = emptyCounts();
  const problems: BulkProblem[] = [];
  const notes = new Set<string>();
  const ready: BulkItem[] = [];
  const seen = new Set<string>();
  let disabledAccounts = 0;
  const refuse: Refuse = (ask, category, message) => {
    counts[category] += 1;
    if (problems.length < FIRST_PROBLEMS_SHOWN)
      problems.push({ line: ask.line, user: ask.user, category, message });
  };
  const rows = [
    ...input.asks.map((ask) => ({ ask, error: undefined as string | undefined })),
    ...input.rowErrors.map((e) => ({ ask: { line: e.line, user: e.user }, error: e.message })),
  ].sort((a, b) => a.ask.line - b.ask.line);

  for (const { ask, error } of rows) {
    if (error !== undefined) {
      refuse(ask, 'invalid', error);
      continue;
    }
    if (!looksLikeUserKey(ask.user)) {
      refuse(ask, 'invalid', 'Not a sign-in address or object id; use the address, e.g. alice@contoso.com.');
      continue;
    }
    // One device, one person: a serial's second line is refused whatever else it says.
    const serial = onboarding ? (ask as BulkAsk).serial?.toUpperCase() : undefined;
    if (serial !== undefined && seenSerials.has(serial)) {
      refuse(ask, 'duplicate', `The device ${serial} is already in the list.`);
      continue;
    }
    if (serial !== undefined) seenSerials.add(serial);
    const user = found.get(ask.user.toLowerCase())?.user;
    if (user && seen.has(user.id)) {
      refuse(ask, 'duplicate', `${user.userPrincipalName} is already in the list.`);
      continue;
    }
    if (user) seen.add(user.id);
    // The same rules as a single pass, worded by the catalog.
    const barrier = barrierFor(user, input.requester.oid, !!user && privileged.has(user.id), 'direct');
    if (barrier) {
      const detail = user ? privileged.get(user.id) : undefined;
      refuse(ask, BARRIER_CATEGORY[barrier], problem(barrier).title + (detail ? ` (${detail})` : ''));
      continue;
    }
    if (!user) continue;
    const checked = onboarding ? checkRowDevice(ask as BulkAsk, user, onboarding) : undefined;
    if (checked && !checked.ok) {
      refuse(ask, checked.category, checked.message);
      continue;
    }
    const planned = onboarding
      ? planBulkOnboardRow(
          ask as BulkAsk,
          policy,
          now,
          input.utcOffsetMinutes,
          capMinutes,
          onboarding.setupMinutes,
        )
      : planBulkRow(ask as BulkAsk, policy, now, input.utcOffsetMinutes, capMinutes);
    if (!planned.ok) {
      refuse(ask, 'outsidePolicy', planned.message);
      continue;
    }
    planned.notes.forEach((n) => notes.add(n));
    if (user.accountEnabled === false) disabledAccounts += 1;
    ready.push({
      ask: ask as BulkAsk,
      target: targetOf(user),
      plan: planned.plan,
      state: 'ready',
      posts: 0,
      ...(checked?.ok ? { device: checked.device } : {}),
    });
  }
  return { total: rows.length, counts, problems, notes, ready, disabledAccounts, refuse };
}
