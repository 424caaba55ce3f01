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
import { resumeEntra, resumeCallFor } from './resume.js';
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
  if (config.extensionCallers.length === 0) return undefined;
  const { tenantId, authorityHost, clientId } = config.entraApp;
  const authority = `${authorityHost.replace(/\/+$/, '')}/${tenantId}`;
  // The extension's resourceId is TapDesk's app: Entra asks for a token with it as audience.
  const rules = Object.fromEntries(
    config.extensionCallers.map((c) => [
      c.kind,
      {
        tenantId,
        issuers: [`${authority}/v2.0`, `https://sts.windows.net/${tenantId}/`],
        audiences: [clientId, `api://${clientId}`],
        callerAppId: c.appId,
      },
    ]),
  );
  const keys = new TenantKeys(`${authority}/discovery/v2.0/keys`, io.dispatcher);
  const approvals = apiApprovalPoster(io);
  const graph = { baseUrl: config.graphBaseUrl, tokens: io.appTokens, dispatcher: io.dispatcher };
  return {
    routes: (server) => addExtensionRoutes(server, { core: io.core, keys, approvals, log: io.log }, rules),
    async settled(request) {
      const call = resumeCallFor(request);
      if (!call) return;
      try {
        await resumeEntra(graph, call);
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
