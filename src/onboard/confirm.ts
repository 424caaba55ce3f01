// Confirm on an onboarding card: with the clicker's own tokens, first the device (user and group
// tag in one Intune call), then the pass. Everything that can be checked is checked before either
// is touched (the click, the tag against the card's choices, the clicker's TAP role, the person and
// the device as the card showed them); the claim is committed before Intune is called, so a double
// click or a second instance changes nothing twice. Each part is audited as it ends, and a pass that
// Entra refuses after the device changed is reported as exactly that, never hidden.
import { VERBS } from '../cards/actions.js';
import { problem, type Problem } from '../errors/catalog.js';
import { problemForDeviceFailure } from '../devices/problems.js';
import type { DeviceWriteGraph } from '../graph/device-port.js';
import { GraphFailure } from '../graph/failure.js';
import type { CreatedTap, TapGraph } from '../graph/port.js';
import { UnitOfWork } from '../store/unit.js';
import type { StoredRow } from '../store/port.js';
import { alreadyHandled } from '../tap/already-handled.js';
import { requestEvent } from '../tap/audit-events.js';
import { claimAndCharge } from '../tap/claim.js';
import { guardClick, type Clicker } from '../tap/clicks.js';
import { faceCheckGate } from '../facecheck/gate.js';
import {
  CREATE_TIMEOUT_MS,
  createBody,
  endAfterCreateFailure,
  endRequest,
  giveBackAllowance,
  problemForCreate,
  recordIssued,
} from '../tap/confirm.js';
import type { CoreDeps } from '../tap/core-deps.js';
import { limitProblem } from '../tap/limit-problem.js';
import { recheckFacts } from '../tap/recheck.js';
import type { TapRequest } from '../tap/request.js';
import { issuerStrength } from '../tap/roles.js';
import type { DevicePartOutcome, OnboardingInfo } from './info.js';
import { onboardingSettingsOf } from './settings.js';

export type OnboardConfirmOutcome =
  | { kind: 'onboarded'; request: TapRequest; pass: CreatedTap; recordError?: unknown }
  /** Nothing was done, or the device part ended it; `request` is the ended request when there is one. */
  | { kind: 'problem'; problem: Problem; request?: TapRequest }
  /** The device was set, the pass was not: both are said, with the way to get the pass approved. */
  | { kind: 'pass-refused'; problem: Problem; reason: Problem; request: TapRequest };

export interface OnboardClick {
  requestId: string;
  clicker: Clicker;
  verification: string;
  ticket?: string;
  /** The tag picked on the card ('' keeps the device's own); null when the card offered no choice. */
  groupTag: string | null;
}

const DEVICE_TIMEOUT_MS = 8_000;
const same = (a: string | null, b: string | null) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/**
 * The tag to set: the one picked on the card ('' is its "keep the device's tag" choice), or, when the
 * card offered no choice, the one typed with the command, else the device's own.
 */
function chosenTag(info: OnboardingInfo, picked: string | null): string | null | Problem {
  if (picked === null) return info.groupTag ?? info.device.groupTag;
  if (picked === '') return info.device.groupTag;
  if (!info.tagChoices.includes(picked)) return problem('ONBOARD_TAG_NOT_OFFERED');
  return picked;
}

const isProblem = (value: unknown): value is Problem =>
  typeof value === 'object' && value !== null && 'code' in value && 'nextStep' in value;

