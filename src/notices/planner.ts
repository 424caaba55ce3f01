import { VERIFICATION_METHODS } from '../cards/actions.js';
import {
  renderAccountNoticeCard,
  renderExpiredNoticeCard,
  renderExpiringNoticeCard,
  renderIssuedNoticeCard,
  renderRevokedNoticeCard,
  renderReportsNoticeCard,
  renderClosedCard,
} from '../cards/render.js';
import { renderEnrolledNoticeCard } from '../cards/notices.js';
import type { BulkJob, BulkTarget } from '../bulk/job.js';
import type { ManagedReports } from '../bulk/managers.js';
import type { Clock } from '../clock.js';
import type { NewNotice, NoticeQueue } from './queue.js';
import type { UnitOfWork } from '../store/unit.js';
import { formatWhen } from '../tap/format.js';
import { issuerOf, type Person, type TapRequest } from '../tap/request.js';

/** What the notices about an enrolled device say, and to whom. */
export interface EnrolledFacts {
  requestId: string;
  /** Whether the issuer's notice offers Revoke (a stored single request it can name). */
  revocable: boolean;
  issuer: Person;
  manager: { id: string; displayName: string } | null;
  targetName: string;
  serialNumber: string;
  expiresAt: string | undefined;
  timeZone: string;
}

/**
 * Decides which notices an event owes and when, renders their cards (never a pass) and queues them.
 * Times on the cards are in the issuer's zone, the only one TapDesk knows for certain.
 */
export class NoticePlanner {
  constructor(
    private readonly queue: NoticeQueue,
    private readonly clock: Clock,
    private readonly expiringLeadMinutes: number,
    private readonly onError: (what: string, error: unknown) => void,
  ) {}

  /**
   * After a pass was issued: the issuer (now, before expiry, at expiry), the target and their manager
   * (now). With a unit, the notices are added to it (committed with the outcome) instead of stored now.
   */
  async issued(request: TapRequest, unit?: UnitOfWork): Promise<void> {
    const now = this.clock.now();
    const target = request.target!;
    const outcome = request.outcome!;
    const expiresAt = new Date(outcome.expiresAt!);
    const when = (d: Date) => formatWhen(d, request.timeZone, now);
    // On an approval request the approver issued the pass with their role: reminders and Revoke are theirs.
    const issuedBy = issuerOf(request);
    const issuer = { kind: 'personal' as const, userOid: issuedBy.oid, name: issuedBy.name };
    const verificationTitle =
      VERIFICATION_METHODS.find((m) => m.value === request.verification)?.title ?? 'not recorded';
    const account = (forWhom: string) =>
      renderAccountNoticeCard({
        forWhom,
        issuerName: issuedBy.name,
        atText: when(now),
        verificationTitle,
      });
    const notices: NewNotice[] = [
      {
        kind: 'issued.issuer',
        dueAt: now.toISOString(),
        recipient: issuer,
        requestId: request.id,
        card: renderIssuedNoticeCard({
          requestId: request.id,
          targetName: target.displayName,
          targetUpn: target.userPrincipalName,
          expiresText: when(expiresAt),
          usableOnce: outcome.isUsableOnce ?? false,
        }),
      },
      {
        kind: 'issued.target',
        dueAt: now.toISOString(),
        recipient: { kind: 'personal', userOid: target.id, name: target.displayName },
        requestId: request.id,
        card: account('you'),
      },
    ];
    if (request.manager) {
      notices.push({
        kind: 'issued.manager',
        dueAt: now.toISOString(),
        recipient: { kind: 'personal', userOid: request.manager.id, name: request.manager.displayName },
        requestId: request.id,
        card: account(target.displayName),
      });
    }
    const lead = new Date(expiresAt.getTime() - this.expiringLeadMinutes * 60_000);
    if (lead.getTime() > now.getTime()) {
      notices.push({
        kind: 'expiring.issuer',
        dueAt: lead.toISOString(),
        recipient: issuer,
        requestId: request.id,
        card: renderExpiringNoticeCard({
          requestId: request.id,
          targetName: target.displayName,
          expiresText: when(expiresAt),
          minutesLeft: this.expiringLeadMinutes,
        }),
      });
    }
    notices.push({
      kind: 'expired.issuer',
      dueAt: expiresAt.toISOString(),
      recipient: issuer,
      requestId: request.id,
      // Proactively TapDesk has no delegated token, so it reports from its own record, and says so.
      card: renderExpiredNoticeCard({
        requestId: request.id,
        targetName: target.displayName,
        expiredText: when(expiresAt),
        statusText: "from TapDesk's record: it may have been used, revoked or replaced since",
      }),
    });
    await this.scheduleAll(notices, unit);
  }

