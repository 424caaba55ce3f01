import type { Logger } from '../log.js';
import type { CoreDeps } from '../tap/core-deps.js';
import type { GraphAccess } from './graph-access.js';
import type { WaitingCommands } from '../chat/waiting-commands.js';
import type { ActingCommand } from './acting-command.js';
import type { RowStore } from '../store/port.js';
import type { ConversationReferences } from './conversations.js';
import type { NoticePlanner } from '../notices/planner.js';
import type { ProactiveCards } from './proactive-cards.js';
import type { PassVault } from '../tap/pass-vault.js';
import type { BulkDeps } from '../bulk/deps.js';
import type { BulkRuns } from './bulk-runs.js';
import type { FileTransfer } from '../bulk/file-transfer.js';
import type { PresentationService } from '../facecheck/port.js';
import type { DeliveryPorts } from '../delivery/setup.js';

/** What the Teams handlers need; built once in teams/app.ts. */
export interface TeamsDeps {
  core: CoreDeps;
  graph: GraphAccess;
  waiting: WaitingCommands<ActingCommand>;
  conversations: ConversationReferences;
  notices: NoticePlanner;
  /** Backs teams-ai turn state, through the same port as everything else. */
  storage: RowStore;
  /** Cards posted to and updated in other conversations (approvers' channel, requesters' chats). */
  cards: ProactiveCards;
  /** Approved passes waiting for their requester's one reveal (memory only). */
  vault: PassVault;
  /** Bulk issuance: its core, the background runs and the files going in and out. */
  bulk: BulkDeps;
  bulkRuns: BulkRuns;
  files: FileTransfer;
  log: Logger;
  mode: 'sandbox' | 'entra';
  sso: { resource: string; connectionName: string; signInUrl: string };
  /** The Verified ID Request Service, when Face Check is configured. */
  faceCheck?: PresentationService;
  /** SMS (Communication Services) and the Teams self-install, for deliverTo manager and sms. */
  delivery?: DeliveryPorts;
}
