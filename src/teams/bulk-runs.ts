import type { Activity } from 'botbuilder';
import type { BulkDeps } from '../bulk/deps.js';
import { HeldPasses } from '../bulk/held-passes.js';
import type { BulkItem, BulkJob } from '../bulk/job.js';
import { managersOf, type ManagedReports } from '../bulk/managers.js';
import { recoverInterrupted } from '../bulk/recover.js';
import { reissueCount } from '../bulk/reissue.js';
import { passesCsv, type PassRow } from '../bulk/results.js';
import { runBulk, type BulkProgress } from '../bulk/run.js';
import { forEachConcurrent } from '../bulk/throttle.js';
import { bulkEvent } from '../bulk/validate.js';
import type { TapGraph } from '../graph/port.js';
import type { Logger } from '../log.js';
import type { StoredRow } from '../store/port.js';
import { auditAfterTheFact } from '../tap/audit-events.js';
import { bulkCard } from '../cards/bulk-views.js';
import type { ConversationReferences } from './conversations.js';
import type { NoticePlanner } from '../notices/planner.js';
import type { ProactiveCards } from './proactive-cards.js';
import { chatText } from '../text/plain.js';
import type { DeviceWriteGraph } from '../graph/device-port.js';
import { onboardingRows } from '../bulk/onboard-results.js';
import { watchBulkDevices } from '../onboard/bulk-watches.js';
import type { EnrollmentWatches } from '../onboard/watch-store.js';
import type { Person } from '../tap/request.js';

/** Teams asks to see a card change no more often than this while a bulk runs. */
const PROGRESS_EVERY_MS = 2_000;
const HOLD_MS = 15 * 60_000;
export const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';

export interface BulkRunsOptions {
  bulk: BulkDeps;
  cards: ProactiveCards;
  log: Logger;
  /** Who got a pass hears about it, when TapDesk can reach them. */
  notices: NoticePlanner;
  conversations: ConversationReferences;
  /** Onboarding bulks: the follow-through's to-do list, and how soon it first looks (minutes). */
  enrollment?: { watches: EnrollmentWatches; checkMinutes: number };
}

/** Store reads in flight while finding which of a bulk's people TapDesk has a 1:1 chat with. */
const REACHABLE_LOOKUPS = 8;

/**
 * Bulk runs in the background of this instance: the click that starts one is answered at once, the
 * card then shows progress (at most every 2 s), and at the end the passes wait in memory for the
 * clicker to accept the file consent card. Also sweeps up bulks whose instance died.
 */
