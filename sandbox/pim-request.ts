import type { FixtureEligibleRole } from './fixture.js';

/** What a selfActivate body asks for, once its shape has been checked. */
export interface SelfActivation {
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  justification: string | null;
  ticketNumber: string | null;
  ticketSystem: string | null;
  /** Requested start; absent means now. */
  startDateTime: Date | null;
  /** Requested length in minutes; null when the request names none (the role's maximum applies). */
  minutes: number | null;
  /** `noExpiration`: an activation is always time-bound, so the expiration rule fails. */
  noExpiration: boolean;
  isValidationOnly: boolean;
}

/** The absolute ceiling of an activation: "always time-bound for a maximum of 8 hours" (next-wave §2.3). */
export const MAX_ACTIVATION_MINUTES = 8 * 60;

/** ISO 8601 duration (days, hours, minutes, seconds) in whole minutes, rounded up; undefined if unreadable. */
export function durationMinutes(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text.trim());
  if (!m || text.trim().toUpperCase() === 'P' || /T$/i.test(text.trim())) return undefined;
  const [, d, h, min, s] = m;
  const seconds = Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0);
  return Math.ceil(seconds / 60);
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** Reads scheduleInfo.expiration; a string is the 400 message. */
interface Schedule {
  start: Date | null;
  minutes: number | null;
  noExpiration: boolean;
  /** `afterDateTime`: the end the request names, turned into minutes once the start is known. */
  end?: Date;
}

function readSchedule(schedule: unknown): Schedule | string {
  if (typeof schedule !== 'object' || schedule === null) return "The property 'scheduleInfo' is required.";
  const { startDateTime, expiration } = schedule as Record<string, unknown>;
  let start: Date | null = null;
  if (startDateTime !== undefined && startDateTime !== null) {
    if (typeof startDateTime !== 'string' || Number.isNaN(Date.parse(startDateTime)))
      return "Cannot convert the literal in 'startDateTime' to the expected type 'Edm.DateTimeOffset'.";
    start = new Date(startDateTime);
  }
  if (expiration === undefined || expiration === null) return { start, minutes: null, noExpiration: false };
  if (typeof expiration !== 'object') return "The property 'expiration' must be an object.";
  const { type, duration, endDateTime } = expiration as Record<string, unknown>;
  // The docs send "AfterDuration", the response says "afterDuration": input is case-insensitive.
  const kind = typeof type === 'string' ? type.toLowerCase() : 'notspecified';
  if (kind === 'noexpiration') return { start, minutes: null, noExpiration: true };
  if (kind === 'afterduration') {
    const minutes = typeof duration === 'string' ? durationMinutes(duration) : undefined;
    if (minutes === undefined || minutes <= 0)
      return "Cannot convert the literal in 'duration' to the expected type 'Edm.Duration'.";
    return { start, minutes, noExpiration: false };
  }
  if (kind === 'afterdatetime') {
    if (typeof endDateTime !== 'string' || Number.isNaN(Date.parse(endDateTime)))
      return "Cannot convert the literal in 'endDateTime' to the expected type 'Edm.DateTimeOffset'.";
    return { start, minutes: null, noExpiration: false, end: new Date(endDateTime) };
  }
  if (kind === 'notspecified') return { start, minutes: null, noExpiration: false };
  return `The value '${String(type)}' is not valid for 'expirationPatternType'.`;
}

/** Checks a selfActivate body's shape; a string is the 400 message (Graph's OData wording where known). */
export function readSelfActivation(body: Record<string, unknown>, now: Date): SelfActivation | string {
  const principalId = text(body.principalId);
  const roleDefinitionId = text(body.roleDefinitionId);
  if (!principalId) return "The property 'principalId' is required.";
  if (!roleDefinitionId) return "The property 'roleDefinitionId' is required.";
  const directoryScopeId = text(body.directoryScopeId);
  if (!directoryScopeId && !text(body.appScopeId))
    return "Either 'directoryScopeId' or 'appScopeId' is required.";
  if (!directoryScopeId) return 'The sandbox only simulates directory-scoped roles (directoryScopeId).';
  if (
    body.justification !== undefined &&
    body.justification !== null &&
    typeof body.justification !== 'string'
  )
    return "The property 'justification' must be a string.";
  const schedule = readSchedule(body.scheduleInfo);
  if (typeof schedule === 'string') return schedule;
  const { end } = schedule;
  const minutes = end
    ? Math.ceil((end.getTime() - (schedule.start ?? now).getTime()) / 60_000)
    : schedule.minutes;
  const ticket = (body.ticketInfo ?? {}) as Record<string, unknown>;
  return {
    principalId,
    roleDefinitionId,
    directoryScopeId,
    justification: text(body.justification),
    ticketNumber: text(ticket.ticketNumber),
    ticketSystem: text(ticket.ticketSystem),
    startDateTime: schedule.start,
    minutes,
    noExpiration: schedule.noExpiration,
    isValidationOnly: body.isValidationOnly === true,
  };
}

/** The role's longest activation in minutes: its setting, never above PIM's 8 hours. */
export function maximumMinutes(role: FixtureEligibleRole): number {
  const set = role.maximumDuration ? durationMinutes(role.maximumDuration) : undefined;
  return Math.min(set ?? MAX_ACTIVATION_MINUTES, MAX_ACTIVATION_MINUTES);
}

/**
 * The activation rules a request breaks, in PIM's names (next-wave §2.5): the expiration rule (longer
 * than the maximum, or no end), justification and ticket when the role's settings require them, MFA
 * when required and the token does not show it.
 */
export function failedRules(
  role: FixtureEligibleRole,
  request: SelfActivation,
  amr: readonly string[],
): string[] {
  const failed: string[] = [];
  const minutes = request.minutes ?? maximumMinutes(role);
  if (request.noExpiration || !(minutes > 0) || minutes > maximumMinutes(role)) failed.push('ExpirationRule');
  if (role.requiresJustification && !request.justification) failed.push('JustificationRule');
  if (role.requiresTicket && !request.ticketNumber) failed.push('TicketingRule');
  if (role.requiresMfa && !amr.includes('mfa')) failed.push('MfaRule');
  return failed;
}

/** The claims request a client must get a new token with to satisfy an authentication context. */
export function claimsChallenge(claimValue: string): string {
  return JSON.stringify({ access_token: { acrs: { essential: true, value: claimValue } } });
}
