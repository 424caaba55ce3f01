import { Client, MiddlewareFactory } from '@microsoft/microsoft-graph-client';
import type { Dispatcher } from 'undici';
import { nextLinkOf } from './next-link.js';
import { AppTokenError, type AppTokenSource } from '../auth/app-tokens.js';
import { GraphFailure, toGraphFailure } from './failure.js';
import type { HeldRole, RoleReader } from './role-port.js';

/** Bounds one listing: 50 pages of Graph's default 100, far beyond any real user's role count. */
const MAX_PAGES = 50;

/** The application permission the reader needs; without it in APP_PERMISSIONS, do not build one. */
export const ROLE_READER_PERMISSION = 'RoleManagement.Read.Directory';

export interface AppRoleReaderOptions {
  /** e.g. https://graph.microsoft.com/v1.0 or the sandbox's https://127.0.0.1:<port>/v1.0 */
  baseUrl: string;
  tokens: AppTokenSource;
  /** Carries the extra trusted CA for the sandbox; undefined means the platform defaults. */
  dispatcher?: Dispatcher;
}

interface RoleDefinition {
  id?: string;
  displayName?: string;
  templateId?: string | null;
  isBuiltIn?: boolean;
}

interface RoleEntry {
  roleDefinitionId?: string;
  directoryScopeId?: string | null;
  roleDefinition?: RoleDefinition | null;
}

const odataQuote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The role a listed assignment or eligibility names: a built-in role by template id, a custom one by definition id. */
function heldRole(entry: RoleEntry, assignment: HeldRole['assignment']): HeldRole {
  const definition = entry.roleDefinition ?? {};
  const definitionId = definition.id ?? entry.roleDefinitionId ?? '';
  const roleTemplateId =
    definition.isBuiltIn === false ? definitionId : (definition.templateId ?? definitionId);
  return {
    roleTemplateId,
    displayName: definition.displayName ?? roleTemplateId,
    assignment,
    scope: entry.directoryScopeId ?? '/',
  };
}

/**
 * A user's directory roles, active (roleAssignments) and PIM-eligible (roleEligibilityScheduleInstances),
 * at every scope, read with TapDesk's OWN app-only token (RoleManagement.Read.Directory), never the
 * clicking admin's. Lists the assignments whose principal is the user: roles held through a group list
 * the group as principal and are not included.
 */
export class AppRoleReader implements RoleReader {
  private readonly base: URL;

  constructor(private readonly options: AppRoleReaderOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  }

  async privilegedRolesOf(userId: string, signal?: AbortSignal): Promise<HeldRole[]> {
    const client = await this.client(signal);
    const filter = `principalId eq ${odataQuote(userId)}`;
    const [active, eligible] = await Promise.all([
      this.listAll(client, '/roleManagement/directory/roleAssignments', filter, signal),
      this.listAll(client, '/roleManagement/directory/roleEligibilityScheduleInstances', filter, signal),
    ]);
    return [...active.map((e) => heldRole(e, 'active')), ...eligible.map((e) => heldRole(e, 'eligible'))];
  }

  /** A Graph client carrying a fresh (cached by @azure/identity) app-only token. */
  private async client(signal?: AbortSignal): Promise<Client> {
    let token: string;
    try {
      token = await this.options.tokens.graphAppToken(signal);
    } catch (error) {
      const message = error instanceof AppTokenError ? error.message : String(error);
      const failure = new GraphFailure(0, 'appTokenFailed', message, undefined, undefined);
      failure.cause = error;
      throw failure;
    }
    const authProvider = { getAccessToken: async () => token };
    return Client.initWithMiddleware({
      middleware: MiddlewareFactory.getDefaultMiddlewareChain(authProvider),
      baseUrl: `${this.base.origin}/`,
      defaultVersion: this.base.pathname.replace(/^\/|\/$/g, ''),
      // Without customHosts the SDK silently drops the Authorization header for non-Graph hosts.
      customHosts: new Set([this.base.hostname]),
      fetchOptions: this.options.dispatcher
        ? ({ dispatcher: this.options.dispatcher } as RequestInit)
        : undefined,
    });
  }

  /** Every page of one listing; the token only ever follows nextLinks to this client's own Graph. */
  private async listAll(
    client: Client,
    path: string,
    filter: string,
    signal?: AbortSignal,
  ): Promise<RoleEntry[]> {
    const withSignal = (url: string) => {
      const request = client.api(url);
      return signal ? request.option('signal', signal) : request;
    };
    let request = withSignal(path).filter(filter).expand('roleDefinition');
    const entries: RoleEntry[] = [];
    for (let page = 1; ; page++) {
      const current = request;
      let body: { value?: RoleEntry[]; '@odata.nextLink'?: unknown };
      try {
        body = (await current.get()) as typeof body;
      } catch (error) {
        throw toGraphFailure(error);
      }
      entries.push(...(body.value ?? []));
      // Fail rather than answer with roles we never saw.
      const next = nextLinkOf(body, page, MAX_PAGES, (url) => this.isOwnUrl(url), 'Role listings');
      if (next === undefined) return entries;
      request = withSignal(next);
    }
  }

  private isOwnUrl(url: string): boolean {
    try {
      const parsed = new URL(url);
      return parsed.origin === this.base.origin && parsed.pathname.startsWith(this.base.pathname);
    } catch {
      return false;
    }
  }
}
