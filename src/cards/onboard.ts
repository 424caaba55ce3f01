// The onboarding cards: the one that asks (person, device, group tag, day-one pass) and the one that
// says how each part went. Everything from the directory or Intune is neutralised here; the pass
// itself never reaches these cards (it goes only into the clicker's invoke response, as passCard).
import { formatDuration } from '../chat/grammar.js';
import type { Problem } from '../errors/catalog.js';
import { formatWhen } from '../tap/format.js';
import { plannedExpiry } from '../tap/plan.js';
import type { ConfirmView } from '../tap/prepare.js';
import type { TapRequest } from '../tap/request.js';
import { VERIFICATION_METHODS } from './actions.js';
import {
  faceCheckView,
  plannedUsageText,
  policyTermsText,
  withoutEmptyVerification,
  type FaceCheckPanel,
} from './confirm.js';
import { neutraliseOrDash, neutraliseText } from './escape.js';
import { storedTarget } from './request-views.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

const MAX_NOTE_CHARS = 500;
const fact = (title: string, value: string | null | undefined) => ({ title, value: neutraliseOrDash(value) });

function makeAndModel(request: TapRequest): string {
  const device = request.onboarding!.device;
  return [device.manufacturer, device.model].filter((part) => part && part.trim() !== '').join(' ') || '—';
}

/** The card that asks the admin to verify the person and confirm the device and the pass. */
export function onboardCard(view: ConfirmView, now: Date, faceCheck?: FaceCheckPanel): AdaptiveCardJson {
  const { request, target } = view;
  const info = request.onboarding!;
  const { device } = info;
  const zone = request.timeZone;
  const plan = request.plan ?? {};
  const expires = plannedExpiry(plan, now);
  const newTag = info.groupTag ?? device.groupTag;
  const tagChoices = [
    { title: device.groupTag ? `Keep ${device.groupTag}` : 'No group tag', value: '' },
    ...info.tagChoices.filter((t) => t !== device.groupTag).map((t) => ({ title: t, value: t })),
  ].map((c) => ({ title: neutraliseText(c.title, 80), value: c.value }));
  const steps = [
    `1. In Intune, device ${device.serialNumber} is assigned to ${target.userPrincipalName}` +
      (info.tagChoices.length > 0
        ? ' with the group tag chosen below.'
        : newTag
          ? ` with group tag ${newTag}.`
          : '.'),
    `2. In Entra, ${target.displayName} gets a Temporary Access Pass to sign in during Windows setup; only you see it.`,
  ].map((s) => neutraliseText(s, MAX_NOTE_CHARS));
  const card = expandTemplate('onboard', {
    title: neutraliseText(`Onboard ${target.displayName} on ${device.serialNumber}?`, 200),
    requestId: request.id,
    requesterName: neutraliseOrDash(request.requester.name),
    requestExpiresText: neutraliseOrDash(formatWhen(new Date(request.expiresAt), zone, now)),
    targetFacts: [
      fact('Name', target.displayName),
      fact('Sign-in name', target.userPrincipalName),
      fact('Department', target.department),
      fact('Job title', target.jobTitle),
      fact('Manager', view.managerName),
      { title: 'Account', value: target.accountEnabled !== false ? 'Enabled' : 'Disabled' },
    ],
    deviceFacts: [
      fact('Serial number', device.serialNumber),
      fact('Make and model', makeAndModel(request)),
      fact('Group tag now', device.groupTag ?? 'none'),
      fact('Assigned to now', device.userPrincipalName ?? 'nobody'),
      fact('Enrollment', device.enrollmentState),
    ],
    hasReassign: info.reassignFrom !== null,
    reassignWarning: info.reassignFrom
      ? neutraliseText(
          `This device is assigned to ${info.reassignFrom}. Confirm REASSIGNS it to ${target.userPrincipalName}.`,
          MAX_NOTE_CHARS,
        )
      : '',
    steps,
    passFacts: [
      fact(
        'Pass lifetime',
        plan.lifetimeMinutes ? formatDuration(plan.lifetimeMinutes) : 'the tenant default',
      ),
      { title: 'Use', value: plannedUsageText(plan.isUsableOnce) },
      fact(
        'Starts',
        plan.startDateTime ? formatWhen(new Date(plan.startDateTime), zone, now) : 'immediately',
      ),
      fact('Expires', expires ? formatWhen(expires, zone, now) : 'after the tenant default lifetime'),
      ...(request.policy ? [fact('Tenant policy', policyTermsText(request.policy, formatDuration))] : []),
    ],
    notes: view.notes.map((n) => neutraliseText(n, MAX_NOTE_CHARS)),
    warnings: view.warnings.map((w) => neutraliseText(w, MAX_NOTE_CHARS)),
    hasTagChoices: info.tagChoices.length > 0,
    selectedTag: info.groupTag !== null && info.groupTag !== device.groupTag ? info.groupTag : '',
    tagChoices,
    ...faceCheckView(faceCheck),
  });
  return withoutEmptyVerification(card);
}

/**
 * The onboarding card drawn again from the stored request alone (a Face Check callback has no admin
 * token to read Graph with): what the card showed when the request was made, and the Face Check now.
 */
export function storedOnboardCard(
  request: TapRequest,
  now: Date,
  faceCheck?: FaceCheckPanel,
): AdaptiveCardJson {
  const facts = request.cardFacts;
  return onboardCard(
    {
      request,
      // The card reads only the shown fields of the person; the rest of a directory entry is not kept.
      target: storedTarget(request) as ConfirmView['target'],
      managerName: request.manager?.displayName ?? null,
      existingPass: null,
      notes: facts?.notes ?? [],
      warnings: facts?.warnings ?? [],
    },
    now,
    faceCheck,
  );
}

