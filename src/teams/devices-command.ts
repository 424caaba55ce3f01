import { CardFactory, MessageFactory } from 'botbuilder';
import { renderDevicesCard } from '../cards/devices.js';
import { problemCard } from '../cards/request-views.js';
import type { DevicesCommand } from '../chat/grammar.js';
import { findDevices } from '../devices/find.js';
import type { AutopilotDevice } from '../graph/device-port.js';
import { formatWhen } from '../tap/format.js';
import { ChatList, chatText } from '../text/plain.js';
import type { Turn } from './turn.js';

/** A whole search, paging included, stays within this, so the reply comes while the asker waits. */
const DEVICE_SEARCH_TIMEOUT_MS = 10_000;
/** Intune's "never contacted" stamp (0001-01-01) and anything before 2000 is no real contact. */
const FIRST_REAL_CONTACT = Date.parse('2000-01-01T00:00:00Z');

/** `devices for alice`, `find device 5CG33`: the Autopilot devices found, read with the asker's token. */
export async function runDevices(turn: Turn, command: DevicesCommand): Promise<void> {
  const { context, actor } = turn;
  const started = performance.now();
  const result = await findDevices(
    {
      directory: () => turn.graph(),
      devices: () => turn.devices(),
      signal: AbortSignal.timeout(DEVICE_SEARCH_TIMEOUT_MS),
    },
    command,
  );
  turn.log.info(
    {
      event: 'devices.searched',
      by: 'serial' in command ? 'serial' : 'person',
      outcome: result.kind,
      ms: Math.round(performance.now() - started),
      ...(result.kind === 'found' ? { shown: result.devices.length, more: result.more } : {}),
      ...(result.kind === 'problem' ? { code: result.problem.code } : {}),
    },
    'devices.searched',
  );
  if (result.kind === 'problem') {
    await context.sendActivity(
      MessageFactory.attachment(CardFactory.adaptiveCard(problemCard(result.problem))),
    );
    return;
  }
  if (result.kind === 'ambiguous') {
    const names = new ChatList(result.users.map((u) => `${u.displayName} (${u.userPrincipalName})`));
    await context.sendActivity(
      chatText`Several people match '${'who' in command ? command.who : ''}': ${names}. Ask again with the full address, for example \`devices for ${result.users[0]!.userPrincipalName}\`.`,
    );
    return;
  }
  const now = turn.now();
  const lastContact = (d: AutopilotDevice) => {
    const at = d.lastContactedDateTime === null ? NaN : Date.parse(d.lastContactedDateTime);
    return Number.isNaN(at) || at < FIRST_REAL_CONTACT
      ? 'never'
      : formatWhen(new Date(at), actor.timeZone, now);
  };
  const card = renderDevicesCard({
    searched: result.person
      ? { person: result.person.displayName, upn: result.person.userPrincipalName }
      : { serial: result.serial ?? '' },
    rows: result.devices.map((d) => ({ ...d, lastContactText: lastContact(d) })),
    more: result.more,
    complete: result.complete,
  });
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}
