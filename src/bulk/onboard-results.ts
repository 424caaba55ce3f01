// An onboarding bulk's results file: one line per person who was ready, saying what became of their
// device and of their pass, so a device set without a pass is never hidden. It goes the way every
// bulk's passes go (memory only, offered to the clicker alone); the pass cell is empty on lines
// without a pass.
import type { BulkItem } from './job.js';
import type { PassRow } from './results.js';

const DEVICE_OUTCOME: Readonly<Record<NonNullable<NonNullable<BulkItem['device']>['part']>, string>> = {
  updated: 'updated',
  refused: 'refused',
  failed: 'failed',
  unknown: 'unknown: check the device in Intune',
};

/** What the file says about an item's device. */
export function deviceOutcome(item: BulkItem): string {
  const part = item.device?.part;
  if (!part) return 'not started';
  const text = DEVICE_OUTCOME[part];
  return part === 'updated' || !item.device?.code ? text : `${text} (${item.device.code})`;
}

/** What the file says about an item's pass. */
export function passOutcome(item: BulkItem): string {
  switch (item.state) {
    case 'issued':
      return 'issued';
    case 'unknown':
    case 'posting':
      return 'unknown: check with list';
    case 'failed':
      return item.device?.part === 'updated'
        ? `refused (${item.code ?? 'UNEXPECTED'}); the device was set`
        : 'not asked for: the device was not set';
    default:
      return 'not started';
  }
}

/**
 * One row per item, in chunk order: the pass (from `passes`, matched by the person) where one was
 * created, and both outcomes. Pure; the pass values come from memory only.
 */
export function onboardingRows(items: readonly BulkItem[], passes: readonly PassRow[]): PassRow[] {
  const byUser = new Map(passes.map((p) => [p.userPrincipalName.toLowerCase(), p]));
  return items
    .filter((item) => item.device)
    .map((item): PassRow => {
      const pass =
        item.state === 'issued' ? byUser.get(item.target.userPrincipalName.toLowerCase()) : undefined;
      return {
        userPrincipalName: item.target.userPrincipalName,
        displayName: item.target.displayName,
        pass: pass?.pass ?? '',
        startDateTime: pass?.startDateTime ?? '',
        expiresAt: pass?.expiresAt ?? '',
        isUsableOnce: pass?.isUsableOnce ?? item.plan.isUsableOnce ?? false,
        onboarding: {
          serialNumber: item.device!.serialNumber,
          groupTag: item.device!.groupTag,
          device: deviceOutcome(item),
          pass: passOutcome(item),
        },
      };
    });
}
