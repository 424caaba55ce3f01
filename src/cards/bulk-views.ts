// Bulk job → card data, for the requester's 1:1 chat and for the approvers' conversation.
import { renderBulkCard, type BulkCardData } from './bulk.js';
import type { AdaptiveCardJson } from './render.js';
import { CATEGORIES, CATEGORY_LABELS, type BulkJob } from '../bulk/job.js';
import type { BulkProgress } from '../bulk/run.js';
import { formatWhen } from '../tap/format.js';

const PRIVACY =
  'The passes come back only to you, as a CSV file offered in this chat once; TapDesk keeps them in memory for at most 15 minutes and never stores or logs them.';

function sourceText(job: BulkJob): string {
  if (job.source.kind === 'csv') return `CSV file ${job.source.fileName}`;
  if (job.source.kind === 'reissue') return 'Issue again, from an earlier bulk';
  return 'Typed command';
}

function countFacts(job: BulkJob): { title: string; value: string }[] {
  const facts = [
    { title: 'Source', value: sourceText(job) },
    { title: 'Rows', value: String(job.total) },
  ];
  for (const category of CATEGORIES)
    if (category === 'ready' || job.counts[category] > 0)
      facts.push({ title: CATEGORY_LABELS[category], value: String(job.counts[category]) });
  if (job.disabledAccounts > 0)
    facts.push({ title: 'Disabled accounts (pass works once enabled)', value: String(job.disabledAccounts) });
  return facts;
}

function problemLines(job: BulkJob): { heading: string; lines: string[] } {
  const total = job.total - job.counts.ready;
  const where = job.source.kind === 'csv' ? 'Line' : '#';
  return {
    heading: total > job.problems.length ? `First ${job.problems.length} of ${total} problems` : 'Problems',
    lines: job.problems.map(
      (p) => `${where} ${p.line}: ${p.user || '(empty)'}. ${CATEGORY_LABELS[p.category]}: ${p.message}`,
    ),
  };
}

function peopleLines(job: BulkJob): { heading: string; lines: string[] } {
  const names = job.readyPreview ?? [];
  const ready = job.counts.ready;
  return {
    heading: ready > names.length ? `Who: the first ${names.length} of ${ready}` : 'Who',
    lines: names,
  };
}

const base = (job: BulkJob, heading: string, status: string, tone: BulkCardData['tone']): BulkCardData => {
  const problems = problemLines(job);
  const people = peopleLines(job);
  return {
    bulkId: job.id,
    heading,
    status,
    tone,
    facts: countFacts(job),
    peopleHeading: people.heading,
    people: people.lines,
    problemsHeading: problems.heading,
    problems: problems.lines,
    notes: job.notes,
    footer: PRIVACY,
    buttons: {},
  };
};

/** The card in the requester's 1:1 chat, for every state; `progress` while issuing. */
export function bulkCard(
  job: BulkJob,
  now: Date,
  extra: { progress?: BulkProgress; reissue?: number; above?: number } = {},
): AdaptiveCardJson {
  const ready = job.counts.ready;
  const until = formatWhen(new Date(job.expiresAt), job.timeZone, now);
  const heading = job.onboarding
    ? `Bulk onboarding: ${ready} ${ready === 1 ? 'person' : 'people'}, each a device and a Temporary Access Pass`
    : `Bulk: ${ready} Temporary Access ${ready === 1 ? 'Pass' : 'Passes'}`;
  const card = base(job, heading, '', 'neutral');
  switch (job.state) {
    case 'pending':
      if (ready === 0) {
        card.status = 'Nobody in this list can get a pass; nothing will be issued.';
        card.tone = 'error';
        card.buttons = { cancel: true };
      } else if (job.needsApproval) {
        card.status = `${ready} ready. Bulks of more than ${extra.above ?? 25} passes need a second admin's approval first. Valid until ${until}.`;
        card.tone = 'warning';
        card.buttons = { ask: true, cancel: true };
      } else {
        card.status = `${ready} ready. Confirm issues only those, on your behalf. Valid until ${until}.`;
        card.buttons = { issue: `Issue ${ready} ${ready === 1 ? 'pass' : 'passes'}`, cancel: true };
      }
      break;
    case 'awaiting':
      card.status = `Waiting for a second admin to approve in the approvers' conversation (until ${until}).`;
      card.tone = 'accent';
      card.buttons = { cancel: true };
      break;
    case 'approved':
      card.status = `Approved by ${job.approval?.decidedBy?.name ?? 'a second admin'}. Issue them when you are ready (until ${until}).`;
      card.tone = 'good';
      card.buttons = { issue: `Issue ${ready} ${ready === 1 ? 'pass' : 'passes'}`, cancel: true };
      break;
    case 'rejected':
      card.status = `Rejected by ${job.approval?.decidedBy?.name ?? 'an approver'}: ${job.approval?.rejectReason ?? ''}. Nothing was issued.`;
      card.tone = 'error';
      break;
    case 'cancelled':
      card.status = 'Cancelled. Nothing was issued.';
      break;
    case 'expired':
      card.status = 'Expired before anyone confirmed it. Nothing was issued; send the list again.';
      card.tone = 'warning';
      break;
    case 'issuing': {
      const p = extra.progress ?? { total: ready, issued: 0, failed: 0, unknown: 0 };
      const done = p.issued + p.failed + p.unknown;
      card.status = `Issuing: ${done} of ${p.total} done.`;
      card.tone = 'accent';
      card.facts = [
        { title: 'Issued', value: String(p.issued) },
        { title: 'Failed', value: String(p.failed) },
        { title: 'Unknown', value: String(p.unknown) },
        { title: 'Remaining', value: String(Math.max(0, p.total - done)) },
      ];
      card.problems = [];
      card.people = [];
      break;
    }
    case 'done':
    case 'interrupted':
      summarise(job, card, extra.reissue ?? 0);
      break;
  }
  return renderBulkCard(card);
}

