// The answer to a device search: one block per Windows Autopilot device. Every value on it comes from
// Intune or the directory (serials, models, group tags, addresses can be set by anyone who imports a
// device), so each is neutralised.
import { neutraliseOrDash } from './escape.js';
import { expandTemplate, type AdaptiveCardJson } from './template.js';

export interface DevicesCardData {
  /** Whose devices ("Bob Jones (bob@contoso.com)"), or the serial fragment searched for. */
  searched: { person: string; upn: string } | { serial: string };
  rows: {
    serialNumber: string;
    manufacturer: string | null;
    model: string | null;
    groupTag: string | null;
    userPrincipalName: string | null;
    enrollmentState: string | null;
    /** Already worded for the reader ("never", "3 May, 09:00 CEST"). */
    lastContactText: string;
  }[];
  more: number;
  /** False when the read stopped at the page cap: there may be more. */
  complete: boolean;
}

// Intune's v1.0 enrollment states, in words.
const STATE_WORDS: Readonly<Record<string, string>> = {
  unknown: 'Unknown',
  enrolled: 'Enrolled',
  pendingReset: 'Pending reset',
  failed: 'Failed',
  notContacted: 'Not contacted yet',
  blocked: 'Blocked',
};

function stateText(state: string | null): string {
  if (state === null) return '—';
  return Object.hasOwn(STATE_WORDS, state) ? STATE_WORDS[state]! : neutraliseOrDash(state, 40);
}

/** "HP EliteBook 840 G10": the model, after the make unless the model already names it. */
function makeAndModel(make: string | null, model: string | null): string {
  const m = (model ?? '').trim();
  const k = (make ?? '').trim();
  if (m && k && !m.toLowerCase().startsWith(k.toLowerCase())) return neutraliseOrDash(`${k} ${m}`);
  return neutraliseOrDash(m || k);
}

const blankAsNone = (value: string | null, none: string) =>
  value === null || value.trim() === '' ? none : neutraliseOrDash(value);

/** Renders the devices found, at most a page of them, with how many more there are. */
export function renderDevicesCard(d: DevicesCardData): AdaptiveCardJson {
  const what =
    'serial' in d.searched
      ? `with a serial number containing '${neutraliseOrDash(d.searched.serial, 64)}'`
      : `assigned to ${neutraliseOrDash(d.searched.person)} (${neutraliseOrDash(d.searched.upn)})`;
  const count = d.rows.length + d.more;
  const summary =
    count === 0
      ? `No Windows Autopilot device ${what}.`
      : `${count} Windows Autopilot device${count === 1 ? '' : 's'} ${what}.`;
  return expandTemplate('devices', {
    heading: 'Windows Autopilot devices',
    summary: d.complete ? summary : `${summary} Intune holds more devices than I read, so there may be more.`,
    rows: d.rows.map((row) => ({
      title: neutraliseOrDash(row.serialNumber, 64),
      facts: [
        { title: 'Make and model', value: makeAndModel(row.manufacturer, row.model) },
        { title: 'Group tag', value: blankAsNone(row.groupTag, 'none') },
        { title: 'Assigned user', value: blankAsNone(row.userPrincipalName, 'nobody') },
        { title: 'Enrollment', value: stateText(row.enrollmentState) },
        { title: 'Last contact', value: neutraliseOrDash(row.lastContactText) },
      ],
    })),
    hasMore: d.more > 0,
    moreText: `…and ${d.more} more not shown. Type more of the serial number to narrow the search.`,
    footer: 'Read from Intune just now, with your own Intune role.',
  });
}