export async function confirmOnboarding(
  deps: CoreDeps,
  acquire: { graph: () => Promise<TapGraph>; devices: () => Promise<DeviceWriteGraph> },
  click: OnboardClick,
): Promise<OnboardConfirmOutcome> {
  const guarded = await guardClick(deps, VERBS.onboardConfirm, click.requestId, click.clicker);
  if (!guarded.ok) return { kind: 'problem', problem: guarded.problem, request: guarded.request };
  const pending = guarded.row.value;
  const info = pending.onboarding;
  const target = pending.target;
  if (!info || !target) return { kind: 'problem', problem: problem('CLICK_NOT_ALLOWED') };
  const tag = chosenTag(info, click.groupTag);
  if (isProblem(tag)) return { kind: 'problem', problem: tag };
  // The pass at the end of an onboarding is held to the same Face Check rule as any other.
  const gate = faceCheckGate(pending, click.verification, deps.faceCheck, deps.clock.now());
  if (!gate.ok) return { kind: 'problem', problem: gate.problem };

  // Both tokens before anything: a sign-in prompt must come before Intune changed anything.
  const graph = await acquire.graph();
  const devices = await acquire.devices();
  const ctx = {
    targetName: target.displayName,
    who: target.userPrincipalName,
    detail: info.device.serialNumber,
  };
  const signal = AbortSignal.timeout(DEVICE_TIMEOUT_MS);
  let myRoles;
  let device;
  try {
    [myRoles, device] = await Promise.all([
      graph.getRoles('me', signal),
      devices.getAutopilotDevice(info.device.id, signal),
    ]);
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    return { kind: 'problem', problem: problemForDeviceFailure(error) };
  }
  // A role that lapsed since the card (PIM) would leave a device set up and no pass: stop here.
  if (issuerStrength(myRoles) === 'none')
    return { kind: 'problem', problem: problem('ONBOARD_TAP_ROLE_MISSING', ctx) };
  if (!device) return { kind: 'problem', problem: problem('ONBOARD_DEVICE_CHANGED', ctx) };
  const owner = device.userPrincipalName === '' ? null : device.userPrincipalName;
  if (!same(owner, info.device.userPrincipalName))
    return {
      kind: 'problem',
      problem: problem('ONBOARD_DEVICE_CHANGED', { ...ctx, managerName: owner ?? 'nobody' }),
    };
  const recheck = await recheckFacts(deps, graph, pending);
  if (recheck.kind === 'problem') return { kind: 'problem', problem: recheck.problem };
  if (recheck.kind === 'changed') return endChanged(deps, guarded.row, recheck.changes, click.clicker);

  const claimed: TapRequest = {
    ...pending,
    state: 'issuing',
    usedAt: deps.clock.now().toISOString(),
    verification: gate.verification,
    ...(gate.faceCheck
      ? { faceCheckScore: gate.faceCheck.score, faceCheckRequestId: gate.faceCheck.requestId }
      : {}),
    ...(click.ticket ? { ticket: click.ticket } : {}),
    onboarding: { ...info, groupTag: tag },
  };
  const failedAs = (code: string, devicePart?: DevicePartOutcome): TapRequest => ({
    ...claimed,
    state: 'failed',
    outcome: { problemCode: code, at: deps.clock.now().toISOString() },
    ...(devicePart ? { onboarding: { ...claimed.onboarding!, devicePart } } : {}),
  });
  const claim = await claimAndCharge(deps, guarded.row, {
    value: claimed,
    issuerOid: click.clicker.oid,
    event: requestEvent('request.confirmed', claimed, click.clicker),
    giveUp: failedAs('UNEXPECTED'),
  });
  if (claim.kind === 'lost') return { kind: 'problem', problem: alreadyHandled(claim.latest?.value) };
  if (claim.kind === 'limited') {
    const found = limitProblem(claim.hit, { ...ctx, timeZone: claimed.timeZone, now: deps.clock.now() });
    const failed = failedAs(found.code);
    await endRequest(
      deps,
      claim.row,
      failed,
      requestEvent('tap.failed', failed, click.clicker, { code: found.code }),
    );
    return { kind: 'problem', problem: found, request: failed };
  }

  // Part one: the device, in one call, so it never has the new user without the new tag.
  const deviceEvent = {
    serialNumber: info.device.serialNumber,
    groupTag: tag,
    previousUser: info.reassignFrom,
  };
  try {
    await devices.updateDeviceProperties(
      info.device.id,
      {
        userPrincipalName: target.userPrincipalName,
        addressableUserName: target.displayName,
        ...(tag !== null ? { groupTag: tag } : {}),
      },
      AbortSignal.timeout(DEVICE_TIMEOUT_MS),
    );
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    // No pass was asked for: the allowance the claim took goes back.
    await giveBackAllowance(deps, click.clicker, target.id, claim.takenAt);
    const found = deviceWriteProblem(error, ctx);
    const part: DevicePartOutcome = {
      result: error.outcomeUnknown ? 'unknown' : error.status === 403 ? 'refused' : 'failed',
      groupTag: tag,
      code: found.code,
      at: deps.clock.now().toISOString(),
    };
    const failed = failedAs(found.code, part);
    await endRequest(
      deps,
      claim.row,
      failed,
      requestEvent('onboarding.device_failed', failed, click.clicker, {
        code: found.code,
        device: deviceEvent,
      }),
    );
    return { kind: 'problem', problem: found, request: failed };
  }
  const updated: TapRequest = {
    ...claim.row.value,
    onboarding: {
      ...claim.row.value.onboarding!,
      devicePart: { result: 'updated', groupTag: tag, at: deps.clock.now().toISOString() },
    },
  };
  // The device part is on the record before the pass is asked for, whatever happens next.
  const unit = new UnitOfWork();
  deps.requests.updateIn(unit, claim.row, updated);
  deps.audit.appendIn(
    unit,
    requestEvent('onboarding.device_updated', updated, click.clicker, { device: deviceEvent }),
  );
  const [etag] = await unit.commit(deps.store);
  const row: StoredRow<TapRequest> = { value: updated, etag: etag! };

  // Part two: the pass, exactly once (never retried), as for a single issue.
  let pass: CreatedTap;
  try {
    pass = await graph.createTap(target.id, createBody(updated.plan), AbortSignal.timeout(CREATE_TIMEOUT_MS));
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    if (!error.outcomeUnknown) await giveBackAllowance(deps, click.clicker, target.id, claim.takenAt);
    const reason = problemForCreate(updated, error, 'role');
    const ended = await endAfterCreateFailure(deps, row, error, reason, click.clicker);
    if (error.outcomeUnknown) return { kind: 'problem', problem: reason, request: ended };
    const told = problem('ONBOARD_PASS_REFUSED', { ...ctx, decision: tag ?? undefined });
    return { kind: 'pass-refused', problem: told, reason, request: ended };
  }
  const settings = onboardingSettingsOf(deps);
  const firstCheck = new Date(deps.clock.now().getTime() + settings.checkMinutes * 60_000);
  const issued = await recordIssued(
    deps,
    row,
    pass,
    click.clicker,
    recheck.live?.pass ?? undefined,
    (u, request) => deps.enrollment?.addIn(u, request, firstCheck),
  );
  return { kind: 'onboarded', request: issued.request, pass, recordError: issued.recordError };
}

