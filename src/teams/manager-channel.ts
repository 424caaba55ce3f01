import type { ManagerChannel } from '../delivery/manager-deliver.js';
import { revealCard } from '../cards/approval-views.js';
import type { TeamsDeps } from './context.js';

/**
 * How long to wait for Teams to announce the 1:1 chat an install creates: the approver's click waits
 * too, and Teams gives an invoke about 15 seconds in all.
 */
const INSTALL_WAIT_MS = 8_000;
const POLL_MS = 200;

/**
 * The manager's 1:1 chat with TapDesk: a stored conversation reference, or one made by installing
 * TapDesk for them. The install's conversationUpdate reaches /api/messages like any other, and the
 * turn wrapper stores its reference (teams/app.ts); this waits until it is there.
 */
export function managerChannel(deps: TeamsDeps): ManagerChannel {
  const hasChat = async (oid: string) => !!(await deps.conversations.find('personal', oid));
  return {
    hasChat,
    async installAndWait(oid) {
      const installer = deps.delivery?.installer;
      if (!installer) return false;
      const how = await installer.install(oid, AbortSignal.timeout(10_000));
      deps.log.info({ event: 'delivery.install', how }, 'delivery.install');
      // Installed before (409) yet TapDesk holds no chat: Teams announces nothing new, so don't wait.
      if (how === 'already') return hasChat(oid);
      const deadline = Date.now() + INSTALL_WAIT_MS;
      while (Date.now() < deadline) {
        if (await hasChat(oid)) return true;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      return false;
    },
    postReveal: (oid, request) =>
      deps.cards.post({ personalChatOf: oid }, revealCard(request, deps.core.clock.now(), { kind: 'ready' })),
  };
}
