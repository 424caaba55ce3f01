import { problem, type Problem } from '../errors/catalog.js';
import { problemForGraphFailure } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import type { TapGraph } from '../graph/port.js';
import { requestEvent } from '../tap/audit-events.js';
import { formatWhen } from '../tap/format.js';
import type { LimitHit } from '../tap/limits.js';
import type { Person } from '../tap/request.js';
import { issuerStrength } from '../tap/roles.js';
import { privilegedAmong } from './privileged.js';
import { looksLikeUserKey, sortRows, type BulkInput } from './sort-rows.js';

export type { BulkInput };
import type { BulkDeps } from './deps.js';
import { READY_PREVIEW, type BulkItem, type BulkJob } from './job.js';
import { lookupAll, type Found } from './lookups.js';
import { forEachConcurrent } from './throttle.js';
import type { DeviceGraph } from '../graph/device-port.js';
import { DEFAULT_ONBOARDING } from '../onboard/settings.js';
import { readOnboardFacts } from './onboard-devices.js';
import type { OnboardFacts } from './onboard-rows.js';

export type ValidateOutcome = { kind: 'problem'; problem: Problem } | { kind: 'ready'; job: BulkJob };

/** A typed command may use a short address ("alice@contoso"); a file must be exact. */
const PREFIX_LOOKUPS_MAX = 50;

/**
 * The validation pass: every row is resolved with $batch reads and sorted into ready or one problem
 * category; the ready ones are stored (in chunks) for the confirmation card. Nothing is issued here.
 */
export async function validateBulk(
  deps: BulkDeps,
  graph: TapGraph,
  input: BulkInput,
  /** An onboarding bulk's device reads, as the requester (DeviceManagementServiceConfig.Read.All). */
  devices?: () => Promise<DeviceGraph>,
): Promise<ValidateOutcome> {
  try {
    const [myRoles, policy] = await Promise.all([
      graph.getRoles('me', AbortSignal.timeout(5_000)),
      graph.getTapPolicy(AbortSignal.timeout(5_000)),
    ]);
    if (issuerStrength(myRoles) === 'none') return { kind: 'problem', problem: problem('TAP_ROLE_MISSING') };
    let onboarding: OnboardFacts | undefined;
    if (input.onboarding) {
      if (!devices) return { kind: 'problem', problem: problem('UNEXPECTED') };
      const serials = input.asks.flatMap((a) => (a.serial ? [a.serial] : []));
      const read = await readOnboardFacts(
        await devices(),
        serials,
        deps.onboarding ?? DEFAULT_ONBOARDING,
        deps.concurrency,
      );
      if (!read.ok) return { kind: 'problem', problem: read.problem };
      onboarding = read.facts;
    }
    const keys = [
      ...new Set(input.asks.filter((a) => looksLikeUserKey(a.user)).map((a) => a.user.toLowerCase())),
    ];
    const found = await lookupAll(graph, keys, deps.concurrency);
    if (input.source.kind === 'command') await resolveShortAddresses(graph, found, deps.concurrency);
    const people = [...found.values()].flatMap((f) => (f.user ? [{ id: f.user.id, roles: f.roles }] : []));
    const privileged = await privilegedAmong(people, deps.roleReader, deps.concurrency);
    const now = deps.clock.now();

    const sorted = sortRows(input, {
      found,
      privileged,
      policy,
      now,
      capMinutes: deps.maxLifetimeMinutes,
      onboarding,
    });
    const { counts, problems, notes, ready, refuse } = sorted;
    const limited = await overDailyLimit(deps, ready, now);
    for (const item of ready.filter((i) => limited.has(i.target.id)))
      refuse(
        item.ask,
        'limited',
        `${item.target.userPrincipalName} already had the most passes allowed today.`,
      );
    const issuable = ready.filter((i) => !limited.has(i.target.id));
    counts.ready = issuable.length;

    // The approval threshold holds per issuer over the last hour, not per bulk: splitting a wave
    // into small bulks (or passes issued one by one before it) does not avoid a second admin.
    const recent = await deps.limiter.issuedRecently(input.requester.oid, now);
    const needsApproval = issuable.length + recent > deps.approvalAbove;
    if (needsApproval && issuable.length <= deps.approvalAbove)
      notes.add(
        `You issued ${recent} pass${recent === 1 ? '' : 'es'} in the last hour; with these ${issuable.length} that is more than ${deps.approvalAbove}, so a second admin approves this bulk.`,
      );
    // An approved bulk is held to the tenant's hourly limit only: a second admin vouched for it.
    const allowance = await deps.limiter.remaining(input.requester.oid, now, { approved: needsApproval });
    if (issuable.length > allowance.count && allowance.hit)
      return {
        kind: 'problem',
        problem: overAllowance(issuable.length, allowance.count, allowance.hit, input.timeZone, now),
      };
    if (needsApproval && !deps.approversConversationId)
      return { kind: 'problem', problem: problem('BULK_NEEDS_APPROVERS', { max: deps.approvalAbove }) };

    const stored = await deps.bulk.add(
      {
        state: 'pending',
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + deps.requestTtlMinutes * 60_000).toISOString(),
        requester: input.requester,
        timeZone: input.timeZone,
        utcOffsetMinutes: input.utcOffsetMinutes,
        conversationId: input.conversationId,
        source: input.source,
        ...(input.onboarding ? { onboarding: true } : {}),
        total: sorted.total,
        counts,
        disabledAccounts: sorted.disabledAccounts,
        problems: problems.sort((a, b) => a.line - b.line),
        readyPreview: issuable
          .slice(0, READY_PREVIEW)
          .map(
            (i) =>
              `${i.target.displayName} (${i.target.userPrincipalName})` +
              (i.device ? ` on ${i.device.serialNumber}` : ''),
          ),
        notes: [...notes],
        needsApproval,
      },
      issuable,
    );
    await deps.audit.append(
      bulkEvent('bulk.created', stored.value, input.requester, countsText(stored.value)),
    );
    return { kind: 'ready', job: stored.value };
  } catch (error) {
    if (error instanceof GraphFailure)
      return { kind: 'problem', problem: problemForGraphFailure(error, { operation: 'read' }) };
    throw error;
  }
}