/** Intune's answer to the device write, in the catalog: a role, a consent, its limit, or unknown. */
export function deviceWriteProblem(
  error: GraphFailure,
  ctx: { detail: string; who: string; targetName: string },
): Problem {
  if (error.outcomeUnknown) return problem('ONBOARD_DEVICE_UNKNOWN', ctx);
  if (error.status === 429)
    return problem('ONBOARD_DEVICE_BUSY', { ...ctx, retryAfterSeconds: error.retryAfterSeconds });
  if (error.status === 404) return problem('ONBOARD_DEVICE_CHANGED', ctx);
  const read = problemForDeviceFailure(error);
  if (read.code === 'DEVICES_NOT_CONSENTED') return problem('ONBOARD_DEVICE_WRITE_NOT_CONSENTED', ctx);
  if (read.code === 'INTUNE_ROLE_MISSING') return problem('ONBOARD_DEVICE_REFUSED', ctx);
  return read;
}

/** What the card showed about the person no longer holds: the request ends, nothing is changed. */
async function endChanged(
  deps: CoreDeps,
  row: StoredRow<TapRequest>,
  changes: string[],
  clicker: Clicker,
): Promise<OnboardConfirmOutcome> {
  const ended: TapRequest = { ...row.value, state: 'superseded' };
  const event = requestEvent('request.superseded', ended, clicker, {
    reason: changes.join(' ').slice(0, 200),
  });
  if (!(await endRequest(deps, row, ended, event)))
    return { kind: 'problem', problem: alreadyHandled((await deps.requests.get(row.value.id))?.value) };
  const base = problem('REQUEST_SUPERSEDED');
  const told = {
    ...base,
    message: `What changed since the card was made: ${changes.join(' ')}`,
    nextStep: 'Nothing was changed on the device. Onboard again to see a card with what is true now.',
  };
  return { kind: 'problem', problem: told, request: ended };
}
