import { securitySinkFor } from './audit/security-sink.js';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { OnBehalfOfTokens } from './auth/obo.js';
import { ClientSecretAppTokens, type AppTokenSource } from './auth/app-tokens.js';
import { AppRoleReader, ROLE_READER_PERMISSION } from './graph/role-reader.js';
import { AppPolicyReader, POLICY_READER_PERMISSION, TenantPolicy } from './graph/policy-reader.js';
import { AppDeviceReader, DEVICE_READER_PERMISSION } from './graph/app-device-reader.js';
import { EnrollmentFollowThrough } from './onboard/follow-through.js';
import type { CoreDeps } from './tap/core-deps.js';
import { systemClock, type Clock } from './clock.js';
import { GRAPH_SCOPES, type TapDeskConfig } from './config.js';
import type { GraphCallRecord } from './graph/client.js';
import { dispatcherTrusting } from './http-json.js';
import type { Logger } from './log.js';
import { openStore } from './store/open.js';
import { ConversationReferences } from './teams/conversations.js';
import { TeamsNoticeSender } from './teams/notice-sender.js';
import { auditTypeOf, NoticeScheduler, RateLimiter } from './notices/index.js';
import { createCore } from './core.js';
import type { RowStore } from './store/port.js';
import { TAPDESK } from './tap/request.js';
import { createAdapter, createTeamsApp, inboundChecks } from './teams/app.js';
import { TeamsAssertions, type AssertionSource } from './teams/assertions.js';
import { GraphAccess } from './teams/graph-access.js';
import { WaitingCommands } from './chat/waiting-commands.js';
import { ProactiveCards } from './teams/proactive-cards.js';
import { PassVault } from './tap/pass-vault.js';
import { closeExpiredApproval } from './teams/approval-actions.js';
import { closeExpiredBulk } from './teams/bulk-actions.js';
import { createServer } from './server.js';
import { BulkRuns } from './teams/bulk-runs.js';
import { FileTransfer, fileHostPolicy } from './bulk/file-transfer.js';
import { requestApiRoutes } from './http/request-api-setup.js';
import { extensionRoutes } from './extensions/setup.js';
import { RequestServiceClient } from './facecheck/request-service.js';
import { deliveryPortsFor } from './delivery/setup.js';
import { FACE_CHECK_CALLBACK_PATH } from './facecheck/settings.js';
import { faceCheckCallback } from './teams/face-check-callback.js';

export interface BotOptions {
  log: Logger;
  store?: RowStore;
  /** The bot's sense of time; default the system clock. The sandbox plugs in one that follows its tenant's. */
  clock?: Clock;
  /**
   * Where acting users' SSO assertions come from; default Teams (card clicks, token exchange). The
   * sandbox plugs in one that has its local tenant mint them, as Teams would.
   */
  assertions?: AssertionSource;
  /** Observes every Graph call (method, url, status, request body); tests check them against the OpenAPI file. */
  onGraphCall?: (call: GraphCallRecord) => void;
}

