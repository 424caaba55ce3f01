import { problem } from '../errors/catalog.js';
import type { TapGraph } from '../graph/port.js';
import type { Person } from '../tap/request.js';
import type { BulkDeps } from './deps.js';
import type { BulkAsk, BulkItem, BulkJob } from './job.js';
import { requesterRow, stateText } from './run.js';
import { validateBulk, type ValidateOutcome } from './validate.js';
import type { DeviceGraph } from '../graph/device-port.js';

/**
 * Who "Issue again" covers: everyone whose pass nobody holds. That is every row not sent or with an
 * unknown outcome, plus the issued rows when their file never reached the clicker.
 */
export function reissueItems(job: BulkJob, items: readonly BulkItem[]): BulkItem[] {
  const delivered = job.result?.delivery === 'file' || job.result?.delivery === 'waiting';
  return items.filter(
    (i) =>
      i.state === 'unknown' ||
      i.state === 'posting' ||
      i.state === 'ready' ||
      i.state === 'skipped' ||
      (i.state === 'issued' && !delivered),
  );
}

export async function reissueCount(deps: BulkDeps, job: BulkJob): Promise<number> {
  if (job.reissuedAs || (job.state !== 'done' && job.state !== 'interrupted')) return 0;
  const chunks = await deps.bulk.chunks(job);
  return reissueItems(
    job,
    chunks.flatMap((c) => c.value.items),
  ).length;
}

/** Validates a new bulk for those people (the directory and policy are read again), for a new card. */
export async function reissueBulk(
  deps: BulkDeps,
  graph: TapGraph,
  id: string,
  clicker: Person,
  /** An onboarding bulk's device reads, asked for only when the bulk is one. */
  devices?: () => Promise<DeviceGraph>,
): Promise<ValidateOutcome> {
  const found = await requesterRow(deps, id, clicker);
  if (!found.ok) return { kind: 'problem', problem: found.problem };
  const { row } = found;
  const job = row.value;
  if (job.reissuedAs || (job.state !== 'done' && job.state !== 'interrupted'))
    return {
      kind: 'problem',
      problem: problem('BULK_STATE_CHANGED', {
        decision: job.reissuedAs ? 'already issued again' : stateText(job),
      }),
    };
  const items = reissueItems(
    job,
    (await deps.bulk.chunks(job)).flatMap((c) => c.value.items),
  );
  const asks: BulkAsk[] = items.map((i) => ({ ...i.ask, user: i.target.id }));
  // Claim "issue again" before validating, so two clicks cannot make two bulks for the same people.
  await deps.bulk.update(row, { ...job, reissuedAs: 'pending' });
  const outcome = await validateBulk(
    deps,
    graph,
    {
      requester: job.requester,
      timeZone: job.timeZone,
      utcOffsetMinutes: job.utcOffsetMinutes,
      conversationId: job.conversationId,
      source: { kind: 'reissue', of: job.id },
      asks,
      rowErrors: [],
      ...(job.onboarding ? { onboarding: true } : {}),
    },
    job.onboarding ? devices : undefined,
  );
  await deps.bulk.patch(id, (j) => ({
    ...j,
    ...(outcome.kind === 'ready' ? { reissuedAs: outcome.job.id } : { reissuedAs: undefined }),
  }));
  return outcome;
}
