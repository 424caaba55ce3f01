import type restify from 'restify';
import type { Dispatcher } from 'undici';
import type { AppTokenSource } from '../auth/app-tokens.js';
import type { TapDeskConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { NoticePlanner } from '../notices/planner.js';
import type { CoreDeps } from '../tap/core-deps.js';
import type { TapRequest } from '../tap/request.js';
import { apiApprovalPoster } from '../teams/api-approvals.js';
import type { ConversationReferences } from '../teams/conversations.js';
import type { ProactiveCards } from '../teams/proactive-cards.js';
import { TenantKeys } from '../http/tenant-keys.js';
import { resumeAccessPackage, resumeCallFor } from './resume.js';
import { addExtensionRoutes } from './routes.js';

/**
 * The Entra custom extension routes ENTRA_EXTENSION_CALLERS turns on, and the hook that resumes
 * Entra when such an approval settles; undefined (no route) when none is configured.
 */
export function extensionRoutes(
  config: TapDeskConfig,
  io: {
    core: CoreDeps;
    cards: ProactiveCards;
    conversations: ConversationReferences;
    notices: NoticePlanner;
    log: Logger;
    dispatcher: Dispatcher | undefined;
    appTokens: AppTokenSource;
  },
): { routes: (server: restify.Server) => void; settled: (request: TapRequest) => Promise<void> } | undefined {
  const accessPackage = config.extensionCallers.find((c) => c.kind === 'access-package');
  if (!accessPackage) return undefined;
  const { tenantId, authorityHost, clientId } = config.entraApp;
  const authority = `${authorityHost.replace(/\/+$/, '')}/${tenantId}`;
  const rules = {
    tenantId,
    issuers: [`${authority}/v2.0`, `https://sts.windows.net/${tenantId}/`],
    audiences: [clientId, `api://${clientId}`],
    callerAppId: accessPackage.appId,
  };
  const keys = new TenantKeys(`${authority}/discovery/v2.0/keys`, io.dispatcher);
  const approvals = apiApprovalPoster(io);
  const graph = { baseUrl: config.graphBaseUrl, tokens: io.appTokens, dispatcher: io.dispatcher };
  return {
    routes: (server) => addExtensionRoutes(server, { core: io.core, rules, keys, approvals, log: io.log }),
    async settled(request) {
      const call = resumeCallFor(request);
      if (!call) return;
      try {
        await resumeAccessPackage(graph, call);
        io.log.info(
          { event: 'extensions.resumed', requestId: request.id, decision: call.decision },
          'extensions.resumed',
        );
      } catch (error) {
        io.core.onBackgroundError('extensions.resume', error);
      }
    },
  };
}
