interface ZoneFormatters {
  day: Intl.DateTimeFormat;
  time: Intl.DateTimeFormat;
  date: Intl.DateTimeFormat;
  offset: Intl.DateTimeFormat;
}

// Building an Intl.DateTimeFormat costs far more than using one, and every card renders several
// times, so formatters are made once per zone. Zone names are few (one per admin's client).
const formatters = new Map<string, ZoneFormatters | null>();

/** The formatters for a zone Intl knows, or null for an empty or unknown name. */
function formattersFor(timeZone: string): ZoneFormatters | null {
  let found = formatters.get(timeZone);
  if (found === undefined) {
    try {
      found = timeZone
        ? {
            day: new Intl.DateTimeFormat('en-CA', { timeZone }),
            time: new Intl.DateTimeFormat('en-GB', {
              timeZone,
              hour: '2-digit',
              minute: '2-digit',
              timeZoneName: 'short',
            }),
            date: new Intl.DateTimeFormat('en-GB', {
              timeZone,
              weekday: 'short',
              day: 'numeric',
              month: 'short',
            }),
            offset: new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }),
          }
        : null;
    } catch {
      found = null;
    }
    if (formatters.size < 1_000) formatters.set(timeZone, found);
  }
  return found;
}

/** Human times in the admin's own zone; Teams reports the zone with each activity. */
export function formatWhen(at: Date, timeZone: string, now: Date): string {
  const f = formattersFor(timeZone) ?? formattersFor('UTC')!;
  const time = f.time.format(at);
  // Same day: the time alone reads naturally in "expires at 14:05 CET" and "Valid until 14:05 CET".
  if (f.day.format(at) === f.day.format(now)) return time;
  return `${f.date.format(at)}, ${time}`;
}

/** True when Intl knows the zone; Teams clients occasionally send an empty or legacy name. */
export function isValidZone(timeZone: string): boolean {
  return formattersFor(timeZone) !== null;
}

/** The zone's offset from UTC in minutes at a given moment (DST-aware), or null for an unknown zone. */
export function utcOffsetMinutes(timeZone: string, at: Date): number | null {
  const f = formattersFor(timeZone);
  if (!f) return null;
  const part = f.offset.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}
