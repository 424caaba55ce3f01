import { randomUUID } from 'node:crypto';
import type { SandboxContext } from './context.js';
import type { FixtureUser } from './fixture.js';
import { callError, type GraphCall, type GraphRoute } from './graph-call.js';
import { permits } from './graph-auth.js';
import { jsonResponse, type SandboxResponse } from './http.js';

/** Least to most: the application permissions that may install an app for a user (contract §7.1). */
const INSTALL_APP_PERMISSIONS = [
  'TeamsAppInstallation.ReadWriteSelfForUser.All',
  'TeamsAppInstallation.ReadWriteAndConsentSelfForUser.All',
  'TeamsAppInstallation.ReadWriteForUser.All',
  'TeamsAppInstallation.ReadWriteAndConsentForUser.All',
  'TeamsAppInstallation.ReadWriteSelectedForUser.All',
];
const READ_APP_PERMISSIONS = [...INSTALL_APP_PERMISSIONS, 'TeamsAppInstallation.ReadForUser.All'];
const INSTALL_DELEGATED = [
  'TeamsAppInstallation.ReadWriteSelfForUser',
  'TeamsAppInstallation.ReadWriteForUser',
];
const READ_DELEGATED = [...INSTALL_DELEGATED, 'TeamsAppInstallation.ReadForUser'];

interface Installation {
  id: string;
  userId: string;
  teamsAppId: string;
  chatId: string;
  at: string;
}

/** Where the sandbox sends the bot the activities Teams would (`POST /_sandbox/teams/bot`). */
export interface BotEndpoint {
  endpoint: string;
  serviceUrl: string;
  botId: string;
}

/** Installations made through Graph, per user and app, and the bot they are announced to. */
export class TeamsInstalls {
  private readonly byKey = new Map<string, Installation>();
  bot: BotEndpoint | undefined;
  /** Announcements that could not reach the bot (for tests: the install still happened). */
  readonly undelivered: string[] = [];

  find(userId: string, teamsAppId: string): Installation | undefined {
    return this.byKey.get(`${userId}|${teamsAppId}`);
  }

  byId(userId: string, id: string): Installation | undefined {
    return [...this.byKey.values()].find((i) => i.userId === userId && i.id === id);
  }

  add(install: Installation): void {
    this.byKey.set(`${install.userId}|${install.teamsAppId}`, install);
  }

  ofUser(userId: string): Installation[] {
    return [...this.byKey.values()].filter((i) => i.userId === userId);
  }

  clear(): void {
    this.byKey.clear();
  }

  snapshot(): Array<Record<string, unknown>> {
    return [...this.byKey.values()].map((i) => ({ ...i }));
  }
}

export function installsOf(ctx: SandboxContext): TeamsInstalls {
  ctx.state.teamsInstalls ??= new TeamsInstalls();
  return ctx.state.teamsInstalls;
}

