import type { Client } from '@microsoft/microsoft-graph-client';
import { nextLinkOf } from './next-link.js';
import { appGraphClient, graphBase, type AppGraphOptions } from './app-client.js';
import { toGraphFailure } from './failure.js';
import type { HeldRole, RoleReader } from './role-port.js';

/** Bounds one listing: 50 pages of Graph's default 100, far beyond any real user's role count. */
const MAX_PAGES = 50;

/** The application permission the reader needs; without it in APP_PERMISSIONS, do not build one. */
export const ROLE_READER_PERMISSION = 'RoleManagement.Read.Directory';

export type AppRoleReaderOptions = AppGraphOptions;

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
    this.base = graphBase(options.baseUrl);
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

  private client(signal?: AbortSignal): Promise<Client> {
    return appGraphClient(this.options, signal);
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