export class BulkRuns {
  readonly held: HeldPasses;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly o: BulkRunsOptions) {
    // A timer fires this with nobody to await it: a store error is reported, never left unhandled.
    this.held = new HeldPasses(HOLD_MS, (id) => {
      this.undelivered(id, 'timed-out').catch((error: unknown) =>
        this.o.bulk.onBackgroundError('bulk.hold_timeout', error),
      );
    });
  }

  /** `devices` only for an onboarding bulk: the clicker's device writes, asked for at their click. */
  start(graph: TapGraph, claimed: StoredRow<BulkJob>, devices?: DeviceWriteGraph): void {
    const run = this.run(graph, claimed, devices).catch((error: unknown) =>
      this.o.bulk.onBackgroundError('bulk.run', error),
    );
    this.running.add(run);
    // `run` never rejects (caught above); the catch only keeps the linter's promise bookkeeping honest.
    run
      .finally(() => this.running.delete(run))
      .catch((error: unknown) => this.o.bulk.onBackgroundError('bulk.run', error));
  }

  /** Resolves when every bulk this instance is running has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async run(graph: TapGraph, claimed: StoredRow<BulkJob>, devices?: DeviceWriteGraph): Promise<void> {
    const started = performance.now();
    let last = 0;
    let updating: Promise<void> | undefined;
    const onProgress = (progress: BulkProgress) => {
      const now = performance.now();
      if (updating || now - last < PROGRESS_EVERY_MS) return;
      last = now;
      updating = this.showCard({ ...claimed.value }, { progress }).finally(() => (updating = undefined));
    };
    const passes: PassRow[] = [];
    const done = await runBulk(this.o.bulk, graph, claimed, passes, onProgress, devices);
    await updating;
    const r = done.result!;
    this.o.log.info(
      {
        event: 'bulk.finished',
        bulkId: done.id,
        issued: r.issued,
        failed: r.failed,
        unknown: r.unknown,
        notStarted: r.notStarted,
        ms: Math.round(performance.now() - started),
      },
      'bulk.finished',
    );
    if (done.onboarding && r.delivery === 'waiting') await this.offerOnboardingFile(done, passes);
    else if (passes.length > 0) await this.offerFile(done, passes);
    else await this.showCard(done);
    // After the issuer has their file: reading managers and who is reachable must not delay it.
    await this.tellTargets(done, graph);
  }

  /**
   * Everyone a bulk created a pass for (delivered or lost) has one on their account: those TapDesk
   * can reach are told who issued it, and so are their managers (read with the issuer's token while
   * there is one: not after a restart). Never costs the issuer their results.
   */
  private async tellTargets(job: BulkJob, graph?: TapGraph): Promise<void> {
    try {
      const items = (await this.o.bulk.bulk.chunks(job)).flatMap((c) => c.value.items);
      const issued = items.filter((i) => i.state === 'issued').map((i) => i.target);
      const issuer = job.run?.by ?? job.requester;
      const found = graph
        ? await managersOf(graph, issued, this.o.bulk.concurrency)
        : { byManager: [], unread: 0 };
      if (found.unread > 0)
        this.o.log.warn(
          { event: 'bulk.managers_unread', bulkId: job.id, unread: found.unread },
          'bulk.managers_unread',
        );
      await this.watchDevices(job, items, issuer, found.byManager);
      // The issuer knows what they issued; telling them as a manager too would be noise.
      const managers = found.byManager.filter((m) => m.manager.id !== issuer.oid);
      await this.o.notices.bulkIssued(job, issuer, {
        targets: await this.reachable(issued, (t) => t.id),
        managers: await this.reachable(managers, (m) => m.manager.id),
      });
    } catch (error) {
      this.o.bulk.onBackgroundError('bulk.target_notices', error);
    }
  }

  /** An onboarding bulk's devices join the follow-through; a failure here costs no one their results. */
  private async watchDevices(
    job: BulkJob,
    items: BulkItem[],
    issuer: Person,
    managers: ManagedReports[],
  ): Promise<void> {
    const enrollment = this.o.enrollment;
    if (!enrollment || !job.onboarding) return;
    const first = new Date(this.o.bulk.clock.now().getTime() + enrollment.checkMinutes * 60_000);
    await watchBulkDevices(enrollment.watches, job, items, issuer, managers, first).catch((error: unknown) =>
      this.o.bulk.onBackgroundError('bulk.enrollment_watch', error),
    );
  }

  /** Those of `people` TapDesk has a 1:1 chat with. */
  private async reachable<T>(people: readonly T[], oidOf: (person: T) => string): Promise<T[]> {
    const known = new Set<T>();
    await forEachConcurrent(people, REACHABLE_LOOKUPS, async (person) => {
      if (await this.o.conversations.find('personal', oidOf(person))) known.add(person);
    });
    return people.filter((person) => known.has(person));
  }

  /** An onboarding bulk's file: a line per person with their device, pass and both outcomes. */
  private async offerOnboardingFile(job: BulkJob, passes: PassRow[]): Promise<void> {
    let items;
    try {
      items = (await this.o.bulk.bulk.chunks(job)).flatMap((c) => c.value.items);
    } catch (error) {
      // Without the rows' outcomes the passes still reach their issuer, in a pass bulk's file.
      this.o.bulk.onBackgroundError('bulk.onboarding_rows', error);
      if (passes.length > 0) return this.offerFile(job, passes);
      await this.undelivered(job.id, 'upload-failed');
      return;
    }
    const rows = onboardingRows(items, passes);
    passes.length = 0;
    const set = items.filter((i) => i.device?.part === 'updated').length;
    const count = rows.filter((r) => r.pass !== '').length;
    await this.offerFile(job, rows, {
      text: chatText`Onboarding done: ${set} ${set === 1 ? 'device' : 'devices'} set, ${count} Temporary Access ${count === 1 ? 'Pass' : 'Passes'} created. Accept the file for each person's device and pass; it is offered only to you, once, for 15 minutes.`,
      name: fileName(job, rows.length, 'onboarding'),
      count,
    });
  }

  /** Holds the passes and offers them as a file in the clicker's 1:1 chat (the bulk's conversation). */
  private async offerFile(
    job: BulkJob,
    passes: PassRow[],
    onboarding?: { text: string; name: string; count: number },
  ): Promise<void> {
    this.held.hold(job.id, job.run!.by.oid, passes);
    const size = Buffer.byteLength(passesCsv(passes), 'utf8');
    const count = onboarding?.count ?? passes.length;
    const activity: Partial<Activity> = {
      type: 'message',
      text:
        onboarding?.text ??
        chatText`${passes.length} Temporary Access ${passes.length === 1 ? 'Pass is' : 'Passes are'} ready. Accept the file to download them; it is offered only to you, once, for 15 minutes.`,
      attachments: [
        {
          contentType: FILE_CONSENT,
          name: onboarding?.name ?? fileName(job, passes.length),
          content: {
            description: `Temporary Access Passes from TapDesk (${count}). Handle like passwords.`,
            sizeInBytes: size,
            acceptContext: { bulkId: job.id },
            declineContext: { bulkId: job.id },
          },
        },
      ],
    };
    try {
      await this.showCard(job);
      await this.o.cards.send({ conversationId: job.conversationId }, activity);
    } catch (error) {
      this.o.bulk.onBackgroundError('bulk.offer_file', error);
      this.held.drop(job.id);
      await this.undelivered(job.id, 'upload-failed');
    }
  }

  /** Records that the passes did not reach anyone (declined, timed out, upload failed). */
  async undelivered(id: string, how: 'declined' | 'upload-failed' | 'timed-out'): Promise<BulkJob | null> {
    const row = await this.o.bulk.bulk.patch(id, (j) =>
      j.result?.delivery === 'waiting' ? { ...j, result: { ...j.result, delivery: how } } : null,
    );
    if (!row) return null;
    if (row.value.result?.delivery === how) {
      await auditAfterTheFact(
        this.o.bulk,
        bulkEvent('bulk.not_delivered', row.value, row.value.run!.by, how),
      );
      await this.showCard(row.value);
    }
    return row.value;
  }

  async delivered(id: string): Promise<BulkJob | null> {
    const row = await this.o.bulk.bulk.patch(id, (j) =>
      j.result?.delivery === 'waiting' ? { ...j, result: { ...j.result, delivery: 'file' } } : null,
    );
    if (!row) return null;
    await auditAfterTheFact(
      this.o.bulk,
      bulkEvent('bulk.delivered', row.value, row.value.run!.by, `${row.value.result!.issued} passes`),
    );
    await this.showCard(row.value);
    return row.value;
  }

  /** Updates the bulk's card in the requester's chat; a failure only costs the picture, not the work. */
  async showCard(job: BulkJob, extra: { progress?: BulkProgress } = {}): Promise<void> {
    if (!job.cardActivityId) return;
    try {
      const reissue = await reissueCount(this.o.bulk, job);
      const card = bulkCard(job, this.o.bulk.clock.now(), {
        ...extra,
        reissue,
        above: this.o.bulk.approvalAbove,
      });
      await this.o.cards.update({ conversationId: job.conversationId }, job.cardActivityId, card);
    } catch (error) {
      this.o.bulk.onBackgroundError('bulk.card_update', error);
    }
  }

  /** Closes bulks a dead instance left 'issuing' and tells their requesters what happened. */
  async sweep(): Promise<BulkJob[]> {
    const recovered = await recoverInterrupted(this.o.bulk);
    for (const job of recovered) {
      await this.showCard(job);
      const r = job.result!;
      await this.o.cards
        .send(
          { conversationId: job.conversationId },
          {
            type: 'message',
            text: chatText`TapDesk restarted while issuing your bulk. ${r.issued} passes were created but lost with the restart, ${r.unknown} have an unknown outcome (check with list), ${r.failed} failed and ${r.notStarted} were not started. Nothing will be re-sent by itself; use "Issue again" on the card.`,
          },
        )
        .catch((error: unknown) => this.o.bulk.onBackgroundError('bulk.interrupted_notice', error));
      // Their passes exist in Entra even though nobody holds them; no token now, so no managers.
      await this.tellTargets(job);
    }
    return recovered;
  }

  /** Sweeps now and then every half lease; returns the stopper. */
  startSweeping(): () => void {
    const tick = () =>
      void this.sweep().catch((error: unknown) => this.o.bulk.onBackgroundError('bulk.sweep', error));
    tick();
    const timer = setInterval(tick, Math.max(1_000, (this.o.bulk.leaseSeconds * 1000) / 2));
    timer.unref();
    return () => clearInterval(timer);
  }
}

function fileName(job: BulkJob, count: number, kind = 'passes'): string {
  const stamp = job.createdAt.slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `tapdesk-${kind}-${stamp}-${count}.csv`;
}