const catalogIdOf = (bind: unknown): string | undefined =>
  typeof bind === 'string' ? /\/appCatalogs\/teamsApps\/([^/?#]+)$/i.exec(bind)?.[1] : undefined;

/**
 * POST /users/{id}/teamwork/installedApps (contract §7.1, §7.4): an install permission; a `…Self…`
 * permission installs only the caller's own app; unknown app 404; already installed 409; else 201
 * with no body, and Teams' installationUpdate and conversationUpdate go to the bot for the new 1:1 chat.
 */
function install(ctx: SandboxContext, call: GraphCall, userKey: string): SandboxResponse {
  if (!permits(call.caller, INSTALL_DELEGATED, INSTALL_APP_PERMISSIONS))
    return callError(call, 403, 'Forbidden', 'Missing role permissions on the request.');
  const user = ctx.directory.findUser(userKey);
  if (!user) return callError(call, 404, 'NotFound', `User '${userKey}' was not found.`);
  let bind: unknown;
  try {
    bind = (JSON.parse(call.body ?? '{}') as Record<string, unknown>)['teamsApp@odata.bind'];
  } catch {
    return callError(call, 400, 'BadRequest', 'The request body is not valid JSON.');
  }
  const catalogId = catalogIdOf(bind);
  if (!catalogId) return callError(call, 400, 'BadRequest', "'teamsApp@odata.bind' is required.");
  const app = (ctx.fixture.teamsAppCatalog ?? []).find((a) => a.id.toLowerCase() === catalogId.toLowerCase());
  if (!app) return callError(call, 404, 'NotFound', `Teams app '${catalogId}' was not found in the catalog.`);
  const callerApp = call.caller.kind === 'app' ? call.caller.app.appId : call.caller.appId;
  const selfOnly =
    call.caller.kind === 'app' &&
    !permits(
      call.caller,
      [],
      INSTALL_APP_PERMISSIONS.filter((p) => !p.includes('Self')),
    );
  if (selfOnly && app.azureADAppId !== callerApp)
    return callError(call, 403, 'Forbidden', 'A self-install permission installs only the calling app.');
  const installs = installsOf(ctx);
  if (installs.find(user.id, app.id))
    return callError(call, 409, 'Conflict', 'The app is already installed for this user.');
  const installation: Installation = {
    id: Buffer.from(`${user.id}##${app.id}`).toString('base64url'),
    userId: user.id,
    teamsAppId: app.id,
    chatId: `19:${user.id}_${app.azureADAppId}@unq.gbl.spaces`,
    at: ctx.clock.now().toISOString(),
  };
  installs.add(installation);
  // Teams tells the bot after answering the installer, as a separate delivery.
  setImmediate(() => {
    announce(ctx, user, installation).catch(() => installsOf(ctx).undelivered.push(installation.id));
  });
  return { status: 201, headers: {} };
}

/** What Teams sends the bot when it is installed for a person: installationUpdate, then conversationUpdate. */
async function announce(ctx: SandboxContext, user: FixtureUser, installation: Installation): Promise<void> {
  const installs = installsOf(ctx);
  const bot = installs.bot;
  if (!bot) {
    installs.undelivered.push(installation.id);
    return;
  }
  const base = {
    channelId: 'msteams',
    serviceUrl: bot.serviceUrl,
    from: { id: user.teamsUserId, name: user.displayName, aadObjectId: user.id },
    recipient: { id: bot.botId, name: 'TapDesk' },
    conversation: { id: installation.chatId, conversationType: 'personal', tenantId: ctx.tenantId },
    channelData: { tenant: { id: ctx.tenantId } },
    timestamp: new Date().toISOString(),
  };
  const activities = [
    { ...base, id: `sandbox-${randomUUID()}`, type: 'installationUpdate', action: 'add' },
    {
      ...base,
      id: `sandbox-${randomUUID()}`,
      type: 'conversationUpdate',
      membersAdded: [{ id: bot.botId, name: 'TapDesk' }],
    },
  ];
  for (const activity of activities) {
    try {
      await fetch(bot.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
    } catch {
      installs.undelivered.push(installation.id);
    }
  }
}

function list(ctx: SandboxContext, call: GraphCall, userKey: string): SandboxResponse {
  if (!permits(call.caller, READ_DELEGATED, READ_APP_PERMISSIONS))
    return callError(call, 403, 'Forbidden', 'Missing role permissions on the request.');
  const user = ctx.directory.findUser(userKey);
  if (!user) return callError(call, 404, 'NotFound', `User '${userKey}' was not found.`);
  // The one filter callers use: teamsApp/id eq '<catalog id>' (contract §7.1).
  const wanted = /teamsApp\/id eq '([^']+)'/i.exec(call.query.get('$filter') ?? '')?.[1];
  const value = installsOf(ctx)
    .ofUser(user.id)
    .filter((i) => !wanted || i.teamsAppId.toLowerCase() === wanted.toLowerCase())
    .map((i) => ({ id: i.id, teamsApp: { id: i.teamsAppId } }));
  return jsonResponse(200, { value });
}

function chatOf(ctx: SandboxContext, call: GraphCall, userKey: string, id: string): SandboxResponse {
  if (!permits(call.caller, READ_DELEGATED, READ_APP_PERMISSIONS))
    return callError(call, 403, 'Forbidden', 'Missing role permissions on the request.');
  const user = ctx.directory.findUser(userKey);
  const installation = user ? installsOf(ctx).byId(user.id, id) : undefined;
  if (!installation) return callError(call, 404, 'NotFound', `Installation '${id}' was not found.`);
  return jsonResponse(200, { id: installation.chatId, chatType: 'oneOnOne' });
}

/** The user-scope Teams app installation routes. */
export const teamsInstallRoutes: GraphRoute[] = [
  {
    method: 'POST',
    template: '/users/:id/teamwork/installedApps',
    handler: (ctx, call, [id = '']) => install(ctx, call, id),
  },
  {
    method: 'GET',
    template: '/users/:id/teamwork/installedApps',
    handler: (ctx, call, [id = '']) => list(ctx, call, id),
  },
  {
    method: 'GET',
    template: '/users/:id/teamwork/installedApps/:installationId/chat',
    handler: (ctx, call, [id = '', installationId = '']) => chatOf(ctx, call, id, installationId),
  },
];

/** `POST /_sandbox/teams/bot {endpoint, serviceUrl, botId?}`: where install announcements go. */
export function setBotEndpoint(ctx: SandboxContext, body: Record<string, unknown>): SandboxResponse {
  const { endpoint, serviceUrl, botId = '28:tapdesk' } = body;
  const loopback = (v: unknown) =>
    typeof v === 'string' && /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(`${v}/`);
  if (!loopback(endpoint) || !loopback(serviceUrl) || typeof botId !== 'string')
    return jsonResponse(400, {
      error: {
        code: 'badRequest',
        message: 'Expected {"endpoint":"http://127.0.0.1:…/api/messages","serviceUrl":"http://127.0.0.1:…"}.',
      },
    });
  installsOf(ctx).bot = { endpoint: endpoint as string, serviceUrl: serviceUrl as string, botId };
  return jsonResponse(200, { ...installsOf(ctx).bot });
}