export interface RunningBot {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The app-only reader of eligible and scoped roles, when its read-only permission is granted; else
 * undefined, said once at startup (and in help), since such admins then get no second pair of eyes.
 */
function roleReaderFor(
  config: TapDeskConfig,
  io: { dispatcher: ReturnType<typeof dispatcherTrusting>; tokens: AppTokenSource; log: Logger },
): AppRoleReader | undefined {
  if (!config.appPermissions.includes(ROLE_READER_PERMISSION)) {
    io.log.warn(
      { event: 'roles.eligible_unseen' },
      `APP_PERMISSIONS lacks ${ROLE_READER_PERMISSION}: people only eligible for a directory role (PIM) or holding one scoped to an administrative unit cannot be recognised as privileged, so their passes are not sent for approval. Grant the application permission and list it in APP_PERMISSIONS.`,
    );
    return undefined;
  }
  return new AppRoleReader({ baseUrl: config.graphBaseUrl, dispatcher: io.dispatcher, tokens: io.tokens });
}

/**
 * TapDesk's own app-only read of the TAP policy, when its read-only permission is granted; else
 * undefined, said once at startup: cards then show the policy only to admins whose role can read it.
 */
function tenantPolicyFor(
  config: TapDeskConfig,
  io: {
    dispatcher: ReturnType<typeof dispatcherTrusting>;
    tokens: AppTokenSource;
    log: Logger;
    clock: Clock;
  },
): TenantPolicy | undefined {
  if (!config.appPermissions.includes(POLICY_READER_PERMISSION)) {
    io.log.warn(
      { event: 'policy.app_read_off' },
      `APP_PERMISSIONS lacks ${POLICY_READER_PERMISSION}: the TAP policy is read with each admin's own account, so cards for admins whose role cannot read it (e.g. Authentication Administrator) do not show the allowed lifetimes and one-time rule, and Entra checks them at Confirm. Grant the application permission and list it in APP_PERMISSIONS.`,
    );
    return undefined;
  }
  const reader = new AppPolicyReader({
    baseUrl: config.graphBaseUrl,
    dispatcher: io.dispatcher,
    tokens: io.tokens,
  });
  return new TenantPolicy(reader, io.clock, io.log);
}

/** The real time between looks at the follow-through's to-do list (due times are on the bot's clock). */
const FOLLOW_THROUGH_SWEEP_MS = 2_000;

/**
 * The onboarding follow-through, when TapDesk may read Autopilot devices with its own read-only
 * application permission; else undefined, said once at startup: `onboarding status` still works.
 */
function followThroughFor(
  config: TapDeskConfig,
  core: CoreDeps,
  io: { dispatcher: ReturnType<typeof dispatcherTrusting>; tokens: AppTokenSource; log: Logger },
): EnrollmentFollowThrough | undefined {
  if (!config.appPermissions.includes(DEVICE_READER_PERMISSION)) {
    io.log.warn(
      { event: 'onboarding.follow_through_off' },
      `APP_PERMISSIONS lacks ${DEVICE_READER_PERMISSION}: TapDesk cannot see when an onboarded device finishes enrolling, so no one is told; 'onboarding status' still reads it with the asker's own account. Grant the application permission and list it in APP_PERMISSIONS.`,
    );
    return undefined;
  }
  const reader = new AppDeviceReader({
    baseUrl: config.graphBaseUrl,
    dispatcher: io.dispatcher,
    tokens: io.tokens,
  });
  return new EnrollmentFollowThrough(core, reader);
}

/** Wires config → adapters → core (createCore) → Teams → HTTP server, and starts listening. */
export async function startBot(config: TapDeskConfig, options: BotOptions): Promise<RunningBot> {
  const { log } = options;
  const caPem = config.caFile ? readFileSync(config.caFile, 'utf8') : undefined;
  const dispatcher = dispatcherTrusting(caPem);
  const clock: Clock = options.clock ?? systemClock;
  const { clientId, clientSecret, tenantId, authorityHost, ssoResource } = config.entraApp;

  const tokens = new OnBehalfOfTokens({
    tenantId,
    clientId,
    clientSecret,
    authorityHost,
    scopes: GRAPH_SCOPES,
    caPem,
  });
  // One app-only credential for the process: it caches its token for every app-only read.
  const appTokens = new ClientSecretAppTokens({ tenantId, clientId, clientSecret, authorityHost, caPem });
  const assertions = options.assertions ?? new TeamsAssertions();
  const graph = new GraphAccess(
    assertions,
    tokens,
    {
      baseUrl: config.graphBaseUrl,
      dispatcher,
      onCall: options.onGraphCall,
    },
    { tenantId, log },
    tenantPolicyFor(config, { dispatcher, tokens: appTokens, log, clock }),
  );
  const store = options.store ?? (await openStore(config.store));
  const signInUrl =
    `${authorityHost}/${tenantId}/oauth2/v2.0/authorize?client_id=${clientId}&response_type=code` +
    `&scope=${encodeURIComponent(`${ssoResource}/access_as_user`)}`;

  const adapter = createAdapter(config);
  const conversations = new ConversationReferences(store);
  const roleReader = roleReaderFor(config, { dispatcher, tokens: appTokens, log });
  const securityEvents = await securitySinkFor(config.applicationInsightsConnectionString, log);
  const { core, bulk, notices, queue, audit, onBackgroundError } = createCore(config, {
    store,
    clock,
    log,
    roleReader,
    securityEvents,
  });
  const cards = new ProactiveCards(adapter, config.bot.appId, conversations);
  const bulkRuns = new BulkRuns({
    bulk,
    cards,
    log,
    notices,
    conversations,
    ...(core.enrollment
      ? { enrollment: { watches: core.enrollment, checkMinutes: config.onboarding.checkMinutes } }
      : {}),
  });
  const scheduler = new NoticeScheduler({
    queue,
    sender: new TeamsNoticeSender(adapter, config.bot.appId, conversations, core.requests, {
      approval: (requestId) => closeExpiredApproval({ core, cards }, requestId),
      bulk: (bulkId, deadline) => closeExpiredBulk({ core, cards, bulk, bulkRuns }, bulkId, deadline),
    }),
    clock,
    limiter: new RateLimiter({ tenantRatePerSecond: config.notices.tenantRatePerSecond }),
    onGiveUp: (notice, reason) =>
      audit
        .append({
          type: auditTypeOf(reason),
          requestId: notice.requestId,
          actor: TAPDESK,
          target: null,
          code: `${notice.kind}: ${reason}`,
        })
        .then(() => undefined),
    onError: (error) => onBackgroundError('notice.delivery', error),
  });
  const app = createTeamsApp(adapter, config, {
    core,
    cards,
    // The reveal window runs on the bot's clock, so the sandbox can move it.
    vault: new PassVault(() => clock.now().getTime()),
    conversations,
    notices,
    storage: store,
    graph,
    waiting: new WaitingCommands(),
    bulk,
    bulkRuns,
    files: new FileTransfer(
      fileHostPolicy(config.mode === 'sandbox' ? config.sandboxUrl : undefined),
      dispatcher,
    ),
    log,
    mode: config.mode,
    sso: { resource: ssoResource, connectionName: config.oauthConnectionName, signInUrl },
    // Face Check's presentation requests use TapDesk's own app-only token for the Request Service.
    ...(config.faceCheck
      ? { faceCheck: new RequestServiceClient(config.faceCheck, appTokens, dispatcher) }
      : {}),
    delivery: deliveryPortsFor(config, { dispatcher, appTokens }),
  });
  const requestApi = requestApiRoutes(config, { core, cards, conversations, notices, log, dispatcher });
  const extensions = extensionRoutes(config, {
    ...{ core, cards, conversations, notices, log, dispatcher },
    appTokens,
  });
  if (extensions) core.onApprovalSettled = extensions.settled;
  const server = createServer(adapter, app, log, config.mode, inboundChecks(config), (s) => {
    requestApi?.(s);
    extensions?.routes(s);
    if (config.faceCheck) s.post(FACE_CHECK_CALLBACK_PATH, faceCheckCallback(core, cards, log));
  });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  if (!config.bot.appId) {
    log.warn(
      { event: 'auth.inbound_disabled' },
      'BOT_ID is empty: /api/messages accepts UNAUTHENTICATED requests. Only for local runs and the sandbox; never expose this port.',
    );
  }
  scheduler.start();
  const followThrough = followThroughFor(config, core, { dispatcher, tokens: appTokens, log });
  followThrough?.start(FOLLOW_THROUGH_SWEEP_MS);
  const stopSweeping = bulkRuns.startSweeping();
  // The scheduler compares due times with the bot's clock; in the sandbox that clock is the tenant's
  // and only moves when synced, which turns do, so keep it synced between turns too.
  const clockSync = setInterval(() => void clock.sync().catch(() => undefined), 500);
  clockSync.unref();
  log.info({ event: 'bot.listening', port, mode: config.mode, store: config.store.kind }, 'bot.listening');
  return {
    url: `http://${host}:${port}/api/messages`,
    port,
    close: async () => {
      clearInterval(clockSync);
      stopSweeping();
      await bulkRuns.idle();
      await scheduler.stop();
      await followThrough?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // A store handed in by the caller is the caller's to close.
      if (!options.store) await store.close();
      await securityEvents.flush().catch((error: unknown) => onBackgroundError('security.flush', error));
    },
  };
}
