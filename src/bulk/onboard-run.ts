// The device part of an onboarding bulk, per chunk, before any of its passes is asked for: each
// device is read again (it may have been given to someone else since the card) and then set, user
// and group tag in one Intune call, with the clicker's own token. Intune's write limit is per app
// (100 per 20 s), so a 429 closes one shared gate for its Retry-After and the write is sent again:
// a 429 means Intune did not run it, and setting the same user and tag twice changes nothing.
// A device that was not set gets no pass. Each part is audited as the single onboarding audits it.
import type { NewAuditEvent } from '../audit/log.js';
import type { DeviceWriteGraph } from '../graph/device-port.js';
import { GraphFailure } from '../graph/failure.js';
import { deviceWriteProblem } from '../onboard/confirm.js';
import { writtenBy, type StoredRow } from '../store/port.js';
import { UnitOfWork } from '../store/unit.js';
import { auditAfterTheFact } from '../tap/audit-events.js';
import type { Person } from '../tap/request.js';
import type { BulkDeps } from './deps.js';
import type { BulkChunk, BulkDevice, BulkItem, BulkJob } from './job.js';
import { forEachConcurrent, ThrottleGate } from './throttle.js';

const DEVICE_TIMEOUT_MS = 8_000;
/** A device still throttled this long after its first try gives up rather than hold the bulk forever. */
const THROTTLED_GIVE_UP_MS = 10 * 60_000;

/** What a running onboarding bulk shares across its chunks for the device part. */
export interface DeviceRun {
  devices: DeviceWriteGraph;
  /** One gate for Intune's window, apart from Entra's: their limits are unrelated. */
  gate: ThrottleGate;
}

export const newDeviceRun = (devices: DeviceWriteGraph): DeviceRun => ({ devices, gate: new ThrottleGate() });

type PartResult = Pick<BulkDevice, 'part' | 'code'> & { groupTag?: string | null };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Reads the device again, then sets it; 429s wait at the shared gate and are tried again. */
async function setOne(run: DeviceRun, item: BulkItem, device: BulkDevice): Promise<PartResult> {
  const ctx = {
    targetName: item.target.displayName,
    who: item.target.userPrincipalName,
    detail: device.serialNumber,
  };
  const giveUpAt = performance.now() + THROTTLED_GIVE_UP_MS;
  for (;;) {
    await run.gate.pass();
    try {
      const now = await run.devices.getAutopilotDevice(device.id, AbortSignal.timeout(DEVICE_TIMEOUT_MS));
      const owner = now?.userPrincipalName ? now.userPrincipalName : null;
      // Free, or already this person's: anything else changed since the card and is left alone.
      if (!now || (owner !== null && !same(owner, item.target.userPrincipalName)))
        return { part: 'refused', code: 'ONBOARD_DEVICE_CHANGED' };
      // A row without a tag sends none, so a tag set since the card is not put back.
      const tag = device.keepTag ? null : device.groupTag;
      await run.devices.updateDeviceProperties(
        device.id,
        {
          userPrincipalName: item.target.userPrincipalName,
          addressableUserName: item.target.displayName,
          ...(tag !== null ? { groupTag: tag } : {}),
        },
        AbortSignal.timeout(DEVICE_TIMEOUT_MS),
      );
      return device.keepTag ? { part: 'updated', groupTag: now.groupTag || null } : { part: 'updated' };
    } catch (error) {
      if (!(error instanceof GraphFailure)) throw error;
      if (error.status === 429 && performance.now() < giveUpAt) {
        run.gate.block(error.retryAfterSeconds);
        continue;
      }
      const code = deviceWriteProblem(error, ctx).code;
      const part = error.outcomeUnknown ? 'unknown' : error.status === 403 ? 'refused' : 'failed';
      return { part, code };
    }
  }
}

/** The audit event of one device part, shaped as the single onboarding's. */
function deviceEvent(job: BulkJob, clicker: Person, item: BulkItem): NewAuditEvent {
  const device = item.device!;
  return {
    type: device.part === 'updated' ? 'onboarding.device_updated' : 'onboarding.device_failed',
    requestId: job.id,
    actor: { oid: clicker.oid, name: clicker.name },
    target: item.target,
    device: { serialNumber: device.serialNumber, groupTag: device.groupTag, previousUser: null },
    ...(device.code ? { code: device.code } : {}),
    reason: 'bulk',
  };
}

/**
 * Runs the device part of every fresh item of a chunk (`concurrency` at a time) and records it with
 * its audit events in one commit. Afterwards every item still 'ready' has its device set; the others
 * are 'failed' with the device's code. Returns the chunk and how many items failed here.
 */
export async function setDevices(
  deps: BulkDeps,
  run: DeviceRun,
  job: BulkJob,
  clicker: Person,
  row: StoredRow<BulkChunk>,
): Promise<{ row: StoredRow<BulkChunk>; failed: number }> {
  const fresh = row.value.items.filter((i) => i.state === 'ready' && i.device && !i.device.part);
  if (fresh.length === 0) return { row, failed: 0 };
  const results = new Map<string, PartResult>();
  await forEachConcurrent(fresh, deps.concurrency, async (item) => {
    results.set(item.target.id, await setOne(run, item, item.device!));
  });
  const next: BulkChunk = {
    ...row.value,
    items: row.value.items.map((item) => {
      const result = results.get(item.target.id);
      if (!result) return item;
      const device = { ...item.device!, ...result };
      return result.part === 'updated'
        ? { ...item, device }
        : { ...item, device, state: 'failed' as const, code: result.code ?? 'UNEXPECTED' };
    }),
  };
  const ended = next.items.filter((i) => results.has(i.target.id));
  const events = ended.map((item) => deviceEvent(job, clicker, item));
  const failed = ended.filter((i) => i.state === 'failed').length;
  return { row: await commitParts(deps, job.id, row, next, events), failed };
}

/** The chunk and its device events in one commit; when that fails, each on its own. */
async function commitParts(
  deps: BulkDeps,
  jobId: string,
  row: StoredRow<BulkChunk>,
  next: BulkChunk,
  events: NewAuditEvent[],
): Promise<StoredRow<BulkChunk>> {
  const unit = new UnitOfWork();
  const slot = deps.bulk.updateChunkIn(unit, jobId, row, next);
  for (const event of events) deps.audit.appendIn(unit, event);
  try {
    const etags = await deps.bulk.commit(unit);
    return { value: next, etag: etags[slot]! };
  } catch (error) {
    // Azure Tables may have written the chunk and not all of its trail: only the rest again.
    const written = writtenBy(error);
    if (written.includes(slot)) {
      deps.onBackgroundError('bulk.device_parts', error);
      const rest = new UnitOfWork();
      unit.writes.forEach((w, i) => (written.includes(i) ? undefined : rest.add(w)));
      await deps.bulk
        .commit(rest)
        .catch((again: unknown) => deps.onBackgroundError('bulk.device_parts', again));
      const chunk = await deps.bulk.getChunk(jobId, next.index);
      if (!chunk) throw error;
      return chunk;
    }
    const chunk = await deps.bulk.updateChunk(jobId, row, next);
    for (const event of events) await auditAfterTheFact(deps, event);
    return chunk;
  }
}
