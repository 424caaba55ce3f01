/** Human times in the admin's own zone; Teams reports the zone with each activity. */
export function formatWhen(at: Date, timeZone: string, now: Date): string {
  const zone = isValidZone(timeZone) ? timeZone : 'UTC';
  const day = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: zone });
  const time = at.toLocaleTimeString('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  // Same day: the time alone reads naturally in "expires at 14:05 CET" and "Valid until 14:05 CET".
  if (day(at) === day(now)) return time;
  const date = at.toLocaleDateString('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  });
  return `${date}, ${time}`;
}

/** True when Intl knows the zone; Teams clients occasionally send an empty or legacy name. */
export function isValidZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone.length > 0;
  } catch {
    return false;
  }
}
