// The onboarding follow-through: once an onboarding's pass is issued, TapDesk looks at the device
// every few minutes (ONBOARDING_CHECK_MINUTES, one read per pending device, far below Intune's limits)
// until it reports enrolled or the pass expires. Enrolled: the issuer and the person's manager get one
// notice each, and the request and the trail say when. Each look is leased, so two instances never
// look at (or announce) the same device twice. Runs on the bot's clock, so the sandbox can move it.
import type { NewAuditEvent } from '../audit/log.js';
import type { EnrollmentReader } from '../graph/app-device-reader.js';
import { GraphFailure } from '../graph/failure.js';
import { ConflictError, TABLES, type StoredRow } from '../store/port.js';
import { UnitOfWork } from '../store/unit.js';
import { requestEvent } from '../tap/audit-events.js';
import type { CoreDeps } from '../tap/core-deps.js';
import { TAPDESK, type TapRequest } from '../tap/request.js';
import { onboardingSettingsOf } from './settings.js';
import { WATCH_PARTITION, type EnrollmentWatch } from './watch-store.js';

const LEASE_MS = 60_000;
const READ_TIMEOUT_MS = 10_000;
/** Intune's answer for a device whose setup finished. */
const ENROLLED = 'enrolled';

export type LookResult = 'enrolled' | 'waiting' | 'expired' | 'dropped' | 'skipped' | 'failed';

