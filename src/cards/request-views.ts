import { VERIFICATION_METHODS } from './actions.js';
import {
  renderChoiceCard,
  renderClosedCard,
  renderConfirmCard,
  renderIssuedCard,
  renderPassCard,
  renderProblemCard,
  type AdaptiveCardJson,
} from './render.js';
import { policyTermsText, type FaceCheckPanel } from './confirm.js';
import { formatDuration } from '../chat/grammar.js';
import type { Problem } from '../errors/catalog.js';
import type { CreatedTap, DirectoryUser, TapMethod } from '../graph/port.js';
import { formatWhen } from '../tap/format.js';
import { plannedExpiry } from '../tap/plan.js';
import type { ConfirmView } from '../tap/prepare.js';
import type { TapRequest } from '../tap/request.js';

/** Core outcomes → card JSON. The only place that knows both the domain and the card templates. */
export function confirmCard(view: ConfirmView, now: Date, faceCheck?: FaceCheckPanel): AdaptiveCardJson {
  const { request, target } = view;
  return confirmCardOf(
    request,
    {
      target,
      managerName: view.managerName,
      existingPass: view.existingPass,
      notes: view.notes,
      warnings: view.warnings,
    },
    now,
    faceCheck,
  );
}

/** What a confirmation card shows besides the stored request: the person and their pass, read live or kept. */
interface ConfirmFacts {
  target: Pick<
    DirectoryUser,
    'displayName' | 'userPrincipalName' | 'department' | 'jobTitle' | 'accountEnabled'
  >;
  managerName: string | null;
  existingPass: Pick<TapMethod, 'createdDateTime' | 'isUsable' | 'methodUsabilityReason'> | null;
  notes: string[];
  warnings: string[];
}

/** The person as the card showed them, from the stored request and the facts kept with it. */
export function storedTarget(request: TapRequest): ConfirmFacts['target'] {
  const target = request.target!;
  const facts = request.cardFacts;
  return {
    displayName: target.displayName,
    userPrincipalName: target.userPrincipalName,
    department: target.department,
    jobTitle: facts?.jobTitle ?? null,
    accountEnabled: facts?.accountEnabled ?? null,
  };
}

/**
 * The confirmation card drawn again from the stored request alone (a Face Check callback has no admin
 * token to read Graph with): what the card showed when the request was made, and the Face Check now.
 */
export function storedConfirmCard(
  request: TapRequest,
  now: Date,
  faceCheck?: FaceCheckPanel,
): AdaptiveCardJson {
  const facts = request.cardFacts;
  return confirmCardOf(
    request,
    {
      target: storedTarget(request),
      managerName: request.manager?.displayName ?? null,
      existingPass: facts?.existingPass ?? null,
      notes: facts?.notes ?? [],
      warnings: facts?.warnings ?? [],
    },
    now,
    faceCheck,
  );
}

function confirmCardOf(
  request: TapRequest,
  facts: ConfirmFacts,
  now: Date,
  faceCheck: FaceCheckPanel | undefined,
): AdaptiveCardJson {
  const { target } = facts;
  const plan = request.plan ?? {};
  const zone = request.timeZone;
  const expires = plannedExpiry(plan, now);
  return renderConfirmCard({
    requestId: request.id,
    requesterName: request.requester.name,
    requestExpiresText: formatWhen(new Date(request.expiresAt), zone, now),
    target: {
      displayName: target.displayName,
      userPrincipalName: target.userPrincipalName,
      department: target.department,
      jobTitle: target.jobTitle,
      managerName: facts.managerName,
      accountEnabled: target.accountEnabled !== false,
    },
    existingPass: facts.existingPass
      ? {
          createdText: formatWhen(new Date(facts.existingPass.createdDateTime), zone, now),
          stateText: facts.existingPass.isUsable
            ? 'usable now'
            : `not usable (${facts.existingPass.methodUsabilityReason})`,
        }
      : null,
    lifetimeText: plan.lifetimeMinutes ? formatDuration(plan.lifetimeMinutes) : 'the tenant default',
    usableOnce: plan.isUsableOnce,
    policyText: request.policy ? policyTermsText(request.policy, formatDuration) : null,
    startText: plan.startDateTime ? formatWhen(new Date(plan.startDateTime), zone, now) : 'immediately',
    expiresText: expires ? formatWhen(expires, zone, now) : 'after the tenant default lifetime',
    notes: [...facts.notes],
    warnings: facts.warnings,
    ...(faceCheck ? { faceCheck } : {}),
  });
}

/** The several-matches card. */
export function choiceCard(request: TapRequest, more: number): AdaptiveCardJson {
  return renderChoiceCard({
    requestId: request.id,
    query: request.query,
    candidates: request.candidates ?? [],
    moreCount: more,
  });
}

const expiryOf = (pass: CreatedTap) =>
  new Date(Date.parse(pass.startDateTime) + pass.lifetimeInMinutes * 60_000);

/** The card with the code: only ever the body of the clicker's invoke response. */
export function passCard(request: TapRequest, pass: CreatedTap, now: Date): AdaptiveCardJson {
  const started = Date.parse(pass.startDateTime) <= now.getTime() + 60_000;
  return renderPassCard({
    targetName: request.target!.displayName,
    targetUpn: request.target!.userPrincipalName,
    pass: pass.temporaryAccessPass,
    startText: started ? 'now' : formatWhen(new Date(pass.startDateTime), request.timeZone, now),
    expiresText: formatWhen(expiryOf(pass), request.timeZone, now),
    lifetimeText: formatDuration(pass.lifetimeInMinutes),
    usableOnce: pass.isUsableOnce,
  });
}

/** The redacted card everyone in the conversation sees once a pass exists. */
export function issuedCard(request: TapRequest, now: Date): AdaptiveCardJson {
  const outcome = request.outcome!;
  return renderIssuedCard({
    issuerName: request.requester.name,
    targetName: request.target!.displayName,
    targetUpn: request.target!.userPrincipalName,
    expiresText: formatWhen(new Date(outcome.expiresAt!), request.timeZone, now),
    startText: formatWhen(new Date(outcome.startDateTime!), request.timeZone, now),
    usableOnce: outcome.isUsableOnce ?? false,
    verificationTitle:
      VERIFICATION_METHODS.find((m) => m.value === request.verification)?.title ?? 'not recorded',
    ticket: request.ticket ?? null,
  });
}

/** A refusal or failure, shown in chat. */
export function problemCard(p: Problem): AdaptiveCardJson {
  return renderProblemCard({ title: p.title, message: p.message, nextStep: p.nextStep, code: p.code });
}

/** The shared card's final state when a request ends without a pass. */
export function closedCard(request: TapRequest, p: Problem | null): AdaptiveCardJson {
  const who = request.target?.displayName ?? request.query;
  if (request.state === 'cancelled') {
    return renderClosedCard({
      title: 'Request cancelled',
      message: `${request.requester.name} cancelled the pass for ${who}. Nothing was issued.`,
      tone: 'neutral',
    });
  }
  if (request.state === 'unknown') {
    return renderClosedCard({
      title: 'Outcome unknown',
      message: p ? `${p.message} ${p.nextStep}` : `Check with \`list TAP for ${who}\`.`,
      tone: 'warning',
    });
  }
  return renderClosedCard({
    title: p?.title ?? 'Request closed',
    message: p ? `${p.message} Nothing was issued for ${who}.` : `Nothing was issued for ${who}.`,
    tone: 'error',
  });
}