/** How each part went, for the shared card (and the clicker's answer when there is no pass). */
export function onboardResultCard(
  request: TapRequest,
  now: Date,
  told?: { problem: Problem; reason?: Problem },
): AdaptiveCardJson {
  const info = request.onboarding!;
  const target = request.target!;
  const part = info.devicePart;
  const tag = part?.groupTag ?? info.groupTag ?? info.device.groupTag;
  const deviceText =
    part?.result === 'updated'
      ? `Assigned to ${target.userPrincipalName}${tag ? `, group tag ${tag}` : ''}`
      : part
        ? `Not changed (${part.result}${part.code ? `, ${part.code}` : ''})`
        : 'Not changed';
  const zone = request.timeZone;
  const outcome = request.outcome;
  const passText =
    request.state === 'issued' && outcome?.expiresAt
      ? `Issued by ${request.requester.name}, expires ${formatWhen(new Date(outcome.expiresAt), zone, now)} (shown only to them)`
      : part?.result === 'updated'
        ? `Not issued${outcome?.problemCode ? ` (${outcome.problemCode})` : ''}`
        : 'Not asked for';
  const ok = request.state === 'issued';
  const lines = told
    ? [
        told.problem.message,
        ...(told.reason ? [`${told.reason.title}. ${told.reason.message}`] : []),
        told.problem.nextStep,
      ]
    : [
        `TapDesk will tell you and ${target.displayName}'s manager when the device finishes enrolling; ask any time with 'onboarding status ${target.userPrincipalName}'.`,
      ];
  const passRefused = told?.problem.code === 'ONBOARD_PASS_REFUSED';
  return expandTemplate('onboarded', {
    title: neutraliseText(
      ok
        ? `${target.displayName} is set up on ${info.device.serialNumber}`
        : told
          ? told.problem.title
          : `Onboarding of ${target.displayName} did not finish`,
      200,
    ),
    color: ok ? 'Good' : 'Attention',
    facts: [
      fact('Person', `${target.displayName} (${target.userPrincipalName})`),
      fact('Device', `${info.device.serialNumber} (${makeAndModel(request)})`),
      fact('Device part', deviceText),
      fact('Pass', passText),
      ...(info.reassignFrom && part?.result === 'updated' ? [fact('Taken from', info.reassignFrom)] : []),
      ...(request.verification ? [fact('Verified by', verificationTitle(request.verification))] : []),
    ],
    lines: lines.map((l) => neutraliseText(l, MAX_NOTE_CHARS)),
    hasRequestCommand: passRefused,
    requestCommand: passRefused ? requestCommandFor(request) : '',
  });
}

const verificationTitle = (value: string) =>
  VERIFICATION_METHODS.find((m) => m.value === value)?.title ?? value;

/** The command a colleague's approval starts with: the pass alone, for this person, with why. */
export function requestCommandFor(request: TapRequest): string {
  const upn = request.target!.userPrincipalName;
  return `request TAP for ${upn} reason: onboarding on ${request.onboarding!.device.serialNumber}`;
}

/** One onboarding on the status card: how each part went, and the device as Intune shows it now. */
export interface OnboardingStatusRow {
  request: TapRequest;
  /** Intune's enrollment state now, or null when it could not be read. */
  liveEnrollment: string | null;
}

function passStatusText(request: TapRequest, now: Date): string {
  const outcome = request.outcome;
  if (request.state === 'issued' && outcome?.expiresAt) {
    const expires = new Date(outcome.expiresAt);
    const when = formatWhen(expires, request.timeZone, now);
    return expires.getTime() > now.getTime() ? `Issued, expires ${when}` : `Issued, expired ${when}`;
  }
  if (request.state === 'revoked') return 'Issued, then revoked';
  return outcome?.problemCode ? `Not issued (${outcome.problemCode})` : `Not issued (${request.state})`;
}

/** `onboarding status`: the asker's onboardings, newest first. */
export function onboardingStatusCard(
  rows: OnboardingStatusRow[],
  now: Date,
  notes: string[],
): AdaptiveCardJson {
  return expandTemplate('onboarding-status', {
    title: rows.length === 1 ? 'Your onboarding' : `Your last ${rows.length} onboardings`,
    items: rows.map(({ request, liveEnrollment }) => {
      const info = request.onboarding!;
      const part = info.devicePart;
      const enrolled = info.enrolledAt
        ? `Enrolled ${formatWhen(new Date(info.enrolledAt), request.timeZone, now)}`
        : (liveEnrollment ?? 'not read');
      return {
        heading: neutraliseText(
          `${request.target?.displayName ?? request.query} on ${info.device.serialNumber}`,
          200,
        ),
        facts: [
          fact('Started', formatWhen(new Date(request.createdAt), request.timeZone, now)),
          fact(
            'Device part',
            part?.result === 'updated'
              ? `Assigned${part.groupTag ? `, tag ${part.groupTag}` : ''}`
              : part
                ? `Not changed (${part.code ?? part.result})`
                : 'Not changed',
          ),
          fact('Pass', passStatusText(request, now)),
          fact('Enrollment', enrolled),
        ],
      };
    }),
    notes: notes.map((n) => neutraliseText(n, MAX_NOTE_CHARS)),
  });
}
