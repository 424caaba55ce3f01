import type restify from 'restify';
import type { Dispatcher } from 'undici';
import type { TapDeskConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { NoticePlanner } from '../notices/planner.js';
import type { CoreDeps } from '../tap/core-deps.js';
import { apiApprovalPoster } from '../teams/api-approvals.js';
import type { ConversationReferences } from '../teams/conversations.js';
import type { ProactiveCards } from '../teams/proactive-cards.js';
import { addRequestApiRoutes } from './request-api.js';
import { TenantKeys } from './tenant-keys.js';

/**
 * The request API's routes, when REQUEST_API_CLIENTS names a system; undefined (no route, a 404)
 * otherwise. Tokens are Entra v2 app tokens of TapDesk's own tenant, for TapDesk's client id.
 */
export function requestApiRoutes(
  config: TapDeskConfig,
  io: {
    core: CoreDeps;
    cards: ProactiveCards;
    conversations: ConversationReferences;
    notices: NoticePlanner;
    log: Logger;
    dispatcher: Dispatcher | undefined;
  },
): ((server: restify.Server) => void) | undefined {
  if (config.requestApiClients.length === 0) return undefined;
  const { tenantId, authorityHost, clientId } = config.entraApp;
  const authority = `${authorityHost.replace(/\/+$/, '')}/${tenantId}`;
  const rules = {
    tenantId,
    issuer: `${authority}/v2.0`,
    audience: clientId,
    clients: new Map(config.requestApiClients.map((c) => [c.clientId, c.name])),
  };
  const keys = new TenantKeys(`${authority}/discovery/v2.0/keys`, io.dispatcher);
  const approvals = apiApprovalPoster(io);
  return (server) =>
    addRequestApiRoutes(server, {
      core: io.core,
      rules,
      keys,
      approvals,
      log: io.log,
      smsConfigured: !!config.delivery.acs,
    });
}