export class EnrollmentFollowThrough {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly deps: CoreDeps,
    private readonly reader: EnrollmentReader,
  ) {}

  /** Looks at every due device once; what each look found, for tests and logs. */
  async sweep(): Promise<LookResult[]> {
    const watches = this.deps.enrollment;
    if (!watches) return [];
    const now = this.deps.clock.now();
    const due = await watches.due(now);
    const results: LookResult[] = [];
    // One device at a time: a sweep is a handful of reads every few minutes, never a burst.
    for (const row of due)
      results.push(await this.look(row, now).catch((error: unknown) => this.failed(error)));
    return results;
  }

  private failed(error: unknown): LookResult {
    this.deps.onBackgroundError('onboarding.follow_through', error);
    return 'failed';
  }

  private async look(row: StoredRow<EnrollmentWatch>, now: Date): Promise<LookResult> {
    const watches = this.deps.enrollment!;
    const leased = await watches.lease(row, new Date(now.getTime() + LEASE_MS));
    if (!leased) return 'skipped';
    if (leased.value.bulk) return this.lookAtBulkRow(leased, now);
    const stored = await this.deps.requests.get(row.value.requestId);
    // Revoked, replaced or gone: nobody needs to hear about the device any more.
    if (!stored || stored.value.state !== 'issued') {
      await watches.drop(row.value.requestId);
      return 'dropped';
    }
    const state = await this.enrollmentOf(row.value);
    if (state === ENROLLED) return this.announce(stored, now);
    if (state === null || now.getTime() >= Date.parse(row.value.until)) return this.giveUp(stored, state);
    return this.later(leased, now);
  }

  private async enrollmentOf(watch: EnrollmentWatch): Promise<string | null> {
    try {
      return await this.reader.enrollmentState(watch.deviceId, AbortSignal.timeout(READ_TIMEOUT_MS));
    } catch (error) {
      if (!(error instanceof GraphFailure)) throw error;
      // Intune busy or TapDesk's read refused: look again next time, as if not enrolled yet.
      this.deps.onBackgroundError('onboarding.enrollment_read', error);
      return 'unknown';
    }
  }

  private async later(leased: StoredRow<EnrollmentWatch>, now: Date): Promise<LookResult> {
    const every = onboardingSettingsOf(this.deps).checkMinutes * 60_000;
    await this.deps.enrollment!.later(leased, new Date(now.getTime() + every));
    return 'waiting';
  }

  /**
   * A bulk onboarding's row: the same look, with the facts its watch carries. Whether its pass was
   * revoked meanwhile is not known here (a bulk keeps no request per person), so the notice still goes;
   * it says the device enrolled, which is true either way.
   */
  private async lookAtBulkRow(leased: StoredRow<EnrollmentWatch>, now: Date): Promise<LookResult> {
    const watch = leased.value;
    const bulk = watch.bulk!;
    const state = await this.enrollmentOf(watch);
    const enrolled = state === ENROLLED;
    if (!enrolled && state !== null && now.getTime() < Date.parse(watch.until))
      return this.later(leased, now);
    const unit = new UnitOfWork();
    // First, and conditional on the lease this look holds: another instance that took the row over
    // wins, and then nothing else of this unit is written.
    unit.add({
      op: 'delete',
      table: TABLES.requests,
      partition: WATCH_PARTITION,
      key: watch.requestId,
      etag: leased.etag,
    });
    this.deps.audit.appendIn(unit, {
      type: enrolled ? 'onboarding.enrolled' : 'onboarding.not_enrolled',
      requestId: bulk.bulkId,
      actor: TAPDESK,
      target: bulk.target,
      device: { serialNumber: watch.serialNumber, groupTag: bulk.groupTag, previousUser: null },
      ...(enrolled ? {} : { code: state === null ? 'DEVICE_GONE' : `STATE_${state}` }),
    });
    if (enrolled)
      this.deps.notices.enrolledFor(
        {
          requestId: bulk.bulkId,
          revocable: false,
          issuer: bulk.issuer,
          manager: bulk.manager,
          targetName: bulk.target.displayName,
          serialNumber: watch.serialNumber,
          expiresAt: watch.until,
          timeZone: bulk.timeZone,
        },
        now,
        unit,
      );
    try {
      await unit.commit(this.deps.store);
    } catch (error) {
      if (error instanceof ConflictError) return 'skipped';
      throw error;
    }
    return enrolled ? 'enrolled' : 'expired';
  }

  /** Enrolled: the request, the trail, both notices and the end of the watch, in one commit. */
  private async announce(row: StoredRow<TapRequest>, now: Date): Promise<LookResult> {
    const request: TapRequest = {
      ...row.value,
      onboarding: { ...row.value.onboarding!, enrolledAt: now.toISOString() },
    };
    const event = requestEvent('onboarding.enrolled', request, TAPDESK, { device: deviceOf(request) });
    return (await this.commit(row, request, event, (unit) => this.deps.notices.enrolled(request, now, unit)))
      ? 'enrolled'
      : 'skipped';
  }

  /** The pass expired (or the device left Intune) before setup finished: said in the trail, no notice. */
  private async giveUp(row: StoredRow<TapRequest>, state: string | null): Promise<LookResult> {
    const event = requestEvent('onboarding.not_enrolled', row.value, TAPDESK, {
      device: deviceOf(row.value),
      code: state === null ? 'DEVICE_GONE' : `STATE_${state}`,
    });
    return (await this.commit(row, row.value, event)) ? 'expired' : 'skipped';
  }

  private async commit(
    row: StoredRow<TapRequest>,
    next: TapRequest,
    event: NewAuditEvent,
    more?: (unit: UnitOfWork) => void,
  ): Promise<boolean> {
    const unit = new UnitOfWork();
    // Conditional on the request as read: a revoke that raced this look wins, and nothing is sent.
    this.deps.requests.updateIn(unit, row, next);
    this.deps.audit.appendIn(unit, event);
    more?.(unit);
    this.deps.enrollment!.deleteIn(unit, row.value.id);
    try {
      await unit.commit(this.deps.store);
      return true;
    } catch (error) {
      if (error instanceof ConflictError && error.index === 0) return false;
      throw error;
    }
  }

  /** Sweeps every `everyMs` of real time (the due times themselves are on the bot's clock). */
  start(everyMs: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((error: unknown) => this.failed(error))
        .finally(() => {
          this.running = undefined;
        });
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

function deviceOf(request: TapRequest): NewAuditEvent['device'] {
  const info = request.onboarding!;
  return {
    serialNumber: info.device.serialNumber,
    groupTag: info.devicePart?.groupTag ?? info.groupTag ?? info.device.groupTag,
    previousUser: info.reassignFrom,
  };
}