/** "alice@contoso" is not a UPN, but one user whose address starts with it is meant. */
async function resolveShortAddresses(graph: TapGraph, found: Map<string, Found>, concurrency: number) {
  const missing = [...found].filter(([key, f]) => f.user === null && key.includes('@')).map(([key]) => key);
  await forEachConcurrent(missing.slice(0, PREFIX_LOOKUPS_MAX), concurrency, async (key) => {
    const matches = await graph.findUsers(
      { by: 'upnOrMailPrefix', text: key },
      2,
      AbortSignal.timeout(5_000),
    );
    if (matches.length !== 1) return;
    const [again] = await graph.lookupUsers([matches[0]!.id], AbortSignal.timeout(5_000));
    if (again?.ok) found.set(key, { user: again.user, roles: again.roles });
  });
}

async function overDailyLimit(deps: BulkDeps, ready: BulkItem[], now: Date): Promise<Set<string>> {
  const limited = new Set<string>();
  await forEachConcurrent(ready, deps.concurrency * 2, async (item) => {
    if (await deps.limiter.checkTarget(item.target.id, now)) limited.add(item.target.id);
  });
  return limited;
}

/** The refusal for a bulk bigger than what the hourly windows still allow. */
export function overAllowance(
  count: number,
  left: number,
  hit: LimitHit,
  timeZone: string,
  now: Date,
): Problem {
  return problem('BULK_OVER_ALLOWANCE', {
    count,
    detail:
      hit.limit === 'tenant-hour'
        ? `the tenant's hourly limit (${hit.max})`
        : `your hourly limit (${hit.max})`,
    max: left,
    resetsAtText: formatWhen(hit.resetsAt, timeZone, now),
  });
}

/** One line of counts for the audit trail, e.g. "60 rows: 55 ready, 2 notFound, 3 invalid". */
export function countsText(job: BulkJob): string {
  const parts = Object.entries(job.counts)
    .filter(([, n]) => n > 0)
    .map(([category, n]) => `${n} ${category}`);
  return `${job.total} rows: ${parts.join(', ') || 'none'}`;
}

/** An audit event about a whole bulk: its id as the request id, no single target. */
export function bulkEvent(
  type: Parameters<typeof requestEvent>[0],
  job: BulkJob,
  actor: Person,
  reason?: string,
) {
  return {
    type,
    requestId: job.id,
    actor: { oid: actor.oid, name: actor.name },
    target: null,
    ...(reason ? { reason } : {}),
  };
}