  /**
   * When an approval request is posted: at its expiry TapDesk closes it (if still undecided), updates
   * its cards and tells the requester in the conversation they asked from.
   */
  async approvalPosted(request: TapRequest): Promise<void> {
    const until = formatWhen(new Date(request.expiresAt), request.timeZone, this.clock.now());
    // Another system has no chat: the deadline rides on the approvers' conversation, where the closer
    // updates the card and, for such a request, sends nothing (teams/approval-actions.ts).
    const about = request.source
      ? { ...request, conversationId: request.approval!.approversConversationId }
      : request;
    await this.deadline('approval.expired', about, {
      // An API request is posted before anyone has read its person: it names them as asked.
      title: `Your request for ${request.target?.displayName ?? request.query} expired`,
      message: `No approver decided before ${until}, so nothing was issued. Ask again if the pass is still needed.`,
    });
  }

  /**
   * When a bulk starts waiting (for approvers, or after approval for its requester's Issue click): at
   * its deadline TapDesk closes it, updates its cards and tells the requester in their 1:1 chat.
   */
  async bulkWaiting(job: BulkJob): Promise<void> {
    const until = formatWhen(new Date(job.expiresAt), job.timeZone, this.clock.now());
    const passes = `${job.counts.ready} ${job.counts.ready === 1 ? 'pass' : 'passes'}`;
    const why =
      job.state === 'approved'
        ? `${job.approval?.decidedBy?.name ?? 'An approver'} approved it, but it was not issued before ${until}`
        : `No approver decided before ${until}`;
    await this.deadline('bulk.expired', job, {
      title: `Your bulk of ${passes} expired`,
      message: `${why}, so nothing was issued. Send the list again if the passes are still needed.`,
    });
  }

  /** A closed card for the requester at something's expiry; the sender's hook decides if it is still owed. */
  private async deadline(
    kind: 'approval.expired' | 'bulk.expired',
    about: { id: string; expiresAt: string; conversationId: string },
    text: { title: string; message: string },
  ): Promise<void> {
    await this.scheduleAll([
      {
        kind,
        dueAt: about.expiresAt,
        recipient: { kind: 'conversation', conversationId: about.conversationId },
        requestId: about.id,
        card: renderClosedCard({ ...text, tone: 'neutral' }),
      },
    ]);
  }

  /**
   * After a bulk created passes: each person who got one hears who issued it, as after a single issue,
   * and each manager hears once about all of their reports in it. Only people TapDesk has a 1:1 chat
   * with are given: new hires have none, and queueing notices nobody can receive would only fill the
   * audit trail with "unreachable".
   */
  async bulkIssued(
    job: BulkJob,
    issuer: Person,
    reachable: { targets: readonly BulkTarget[]; managers: readonly ManagedReports[] },
  ): Promise<void> {
    const now = this.clock.now();
    const atText = formatWhen(now, job.timeZone, now);
    const account = (forWhom: string) =>
      renderAccountNoticeCard({
        forWhom,
        issuerName: issuer.name,
        atText,
        verificationTitle: 'not recorded (bulk issuance)',
      });
    const personal = (id: string, name: string) => ({ kind: 'personal' as const, userOid: id, name });
    const toTargets: NewNotice[] = reachable.targets.map((target) => ({
      kind: 'issued.target',
      dueAt: now.toISOString(),
      recipient: personal(target.id, target.displayName),
      requestId: job.id,
      card: account('you'),
    }));
    const toManagers: NewNotice[] = reachable.managers.map(({ manager, reports }) => ({
      kind: 'issued.manager',
      dueAt: now.toISOString(),
      recipient: personal(manager.id, manager.displayName),
      requestId: job.id,
      card:
        reports.length === 1
          ? account(reports[0]!.displayName)
          : renderReportsNoticeCard({
              reportNames: reports.map((r) => r.displayName),
              issuerName: issuer.name,
              atText,
            }),
    }));
    await this.scheduleAll([...toTargets, ...toManagers]);
  }

