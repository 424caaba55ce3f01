// A bulk onboarding's follow-through: when the bulk has finished, each person whose device was set
// and whose pass was created gets a watch like a single onboarding's, carrying what the enrolled
// notice needs (the manager read with the issuer's token while there is one).
import type { BulkItem, BulkJob } from '../bulk/job.js';
import type { ManagedReports } from '../bulk/managers.js';
import type { Person } from '../tap/request.js';
import type { EnrollmentWatches } from './watch-store.js';

/** Adds the watches of a finished onboarding bulk's rows; how many were added. */
export async function watchBulkDevices(
  watches: EnrollmentWatches,
  job: BulkJob,
  items: readonly BulkItem[],
  issuer: Person,
  managers: readonly ManagedReports[],
  firstCheckAt: Date,
): Promise<number> {
  if (!job.onboarding) return 0;
  const managerOf = new Map<string, { id: string; displayName: string }>();
  for (const { manager, reports } of managers)
    for (const report of reports)
      managerOf.set(report.id, { id: manager.id, displayName: manager.displayName });
  let added = 0;
  for (const item of items) {
    const device = item.device;
    if (item.state !== 'issued' || device?.part !== 'updated' || !item.expiresAt) continue;
    await watches.addBulkRow({
      requestId: `${job.id}:${item.ask.line}`,
      deviceId: device.id,
      serialNumber: device.serialNumber,
      nextCheckAt: firstCheckAt.toISOString(),
      until: item.expiresAt,
      bulk: {
        bulkId: job.id,
        issuer,
        target: item.target,
        manager: managerOf.get(item.target.id) ?? null,
        groupTag: device.keepTag ? null : device.groupTag,
        timeZone: job.timeZone,
      },
    });
    added += 1;
  }
  return added;
}