const DELIVERY_TEXT: Readonly<Record<string, string>> = {
  none: 'No pass was created.',
  waiting: 'Accept the file offered below to download the passes. Only you can.',
  file: 'The passes were delivered to you as a file. TapDesk no longer has them.',
  declined: 'You declined the file, so the passes were dropped: nobody can read them now.',
  'upload-failed': 'The file could not be delivered, so the passes were dropped: nobody can read them now.',
  'timed-out':
    'The file was not accepted within 15 minutes, so the passes were dropped: nobody can read them now.',
  lost: 'TapDesk restarted while issuing, and the passes created so far were lost with it: nobody can read them.',
};

function summarise(job: BulkJob, card: BulkCardData, reissue: number): void {
  const r = job.result!;
  const interrupted = job.state === 'interrupted';
  card.status = `${interrupted ? 'Interrupted' : 'Finished'}: ${r.issued} issued, ${r.failed} failed, ${r.unknown} unknown, ${r.notStarted} not started. ${DELIVERY_TEXT[r.delivery] ?? ''}`;
  card.tone = interrupted || r.failed + r.unknown > 0 ? 'warning' : 'good';
  card.facts = [
    { title: 'Issued', value: String(r.issued) },
    { title: 'Failed', value: String(r.failed) },
    { title: 'Unknown: check with list', value: String(r.unknown) },
    { title: 'Not started', value: String(r.notStarted) },
    ...(r.devicesSet !== undefined ? [{ title: 'Devices set', value: String(r.devicesSet) }] : []),
  ];
  card.people = [];
  card.problemsHeading = 'Failures';
  card.problems = r.failures.map((f) => `${f.count} × ${f.code}`);
  card.notes =
    r.unknown > 0
      ? [
          'Graph did not confirm some creates; TapDesk never re-sends them. Use `list TAP for` _person_ before issuing again.',
        ]
      : [];
  if (reissue > 0) card.buttons = { reissue: `Issue again for ${reissue}` };
}

/** The card in the approvers' conversation. */
export function bulkApprovalCard(job: BulkJob, now: Date): AdaptiveCardJson {
  const what = job.onboarding
    ? `onboarding of ${job.counts.ready} people (device and pass each)`
    : `${job.counts.ready} passes`;
  const card = base(job, `Bulk approval: ${what} for ${job.requester.name}`, '', 'accent');
  card.facts = [{ title: 'Requested by', value: job.requester.name }, ...card.facts];
  card.footer =
    'Approving lets the requester issue these passes with their own role; only they receive the passes. Privileged users are never part of a bulk.';
  if (job.state === 'awaiting') {
    card.status = `Waiting for a decision until ${formatWhen(new Date(job.expiresAt), job.timeZone, now)}.`;
    card.buttons = { approve: true, reject: true };
  } else if (job.state === 'approved' || job.approval?.decidedBy) {
    const by = job.approval?.decidedBy?.name ?? 'an approver';
    card.status =
      job.approval?.rejectReason !== undefined
        ? `Rejected by ${by}: ${job.approval.rejectReason}`
        : `Approved by ${by}. ${job.state === 'approved' ? 'Waiting for the requester to issue them.' : `Now ${job.state}.`}`;
    card.tone = job.approval?.rejectReason !== undefined ? 'error' : 'good';
  } else {
    card.status = `No longer waiting: ${job.state}.`;
    card.tone = 'neutral';
  }
  return renderBulkCard(card);
}
