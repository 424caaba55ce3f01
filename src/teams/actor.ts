import type { Activity } from 'botbuilder';
import { isValidZone, utcOffsetMinutes } from '../tap/format.js';

/** The person behind an activity as Teams reports it; the only identity a click is judged by. */
export interface Actor {
  oid: string;
  name: string;
  timeZone: string;
  utcOffsetMinutes: number;
}

/** Reads the acting user from the activity, or null when Teams gave no Entra object id (e.g. anonymous). */
export function actorOf(activity: Partial<Activity>): Actor | null {
  const oid = activity.from?.aadObjectId;
  if (!oid) return null;
  const timeZone =
    activity.localTimezone && isValidZone(activity.localTimezone) ? activity.localTimezone : 'UTC';
  return {
    oid,
    name: activity.from?.name || 'Someone',
    timeZone,
    utcOffsetMinutes: utcOffset(activity, timeZone),
  };
}

/** The client's UTC offset: from the zone name when Intl knows it, else from the local timestamp's suffix. */
function utcOffset(activity: Partial<Activity>, timeZone: string): number {
  if (timeZone !== 'UTC') return utcOffsetMinutes(timeZone, new Date()) ?? 0;
  const raw =
    (activity as { rawLocalTimestamp?: string }).rawLocalTimestamp ?? String(activity.localTimestamp ?? '');
  const suffix = /([+-])(\d{2}):?(\d{2})$/.exec(raw);
  return suffix ? (suffix[1] === '-' ? -1 : 1) * (Number(suffix[2]) * 60 + Number(suffix[3])) : 0;
}