  /** After a pass was revoked: whoever issued it (when TapDesk knows) and the target; with a unit, into it. */
  async revoked(
    request: TapRequest,
    revoker: Person,
    issuer: Person | null,
    unit?: UnitOfWork,
  ): Promise<void> {
    const now = this.clock.now();
    const target = request.target!;
    const atText = formatWhen(now, request.timeZone, now);
    const notices: NewNotice[] = [
      {
        kind: 'revoked.target',
        dueAt: now.toISOString(),
        recipient: { kind: 'personal', userOid: target.id, name: target.displayName },
        requestId: request.id,
        card: renderRevokedNoticeCard({
          forWhom: 'you',
          revokerName: revoker.name,
          targetName: target.displayName,
          atText,
        }),
      },
    ];
    if (issuer) {
      notices.push({
        kind: 'revoked.issuer',
        dueAt: now.toISOString(),
        recipient: { kind: 'personal', userOid: issuer.oid, name: issuer.name },
        requestId: request.id,
        card: renderRevokedNoticeCard({
          forWhom: target.displayName,
          revokerName: revoker.name,
          targetName: target.displayName,
          atText,
        }),
      });
    }
    await this.scheduleAll(notices, unit);
  }

  /** An onboarded device enrolled: its issuer (with Revoke, the pass is no longer needed) and the manager. */
  enrolled(request: TapRequest, enrolledAt: Date, unit: UnitOfWork): void {
    this.enrolledFor(
      {
        requestId: request.id,
        revocable: true,
        issuer: issuerOf(request),
        manager: request.manager ?? null,
        targetName: request.target!.displayName,
        serialNumber: request.onboarding?.device.serialNumber ?? '',
        expiresAt: request.outcome?.expiresAt,
        timeZone: request.timeZone,
      },
      enrolledAt,
      unit,
    );
  }

  /** The same notices from plain facts (a bulk onboarding's row has no request of its own). */
  enrolledFor(facts: EnrolledFacts, enrolledAt: Date, unit: UnitOfWork): void {
    const now = this.clock.now();
    const common = {
      requestId: facts.requestId,
      targetName: facts.targetName,
      serialNumber: facts.serialNumber,
      atText: formatWhen(enrolledAt, facts.timeZone, now),
      passExpiresText: facts.expiresAt
        ? formatWhen(new Date(facts.expiresAt), facts.timeZone, now)
        : 'unknown',
    };
    const notices: NewNotice[] = [
      {
        kind: 'enrolled.issuer',
        dueAt: now.toISOString(),
        recipient: { kind: 'personal', userOid: facts.issuer.oid, name: facts.issuer.name },
        requestId: facts.requestId,
        card: renderEnrolledNoticeCard({ ...common, forIssuer: true, revocable: facts.revocable }),
      },
    ];
    if (facts.manager)
      notices.push({
        kind: 'enrolled.manager',
        dueAt: now.toISOString(),
        recipient: { kind: 'personal', userOid: facts.manager.id, name: facts.manager.displayName },
        requestId: facts.requestId,
        card: renderEnrolledNoticeCard({ ...common, forIssuer: false }),
      });
    for (const n of notices) this.queue.scheduleIn(unit, n);
  }

  // Notices must never cost the admin the answer to their click: a failure here is logged, not thrown.
  private async scheduleAll(notices: NewNotice[], unit?: UnitOfWork): Promise<void> {
    if (unit) {
      for (const n of notices) this.queue.scheduleIn(unit, n);
      return;
    }
    await Promise.all(
      notices.map((n) =>
        this.queue.schedule(n).catch((error: unknown) => this.onError(`notice.schedule.${n.kind}`, error)),
      ),
    );
  }
}
